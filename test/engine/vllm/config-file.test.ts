// vLLM's --config YAML file, read as FlexibleArgumentParser.load_config_file reads it
// (vllm/utils/argparse_utils.py, v0.20.1) when it is mounted from a ConfigMap of the related set.
import t from 'tap';
import { configFileArguments, resolveConfigFile, MAX_CONFIG_FILE_BYTES } from '../../../src/engine/vllm/config-file.js';
import { mountedConfigMapKey } from '../../../src/engine/related/mounted-files.js';
import { createRelatedSet } from '../../../src/engine/related/related-set.js';
import type { JsonObject, Token } from '../../../src/engine/types.js';

const args: [string, string, ReturnType<typeof configFileArguments>][] = [
  ['scalars become --key value', 'tensor-parallel-size: 4\nmax-model-len: 32k\n', { args: [{ key: 'tensor-parallel-size', values: ['4'] }, { key: 'max-model-len', values: ['32k'] }] }],
  ['true is the bare flag, false is dropped', 'enforce-eager: true\ntrust-remote-code: false\n', { args: [{ key: 'enforce-eager', values: [] }] }],
  ['YAML 1.1 yes is true (PyYAML safe_load)', 'enforce-eager: yes\n', { args: [{ key: 'enforce-eager', values: [] }] }],
  ['a list is the flag and each item', 'served-model-name: [a, b]\n', { args: [{ key: 'served-model-name', values: ['a', 'b'] }] }],
  ['a mapping is the flag and its JSON', 'compilation-config:\n  level: 3\n', { args: [{ key: 'compilation-config', values: ['{"level":3}'] }] }],
  ['a float written 2.0 stays 2.0 (str(float))', 'tensor-parallel-size: 2.0\n', { args: [{ key: 'tensor-parallel-size', values: ['2.0'] }] }],
  ['null is None', 'tokenizer: null\n', { args: [{ key: 'tokenizer', values: ['None'] }] }],
  ['keys keep what is written: dashes are not stripped', '--port: 8000\n', { args: [{ key: '--port', values: ['8000'] }] }],
  ['not a mapping', '- a\n- b\n', { error: 'the file is not a YAML mapping of option names to values, and vLLM fails reading it' }],
  ['too long', `a: "${'x'.repeat(MAX_CONFIG_FILE_BYTES)}"\n`, { error: `longer than ${MAX_CONFIG_FILE_BYTES / 1024} KiB, so vllm-guard does not read it` }],
];
for (const [name, text, want] of args) t.test(`configFileArguments: ${name}`, async (t) => t.same(configFileArguments(text), want));

t.test('configFileArguments: broken YAML and alias bombs are errors, not crashes', async (t) => {
  t.match(configFileArguments('a: [1, 2\n'), { error: /^yaml.safe_load fails/ });
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)].join('\n');
  t.match(configFileArguments(bomb), { error: /not read/ });
});

