// npm's `prepack` and `postpack`: the tarball `npm pack` (and `npm publish`) makes carries package.json
// without `scripts.prepare`; the checkout keeps it.
//
// Why: `prepare` (tools/prepare.mjs, which is not in the tarball) builds dist/ after `npm ci` in a clone.
// npm 11.16 and later count the `prepare` of a non-registry source as an install script, and a tarball
// file is one: README's `npm install -g ./vllm-guard-0.1.0.tgz` and `npx --package ./vllm-guard-0.1.0.tgz`
// printed "1 package has install scripts not yet covered by allowScripts: vllm-guard@0.1.0 (prepare: node
// tools/prepare.mjs)" and told the user to install again with --allow-scripts=vllm-guard, which printed
// the same (npm 11.19.1). npm never runs a tarball's prepare; npm 12 blocks such scripts by default and
// says so. Sources: npm/rfcs accepted/0054-make-scripts-install-opt-in.md; npm docs, npm-install-scripts
// ("preinstall, install, postinstall, and prepare for non-registry sources").
//
// How: npm pack runs prepack, then reads package.json again to pack it, then runs postpack
// (libnpmpack, pacote's DirFetcher). `strip` saves package.json as package.json.prepack and replaces it
// (a temporary file renamed over it, so a concurrent reader sees one whole file) with the same manifest
// less scripts.prepare; `restore` moves the saved file back, byte for byte. A pack that died between
// the two leaves the saved file: the next strip or restore puts it back first.
// Usage: node tools/pack-manifest.mjs strip|restore
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const MANIFEST = fileURLToPath(new URL('../package.json', import.meta.url));
const SAVED = `${MANIFEST}.prepack`;

function restore() {
  if (existsSync(SAVED)) renameSync(SAVED, MANIFEST);
}

const step = process.argv[2];
if (step === 'strip') {
  restore();
  const text = readFileSync(MANIFEST, 'utf8');
  const manifest = JSON.parse(text);
  if (manifest.scripts?.prepare !== undefined) {
    writeFileSync(SAVED, text);
    delete manifest.scripts.prepare;
    writeFileSync(`${MANIFEST}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
    renameSync(`${MANIFEST}.tmp`, MANIFEST);
  }
} else if (step === 'restore') {
  restore();
} else {
  process.stderr.write('usage: node tools/pack-manifest.mjs strip|restore\n');
  process.exitCode = 2;
}
