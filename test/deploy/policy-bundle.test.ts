import t from 'tap';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  POLICIES_CONFIGMAP,
  diffPolicyBundle,
  isShippedPolicyFile,
  renderPolicyBundle,
  writePolicyBundle,
} from '../../deploy/tools/policy-bundle.js';
import { REPO_ROOT } from './kustomize-helpers.js';

t.test('deploy/base/policies is in sync with policies/', async (t) => {
  const bundle = await renderPolicyBundle(join(REPO_ROOT, 'policies'));
  const differences = await diffPolicyBundle(join(REPO_ROOT, 'deploy/base/policies'), bundle);
  t.same(differences, [], 'run `npm run deploy:sync-policies` and commit deploy/base/policies');
});

t.test('only policy files are shipped, as the policy loader reads them', async (t) => {
  const table: [string, boolean][] = [
    ['gpu-resource-present.yaml', true],
    ['image-pinned.yml', true],
    ['custom.json', true],
    ['policy.schema.json', false],
    ['facts.schema.json', false],
    ['..data', false],
    ['.hidden.yaml', false],
    ['README.md', false],
  ];
  for (const [name, shipped] of table) t.equal(isShippedPolicyFile(name), shipped, name);
});

t.test('syncing copies policies, writes the generator and removes stale files', async (t) => {
  const root = t.testdir({
    policies: { 'b.yaml': 'id: b\n', 'a.json': '{"id":"a"}', 'policy.schema.json': '{}', notes: { 'x.yaml': '' } },
    target: { 'stale.yaml': 'id: gone\n', 'b.yaml': 'id: old\n' },
  });
  const bundle = await renderPolicyBundle(join(root, 'policies'));
  t.same(await diffPolicyBundle(join(root, 'target'), bundle), [
    'missing: a.json',
    'differs: b.yaml',
    'missing: kustomization.yaml',
    'extra: stale.yaml',
  ]);
  await writePolicyBundle(join(root, 'target'), bundle);
  t.same((await readdir(join(root, 'target'))).sort(), ['a.json', 'b.yaml', 'kustomization.yaml']);
  t.equal(await readFile(join(root, 'target/b.yaml'), 'utf8'), 'id: b\n');
  const kustomization = parse(await readFile(join(root, 'target/kustomization.yaml'), 'utf8')) as Record<string, unknown>;
  t.same(kustomization['configMapGenerator'], [{ name: POLICIES_CONFIGMAP, files: ['a.json', 'b.yaml'] }]);
  t.same(kustomization['generatorOptions'], { disableNameSuffixHash: true });
  t.same(await diffPolicyBundle(join(root, 'target'), bundle), [], 'in sync after writing');

  await writeFile(join(root, 'target/a.json'), '{}');
  t.same(await diffPolicyBundle(join(root, 'target'), bundle), ['differs: a.json']);
});

t.test('an empty policies directory gives an empty generator', async (t) => {
  const root = t.testdir({ policies: {} });
  const bundle = await renderPolicyBundle(join(root, 'policies'));
  const kustomization = parse(bundle.get('kustomization.yaml') ?? '') as { configMapGenerator: { files: string[] }[] };
  t.same(kustomization.configMapGenerator[0]?.files, []);
});