const pod = { volumes: [{ name: 'cfg', configMap: { name: 'vllm-config' } }, { name: 'items', configMap: { name: 'vllm-config', items: [{ key: 'serve.yaml', path: 'conf/serve.yaml' }] } }, { name: 'data', emptyDir: {} }] };
const mounts: [string, string, JsonObject, ReturnType<typeof mountedConfigMapKey>][] = [
  ['a file of a ConfigMap volume', '/etc/vllm/config.yaml', { volumeMounts: [{ name: 'cfg', mountPath: '/etc/vllm' }] }, { name: 'vllm-config', key: 'config.yaml', optional: false, volume: 'cfg', mode: 0o644 }],
  ['items map a path to a key', '/etc/x/conf/serve.yaml', { volumeMounts: [{ name: 'items', mountPath: '/etc/x/' }] }, { name: 'vllm-config', key: 'serve.yaml', optional: false, volume: 'items', mode: 0o644 }],
  ['subPath mounts one key as a file', '/config.yaml', { volumeMounts: [{ name: 'cfg', mountPath: '/config.yaml', subPath: 'vllm.yaml' }] }, { name: 'vllm-config', key: 'vllm.yaml', optional: false, volume: 'cfg', mode: 0o644 }],
  ['the longest mount wins', '/etc/vllm/config.yaml', { volumeMounts: [{ name: 'data', mountPath: '/etc' }, { name: 'cfg', mountPath: '/etc/vllm' }] }, { name: 'vllm-config', key: 'config.yaml', optional: false, volume: 'cfg', mode: 0o644 }],
  ['not a ConfigMap volume', '/data/c.yaml', { volumeMounts: [{ name: 'data', mountPath: '/data' }] }, { reason: '/data/c.yaml is on volume data, which is not a ConfigMap volume', clause: 'is on volume data, which is not a ConfigMap volume, so its content is not known before the pod runs' }],
  ['not mounted: in the image', '/opt/c.yaml', { volumeMounts: [{ name: 'cfg', mountPath: '/etc/vllm' }] }, { reason: '/opt/c.yaml is not on a mounted volume, so it is in the image' }],
];
for (const [name, path, container, want] of mounts) t.test(`mountedConfigMapKey: ${name}`, async (t) => t.same(mountedConfigMapKey(path, container, pod), want));

const words = (text: string, at = 'args'): Token[] => text.split(' ').map((w, i) => (i < 2 ? { text: w } : { text: w, at: `${at}[${i - 2}]` }));
const related = createRelatedSet([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'vllm-config' }, data: { 'config.yaml': 'tensor-parallel-size: 4\nmax-num-seqs: 64\nmodel: from/file\n' } }], { scope: 'the input set' });
const container = { volumeMounts: [{ name: 'cfg', mountPath: '/etc/vllm' }] };

t.test('resolveConfigFile splices the file after the positional model, before the rest: command line over file', async (t) => {
  const got = resolveConfigFile({ command: words('vllm serve m --config /etc/vllm/config.yaml -tp 2'), container, pod, related, namespace: 'llm' });
  t.same(got?.command.map((w) => w.text), ['vllm', 'serve', 'm', '--tensor-parallel-size', '4', '--max-num-seqs', '64', '-tp', '2'], 'the CLI model wins; -tp 2 comes last and wins');
  t.equal(got?.command[3]?.from, 'config file /etc/vllm/config.yaml');
  t.equal(got?.command[3]?.at, 'args[1]', 'findings point at the --config argument');
  t.match(got?.file, { status: 'read', from: 'ConfigMap vllm-config key config.yaml', keys: ['tensor-parallel-size', 'max-num-seqs', 'model'] });
});

t.test('resolveConfigFile: the model may come from the file', async (t) => {
  const got = resolveConfigFile({ command: words('vllm serve --config /etc/vllm/config.yaml'), container, pod, related, namespace: 'llm' });
  t.same(got?.command.map((w) => w.text), ['vllm', 'serve', '--tensor-parallel-size', '4', '--max-num-seqs', '64', '--model=from/file']);
});

t.test('resolveConfigFile: what stays unknown, and what vLLM refuses', async (t) => {
  const at = (command: string, rel = related) => resolveConfigFile({ command: words(command), container, pod, related: rel, namespace: 'llm' })?.file;
  t.match(at('vllm serve m --config /etc/vllm/config.yaml', null as never), { status: 'unknown', reason: /the ConfigMap vllm-config is not looked up at admission/ });
  t.match(at('vllm serve m --config /etc/vllm/other.yaml'), { status: 'error', reason: /ConfigMap vllm-config has no key other.yaml/ });
  t.match(at('vllm serve m --config /etc/vllm/config.json'), { status: 'error', reason: /Config file must be of a yaml\/yml type. json supplied/ });
  t.match(at('vllm serve m --config relative.yaml'), { status: 'unknown', reason: /relative to the image's working directory/ });
  t.equal(at('vllm serve m --config=/etc/vllm/config.yaml'), undefined, 'only the exact --config token loads a file');
});
