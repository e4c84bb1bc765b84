// ConfigMaps and Secrets of the related set resolve a container's env as the kubelet does; Secret
// values are never read, and without a set (admission) every source stays unknown and says why.
import t from 'tap';
import { buildEnvLookup } from '../../../src/engine/command/container-env.js';
import { createEnvSources } from '../../../src/engine/related/configmaps.js';
import { createRelatedSet, type RelatedSet } from '../../../src/engine/related/related-set.js';
import type { JsonObject } from '../../../src/engine/types.js';

const SET = createRelatedSet(
  [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'vllm-config', namespace: 'llm' }, data: { TP: '4', MODEL: 'Qwen/Qwen3-8B', LAUNCHER: 'vllm' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other-ns', namespace: 'elsewhere' }, data: { TP: '8' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hf', namespace: 'llm' }, data: { token: 'aGZfU0VDUkVU' } },
  ],
  { scope: 'the input set' },
);

interface Case {
  name: string;
  container: JsonObject;
  related: RelatedSet | null;
  name2: string;
  want: { text?: string; unknown?: RegExp; from?: string; absent?: true };
}

const cases: Case[] = [
  { name: 'configMapKeyRef resolves', container: { env: [{ name: 'TP', valueFrom: { configMapKeyRef: { name: 'vllm-config', key: 'TP' } } }] }, related: SET, name2: 'TP', want: { text: '4', from: 'ConfigMap vllm-config key TP' } },
  { name: 'configMapKeyRef at admission', container: { env: [{ name: 'TP', valueFrom: { configMapKeyRef: { name: 'vllm-config', key: 'TP' } } }] }, related: null, name2: 'TP', want: { unknown: /the ConfigMap vllm-config is not looked up at admission/ } },
  { name: 'a ConfigMap of another namespace is not used', container: { env: [{ name: 'TP', valueFrom: { configMapKeyRef: { name: 'other-ns', key: 'TP' } } }] }, related: SET, name2: 'TP', want: { unknown: /ConfigMap other-ns is not in the input set/ } },
  { name: 'optional missing key leaves it unset', container: { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'vllm-config', key: 'NOPE', optional: true } } }] }, related: SET, name2: 'X', want: { absent: true } },
  { name: 'missing key, not optional', container: { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'vllm-config', key: 'NOPE' } } }] }, related: SET, name2: 'X', want: { unknown: /ConfigMap vllm-config has no key NOPE/ } },
  { name: 'envFrom configMapRef with prefix', container: { envFrom: [{ prefix: 'V_', configMapRef: { name: 'vllm-config' } }] }, related: SET, name2: 'V_TP', want: { text: '4', from: 'ConfigMap vllm-config key TP' } },
  { name: 'envFrom: a name the ConfigMap lacks is unset', container: { envFrom: [{ configMapRef: { name: 'vllm-config' } }] }, related: SET, name2: 'OTHER', want: { absent: true } },
  { name: 'envFrom secretRef: the name is known, never the value', container: { envFrom: [{ secretRef: { name: 'hf' } }] }, related: SET, name2: 'token', want: { unknown: /Secret hf key token, whose value is never read/ } },
  { name: 'envFrom at admission', container: { envFrom: [{ configMapRef: { name: 'vllm-config' } }] }, related: null, name2: 'TP', want: { unknown: /may come from envFrom: the ConfigMap vllm-config is not looked up at admission$/ } },
  { name: 'a later unreadable envFrom source may override', container: { envFrom: [{ configMapRef: { name: 'vllm-config' } }, { configMapRef: { name: 'missing' } }] }, related: SET, name2: 'TP', want: { unknown: /ConfigMap missing is not in the input set/ } },
  { name: 'env overrides envFrom', container: { envFrom: [{ configMapRef: { name: 'vllm-config' } }], env: [{ name: 'TP', value: '2' }] }, related: SET, name2: 'TP', want: { text: '2' } },
  { name: 'a literal expands a ConfigMap value', container: { envFrom: [{ configMapRef: { name: 'vllm-config' } }], env: [{ name: 'ARGS', value: '-tp $(TP)' }] }, related: SET, name2: 'ARGS', want: { text: '-tp 4', from: 'ConfigMap vllm-config key TP' } },
  { name: 'secretKeyRef to an existing key stays unknown', container: { env: [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'token' } } }] }, related: SET, name2: 'HF_TOKEN', want: { unknown: /Secret hf key token, whose value is never read/ } },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const sources = createEnvSources(c.container, c.related, 'llm');
    const token = buildEnvLookup(c.container, sources)(c.name2);
    if (c.want.absent) {
      t.equal(token, undefined, 'not set');
      return;
    }
    if (c.want.text !== undefined) {
      t.equal(token?.unknown, undefined, 'known');
      t.equal(token?.text, c.want.text);
    }
    if (c.want.unknown) t.match(token?.unknown, c.want.unknown);
    if (c.want.from) t.equal(token?.from, c.want.from);
  });
}

t.test('a missing key of a Secret in the set is a problem; the value of a present one is never copied', async (t) => {
  const container = { env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'hf', key: 'nope' } } }, { name: 'B', valueFrom: { secretKeyRef: { name: 'hf', key: 'token' } } }] };
  const sources = createEnvSources(container, SET, 'llm');
  const lookup = buildEnvLookup(container, sources);
  t.same(sources.problems.map((p) => [p.summary, p.at]), [['Secret hf has no key nope', 'env[0]']]);
  t.equal(lookup('B')?.text, '', 'no Secret value');
  t.notMatch(JSON.stringify(sources), /aGZf|hf_SECRET/, 'the Secret data never reaches the sources');
});

t.test('envFrom variables for the env facts: ConfigMap values, Secret names', async (t) => {
  const container = { envFrom: [{ configMapRef: { name: 'vllm-config' } }, { prefix: 'S_', secretRef: { name: 'hf' } }] };
  const { envFromVariables } = createEnvSources(container, SET, 'llm');
  t.same(
    envFromVariables.map((v) => [v.name, v.value, v.at]),
    [['TP', '4', 'envFrom[0]'], ['MODEL', 'Qwen/Qwen3-8B', 'envFrom[0]'], ['LAUNCHER', 'vllm', 'envFrom[0]'], ['S_token', null, 'envFrom[1]']],
  );
});
