/**
 * `npm run certs -- --namespace NS [--service NAME] [--out DIR] [--days N]`
 * Writes a CA, a serving certificate and the manifests that install them (see bundle.ts).
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { describeError } from '../src/errors.js';
import { writeWebhookCertificates } from './bundle.js';

const USAGE = 'usage: npm run certs -- --namespace NS [--service vllm-guard] [--out certs/out] [--days 365]';

try {
  const { values } = parseArgs({
    options: {
      namespace: { type: 'string' },
      service: { type: 'string', default: 'vllm-guard' },
      out: { type: 'string', default: fileURLToPath(new URL('./out/', import.meta.url)) },
      days: { type: 'string', default: '365' },
    },
  });
  if (values.namespace === undefined) throw new TypeError('--namespace is required');
  const days = Number(values.days);
  if (!Number.isInteger(days) || days < 1) throw new TypeError(`--days must be a positive integer, got "${values.days}"`);
  const result = await writeWebhookCertificates({ namespace: values.namespace, service: values.service, outDir: values.out, days });
  const out = relative(process.cwd(), values.out);
  console.log(`Serving certificate for ${result.dnsNames.join(', ')}, valid until ${result.notAfter.toISOString()}.`);
  console.log(`caBundle trusts ${result.trustedCas} CA(s)${result.trustedCas > 1 ? ' (the new one and the previous one)' : ''}.`);
  console.log(`Wrote ${out}/ (keys are mode 0600; never commit them). Install, for example:`);
  console.log(`  kubectl apply -k ${out}/overlays/audit`);
} catch (err: unknown) {
  console.error(`certs: ${describeError(err)}`);
  console.error(USAGE);
  process.exitCode = 2;
}
