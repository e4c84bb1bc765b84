/**
 * `npm run deploy:sync-policies [-- --check]`: copies policies/ into deploy/base/policies/
 * (see policy-bundle.ts for why), or with --check only reports whether the copy is stale.
 */
import { fileURLToPath } from 'node:url';
import { diffPolicyBundle, renderPolicyBundle, writePolicyBundle } from './policy-bundle.js';

const sourceDir = fileURLToPath(new URL('../../policies/', import.meta.url));
const targetDir = fileURLToPath(new URL('../base/policies/', import.meta.url));

const bundle = await renderPolicyBundle(sourceDir);
const differences = await diffPolicyBundle(targetDir, bundle);
if (process.argv.includes('--check')) {
  for (const line of differences) console.error(line);
  if (differences.length > 0) console.error('deploy/base/policies is stale: run npm run deploy:sync-policies');
  process.exitCode = differences.length > 0 ? 1 : 0;
} else {
  await writePolicyBundle(targetDir, bundle);
  console.log(`deploy/base/policies: ${bundle.size - 1} policy files, ${differences.length} changed`);
}
