// The build's precompiled policies (src/policy/precompile.ts → dist/policy/builtin-policies.cjs)
// must review exactly as the policies compiled at run time, and a file whose text differs from the
// build's must be compiled (and refused) at run time as before.
import t from 'tap';
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { createEngine, reviewObject } from '../../src/engine/api.js';
import { parseDocuments } from '../../src/io/yaml.js';
import { compilePolicySet } from '../../src/policy/compile.js';
import { BUNDLED_POLICY_DIR, readMetaSchema, readSources } from '../../src/policy/load.js';
import { precompiledModuleCode } from '../../src/policy/precompile.js';
import { openPrecompiled } from '../../src/policy/precompiled.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dir = t.testdir({ 'builtin-policies.cjs': precompiledModuleCode() });
const table = () => {
  const opened = openPrecompiled(path.join(dir, 'builtin-policies.cjs'));
  if (!opened) throw new Error('the generated module did not open');
  return opened;
};

const manifests = ['examples/good', 'examples/bad'].flatMap((d) =>
  readdirSync(path.join(ROOT, d)).flatMap((f) => parseDocuments(readFileSync(path.join(ROOT, d, f), 'utf8')).map((doc) => ({ name: `${d}/${f}#${doc.index}`, object: doc.value }))),
);

t.test('precompiled built-ins review every example as the run-time compile does', async (t) => {
  const config = loadConfig(null).engine;
  const sources = readSources(BUNDLED_POLICY_DIR, table());
  t.ok(sources.every((s) => s.precompiled !== undefined), 'every built-in policy file has its build entry');
  const built = createEngine({ policies: compilePolicySet(sources, readMetaSchema(), 'built'), config });
  const runtime = createEngine({ policies: compilePolicySet(readSources(BUNDLED_POLICY_DIR), readMetaSchema(), 'runtime'), config });
  t.ok(manifests.length > 10);
  const now = new Date('2026-06-01T00:00:00Z');
  for (const { name, object } of manifests) {
    t.same(reviewObject(built, structuredClone(object), { now }), reviewObject(runtime, structuredClone(object), { now }), name);
  }
  t.equal(sources[0]?.lineOf(['title']), 2, 'a line is still found (the YAML is parsed when asked)');
  // The build's plain checks (policy/check-code.ts) answer most rules in the built engine, none in the other.
  const checks = (engine: typeof built) => engine.plan.server.flatMap((p) => p.rules).filter((r) => r.check !== null).length;
  t.ok(checks(built) > 50, `the built rules carry plain checks (${checks(built)}), so the comparison above exercises them`);
  t.equal(checks(runtime), 0);
});

t.test('an edited built-in is compiled at run time, and a broken one is refused with its line', async (t) => {
  const copy = t.testdir({});
  cpSync(BUNDLED_POLICY_DIR, copy, { recursive: true });
  const file = path.join(copy, 'shm-mounted.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: Edited here'));
  const sources = readSources(copy, table());
  const edited = sources.find((s) => s.file === file);
  t.equal(edited?.precompiled, undefined, 'the edited file has no build entry');
  t.equal(sources.filter((s) => s.precompiled === undefined).length, 1, 'the others keep theirs');
  const set = compilePolicySet(sources, readMetaSchema(), copy);
  t.equal(set.byId.get('shm-mounted')?.title, 'Edited here');

  writeFileSync(file, readFileSync(file, 'utf8').replace(/^severity: .*$/m, 'severity: 12'));
  t.throws(() => compilePolicySet(readSources(copy, table()), readMetaSchema(), copy), { message: /shm-mounted\.yaml:\d+: .*severity/ });
});
