import t from 'tap';
import { buildEnvLookup } from '../../src/engine/command/container-env.js';
import { expandKubeletRefs } from '../../src/engine/command/kubelet-expand.js';
import { parseVllmArgs } from '../../src/engine/vllm/args.js';
import type { Token, VllmArgs } from '../../src/engine/types.js';
import { HANG_CEILING_MS } from '../hang-ceiling.js';

const noEnv = (): Token | undefined => undefined;
const words = (s: string): Token[] => s.split(' ').filter(Boolean).map((text) => ({ text }));
const SECRET: Token = { text: '$(TOKEN)', unknown: 'TOKEN comes from secretKeyRef' };

interface Case {
  name: string;
  input: Token[] | null;
  env?: Record<string, unknown>[];
  envFrom?: boolean;
  want: Partial<VllmArgs>;
}

const cases: Case[] = [
  {
    name: "Dynamo's worker: engine arguments read beside Dynamo's own flags, the model from --model",
    input: words('python3 -m dynamo.vllm --is-prefill-worker --model Qwen/Qwen3-0.6B -tp 2 --disaggregation-mode prefill'),
    want: { values: { 'is-prefill-worker': true, model: 'Qwen/Qwen3-0.6B', 'tensor-parallel-size': 2, 'disaggregation-mode': 'prefill' }, model: 'Qwen/Qwen3-0.6B', modelFrom: 'flag', problems: [] },
  },
  {
    name: "Dynamo's --engine-config-json file may set any option the command line leaves out",
    input: words('python3 -m dynamo.vllm --model m --engine-config-json /etc/engine.json'),
    want: { values: { model: 'm', 'engine-config-json': '/etc/engine.json' }, model: 'm', modelFrom: 'flag', unknown: { config: "Dynamo's --engine-config-json file may set any engine argument the command line leaves out, and it cannot be read at admission" } },
  },
  { name: 'null command', input: null, want: {} },
  { name: 'empty command', input: [], want: {} },
  { name: 'only vllm', input: words('vllm'), want: {} },
  { name: 'serve without model', input: words('vllm serve'), want: {} },
  { name: 'serve without model but flags', input: words('vllm serve --port 8001'), want: { values: { port: 8001 } } },
  {
    name: 'VK8S example',
    input: words('vllm serve mistralai/Mistral-7B-Instruct-v0.3 --trust-remote-code --max_num_batched_tokens 1024'),
    want: { values: { 'trust-remote-code': true, 'max-num-batched-tokens': 1024 }, model: 'mistralai/Mistral-7B-Instruct-v0.3', modelFrom: 'positional' },
  },
  { name: '--k v equals --k=v', input: words('vllm serve m --max-num-seqs 8 --dtype=bfloat16'), want: { values: { 'max-num-seqs': 8, dtype: 'bfloat16' }, model: 'm', modelFrom: 'positional' } },
  {
    name: 'LWS TP8 PP2 with an underscore',
    input: words('vllm serve m --tensor-parallel-size 8 --pipeline_parallel_size 2'),
    want: { values: { 'tensor-parallel-size': 8, 'pipeline-parallel-size': 2 }, model: 'm', modelFrom: 'positional' },
  },
  {
    name: 'short aliases',
    input: words('vllm serve m -tp 4 -pp=2 -dp 2 -dpl 1 -q awq -cc {"level":3} -ep -n 2 -r 1 -dpa 10.0.0.1'),
    want: {
      values: {
        'tensor-parallel-size': 4, 'pipeline-parallel-size': 2, 'data-parallel-size': 2, 'data-parallel-size-local': 1,
        quantization: 'awq', 'compilation-config': '{"level":3}', 'enable-expert-parallel': true, nnodes: 2, 'node-rank': 1,
        'data-parallel-address': '10.0.0.1',
      },
      model: 'm', modelFrom: 'positional',
    },
  },
  { name: '-O3', input: words('vllm serve m -O3'), want: { values: { 'optimization-level': 3 }, model: 'm', modelFrom: 'positional' } },
  { name: '-O 3', input: words('vllm serve m -O 3'), want: { values: { 'optimization-level': 3 }, model: 'm', modelFrom: 'positional' } },
  { name: '-O=2', input: words('vllm serve m -O=2'), want: { values: { 'optimization-level': 2 }, model: 'm', modelFrom: 'positional' } },
  { name: '-O with JSON is the old compilation-config alias', input: words('vllm serve m -O {"level":3}'), want: { values: { 'compilation-config': '{"level":3}' }, model: 'm', modelFrom: 'positional' } },
  {
    name: 'booleans, --no-x and the old --x=False form',
    input: words('vllm serve m --enforce-eager --no-enable-prefix-caching --enable-chunked-prefill=False --disable-log-stats=true --trust-remote-code=maybe'),
    want: {
      values: { 'enforce-eager': true, 'enable-prefix-caching': false, 'enable-chunked-prefill': false, 'disable-log-stats': true, 'trust-remote-code': 'maybe' },
      model: 'm', modelFrom: 'positional',
    },
  },
  { name: 'old boolean with a separate True', input: words('vllm serve m --enable-chunked-prefill True --port 1'), want: { values: { 'enable-chunked-prefill': true, port: 1 }, model: 'm', modelFrom: 'positional' } },
  { name: 'a boolean before the model does not eat it', input: words('vllm serve --trust-remote-code m'), want: { values: { 'trust-remote-code': true }, model: 'm', modelFrom: 'positional' } },
  { name: 'the last occurrence wins', input: words('vllm serve m --port 1 --port 2 --no-enforce-eager --enforce-eager'), want: { values: { port: 2, 'enforce-eager': true }, model: 'm', modelFrom: 'positional' } },
  {
    name: '--served-model-name takes several values',
    input: words('vllm serve m --served-model-name a b --port 8000 --served-model-name=c'),
    want: { values: { 'served-model-name': ['c'], port: 8000 }, model: 'm', modelFrom: 'positional' },
  },
  { name: '--served-model-name without values', input: words('vllm serve m --served-model-name --port 1'), want: { values: { port: 1 }, model: 'm', modelFrom: 'positional', problems: ['--served-model-name expects at least one value'] } },
  {
    name: 'dotted JSON keys, + lists, value always next',
    input: words('vllm serve m --compilation-config.level 3 --json-arg.key4+ a,b --speculative_config.model=-x --kv.a -1'),
    want: { values: { 'compilation-config.level': '3', 'json-arg.key4': 'a,b', 'speculative-config.model': '-x', 'kv.a': '-1' }, model: 'm', modelFrom: 'positional' },
  },
  { name: 'dotted short alias', input: words('vllm serve m -cc.mode 3'), want: { values: { 'compilation-config.mode': '3' }, model: 'm', modelFrom: 'positional' } },
  { name: 'dotted without value', input: words('vllm serve m --a.b'), want: { model: 'm', modelFrom: 'positional', problems: ['--a.b expects a value'] } },
  { name: 'positional beats --model', input: words('vllm serve pos --model flag'), want: { values: { model: 'flag' }, model: 'pos', modelFrom: 'positional' } },
  { name: '--model only', input: words('vllm serve --model flag -tp 2'), want: { values: { model: 'flag', 'tensor-parallel-size': 2 }, model: 'flag', modelFrom: 'flag' } },
  {
    name: 'python -m api_server with --model',
    input: words('python3 -m vllm.entrypoints.openai.api_server --model m --port 8080 --max-model-len 32k'),
    want: { values: { model: 'm', port: 8080, 'max-model-len': 32000 }, model: 'm', modelFrom: 'flag' },
  },
  { name: 'api_server has no positional model', input: words('python3 -u -m vllm.entrypoints.openai.api_server stray'), want: { problems: ['an extra positional argument (vLLM refuses unrecognized arguments)'] } },
  { name: 'python -m vllm.entrypoints.cli.main serve', input: words('python -m vllm.entrypoints.cli.main serve m'), want: { model: 'm', modelFrom: 'positional' } },
  { name: 'python -m something else is not read', input: words('python -m other --port 1'), want: { values: { port: 1 } } },
  { name: 'python script is not read', input: words('python serve.py --port 1'), want: {} },
  { name: 'vllm bench is read without a model', input: words('vllm bench --model m x'), want: { values: { model: 'm' }, model: 'm', modelFrom: 'flag' } },
  {
    name: 'huggingfaceserver --model_id',
    input: words('python -m huggingfaceserver --model_name=llama --model_id=meta-llama/Llama-3.1-8B --model_dir /mnt/models'),
    want: { values: { 'model-name': 'llama', 'model-id': 'meta-llama/Llama-3.1-8B', 'model-dir': '/mnt/models' }, model: 'meta-llama/Llama-3.1-8B', modelFrom: 'flag' },
  },
  { name: 'huggingfaceserver --model_dir', input: words('python -m huggingfaceserver --model_dir=/mnt/models'), want: { values: { 'model-dir': '/mnt/models' }, model: '/mnt/models', modelFrom: 'flag' } },
  {
    name: 'numbers: human ints, ints, floats, invalid kept raw',
    input: words(
      'vllm serve m --max-model-len 1K --max-num-batched-tokens 2k --kv-cache-memory-bytes 1G --max-num-seqs 1k --gpu-memory-utilization 0.9 --swap-space 1e1 --cpu-offload-gb abc --port 80.5 --max-num-partial-prefills 2',
    ),
    want: {
      values: {
        'max-model-len': 1024, 'max-num-batched-tokens': 2000, 'kv-cache-memory-bytes': 2 ** 30, 'max-num-seqs': '1k',
        'gpu-memory-utilization': 0.9, 'swap-space': 10, 'cpu-offload-gb': 'abc', port: '80.5', 'max-num-partial-prefills': 2,
      },
      model: 'm', modelFrom: 'positional',
    },
  },
  { name: 'max-model-len auto and -1', input: words('vllm serve m --max-model-len auto --max-num-batched-tokens -1'), want: { values: { 'max-model-len': 'auto', 'max-num-batched-tokens': -1 }, model: 'm', modelFrom: 'positional' } },
  { name: 'inf is not a finite float', input: words('vllm serve m --gpu-memory-utilization 1e999'), want: { values: { 'gpu-memory-utilization': '1e999' }, model: 'm', modelFrom: 'positional' } },
  { name: 'an option without its value', input: words('vllm serve m --dtype --port 1 --api-key'), want: { values: { port: 1 }, model: 'm', modelFrom: 'positional', problems: ['--dtype expects a value', '--api-key expects a value'] } },
  { name: '--hf-token alone means the stored login', input: words('vllm serve m --hf-token'), want: { values: { 'hf-token': true }, model: 'm', modelFrom: 'positional' } },
  { name: 'literal --api-key is recorded', input: words('vllm serve m --api-key sk-123 --hf-token=hf_x'), want: { values: { 'api-key': 'sk-123', 'hf-token': 'hf_x' }, model: 'm', modelFrom: 'positional' } },
  {
    name: 'secret-backed values are unknown, never copied',
    input: [...words('vllm serve m --api-key'), SECRET, { text: '--hf-token=$(TOKEN)', unknown: SECRET.unknown }, { text: '--enforce-eager=$(B)', unknown: 'B comes from configMapKeyRef' }],
    want: { unknown: { 'api-key': SECRET.unknown as string, 'hf-token': SECRET.unknown as string, 'enforce-eager': 'B comes from configMapKeyRef' }, model: 'm', modelFrom: 'positional' },
  },
  { name: 'a later known value clears an unknown one', input: [...words('vllm serve m --port'), SECRET, ...words('--port 9000')], want: { values: { port: 9000 }, model: 'm', modelFrom: 'positional' } },
  { name: 'a later unknown value hides a known one', input: [...words('vllm serve m --port 9000 --port'), SECRET], want: { unknown: { port: SECRET.unknown as string }, model: 'm', modelFrom: 'positional' } },
  { name: 'GKE $(MODEL_ID) unresolved: the model is unknown', input: [...words('vllm serve'), SECRET, ...words('-tp 8')], want: { values: { 'tensor-parallel-size': 8 }, unknown: { model: SECRET.unknown as string }, modelFrom: 'positional' } },
  { name: 'an unknown word after the model may set any option', input: [...words('vllm serve m'), { text: '$EXTRA', unknown: '$EXTRA has no literal value in the container env' }], want: { unknown: { '*': '$EXTRA has no literal value in the container env' }, model: 'm', modelFrom: 'positional' } },
  { name: 'an unknown flag name', input: [...words('vllm serve m'), { text: '--$(FLAG)', unknown: 'secret' }], want: { unknown: { '*': 'secret' }, model: 'm', modelFrom: 'positional' } },
  { name: 'unknown --model value', input: [...words('vllm serve --model'), SECRET], want: { unknown: { model: SECRET.unknown as string }, modelFrom: 'flag' } },
  { name: 'unknown list item', input: [...words('vllm serve m --served-model-name a'), SECRET], want: { unknown: { 'served-model-name': SECRET.unknown as string }, model: 'm', modelFrom: 'positional' } },
  { name: 'unknown huggingfaceserver model id', input: [...words('python -m huggingfaceserver --model_id'), SECRET], want: { unknown: { 'model-id': SECRET.unknown as string, model: SECRET.unknown as string }, modelFrom: 'flag' } },
  { name: '--config file', input: words('vllm serve m --config /etc/vllm/config.yaml'), want: { values: { config: '/etc/vllm/config.yaml' }, unknown: { config: 'the values in the --config file cannot be read at admission' }, model: 'm', modelFrom: 'positional' } },
  { name: '-- ends options', input: words('vllm serve -- m --port'), want: { model: 'm', modelFrom: 'positional', problems: ['an extra positional argument (vLLM refuses unrecognized arguments)'] } },
  { name: 'extra positional', input: words('vllm serve a b'), want: { model: 'a', modelFrom: 'positional', problems: ['an extra positional argument (vLLM refuses unrecognized arguments)'] } },
  { name: 'unknown short option takes a value', input: words('vllm serve m -x 1 -y'), want: { values: { x: '1' }, model: 'm', modelFrom: 'positional', problems: ['--y expects a value'] } },
  { name: 'negative numbers are values', input: words('vllm serve m --seed -5 --max-model-len=-1'), want: { values: { seed: -5, 'max-model-len': -1 }, model: 'm', modelFrom: 'positional' } },
  { name: '__proto__ is ignored', input: words('vllm serve m -__proto__ x'), want: { model: 'm', modelFrom: 'positional' } },
  {
    name: 'env equivalents when the flag is absent',
    input: words('vllm serve m'),
    env: [{ name: 'VLLM_API_KEY', valueFrom: { secretKeyRef: { name: 'k', key: 'k' } } }, { name: 'HF_TOKEN', value: '' }, { name: 'HUGGING_FACE_HUB_TOKEN', value: 'hf_literal' }],
    want: { values: { 'api-key': true, 'hf-token': true }, model: 'm', modelFrom: 'positional', fromEnv: { 'api-key': 'VLLM_API_KEY', 'hf-token': 'HUGGING_FACE_HUB_TOKEN' } },
  },
  { name: 'the flag beats the env', input: words('vllm serve m --api-key k'), env: [{ name: 'VLLM_API_KEY', value: 'e' }], want: { values: { 'api-key': 'k' }, model: 'm', modelFrom: 'positional' } },
  { name: 'envFrom may set the key', input: words('vllm serve m'), envFrom: true, want: { unknown: { 'api-key': 'VLLM_API_KEY may come from envFrom: secretRef', 'hf-token': 'HF_TOKEN may come from envFrom: secretRef' }, model: 'm', modelFrom: 'positional' } },
  { name: 'env equivalents apply without a known command', input: null, env: [{ name: 'VLLM_API_KEY', value: 'x' }], want: { values: { 'api-key': true }, fromEnv: { 'api-key': 'VLLM_API_KEY' } } },
  {
    name: 'KServe multinode TENSOR_PARALLEL_SIZE / PIPELINE_PARALLEL_SIZE',
    input: words('python -m huggingfaceserver --model_dir=/mnt/models'),
    env: [{ name: 'TENSOR_PARALLEL_SIZE', value: '4' }, { name: 'PIPELINE_PARALLEL_SIZE', valueFrom: { fieldRef: { fieldPath: 'x' } } }],
    want: {
      values: { 'model-dir': '/mnt/models', 'tensor-parallel-size': 4 },
      unknown: { 'pipeline-parallel-size': 'PIPELINE_PARALLEL_SIZE comes from fieldRef' },
      model: '/mnt/models', modelFrom: 'flag',
      fromEnv: { 'tensor-parallel-size': 'TENSOR_PARALLEL_SIZE', 'pipeline-parallel-size': 'PIPELINE_PARALLEL_SIZE' },
    },
  },
  { name: 'TENSOR_PARALLEL_SIZE is not read by vllm serve', input: words('vllm serve m'), env: [{ name: 'TENSOR_PARALLEL_SIZE', value: '4' }], want: { model: 'm', modelFrom: 'positional' } },
];

t.test('parseVllmArgs', async (t) => {
  for (const c of cases) {
    const env = c.env || c.envFrom ? buildEnvLookup({ env: c.env ?? [], ...(c.envFrom ? { envFrom: [{ secretRef: { name: 's' } }] } : {}) }) : noEnv;
    const want: VllmArgs = { values: {}, unknown: {}, model: null, modelFrom: null, problems: [], fromEnv: {}, at: {}, from: {}, ...c.want };
    const got = parseVllmArgs(c.input, env);
    // An unknown option keeps its text as written as a stand-in for messages (checked below);
    // what rules may judge is the rest.
    const judged = { ...got, values: Object.fromEntries(Object.entries(got.values).filter(([k]) => k === 'config' || !(k in got.unknown))), model: 'model' in got.unknown ? null : got.model };
    t.same(judged, want, c.name);
  }
});

t.test('an unknown value stands in as written, marked unknown; the flag and its source are located', async (t) => {
  const env = buildEnvLookup({ env: [{ name: 'TP', valueFrom: { configMapKeyRef: { name: 'c', key: 'tp' } } }, { name: 'PP', value: '2' }] });
  const tokens = ['vllm', 'serve', '$(M)', '--tensor-parallel-size', '$(TP)', '--pipeline-parallel-size', '$(PP)'].map((text, i) => ({ text, at: `args[${i}]` }));
  const expanded = tokens.map((tk) => ({ ...expandKubeletRefs(tk.text, env), at: tk.at }));
  const got = parseVllmArgs(expanded, env);
  t.equal(got.values['tensor-parallel-size'], '$(TP)');
  t.match(got.unknown['tensor-parallel-size'], /TP comes from configMapKeyRef/);
  t.equal(got.values['pipeline-parallel-size'], 2);
  t.same(got.at, { model: 'args[2]', 'tensor-parallel-size': 'args[3]', 'pipeline-parallel-size': 'args[5]' });
  t.same(got.from, { 'pipeline-parallel-size': 'env PP' });
});

t.test('an envFrom token without a reason still marks the option unknown', async (t) => {
  const env = (name: string): Token | undefined => (name === 'VLLM_API_KEY' ? { text: '', source: 'envFrom' } : undefined);
  t.same(parseVllmArgs(null, env).unknown, { 'api-key': 'VLLM_API_KEY may come from envFrom' });
});

t.test('linear on 10,000 repeated flags and a 1 MB argument', async (t) => {
  const repeated = words(`vllm serve m ${'--max-num-seqs 8 --enforce-eager --served-model-name a b '.repeat(10_000)}`);
  let start = performance.now();
  t.equal(parseVllmArgs(repeated, noEnv).values['max-num-seqs'], 8);
  t.ok(performance.now() - start < HANG_CEILING_MS, '10,000 repeats do not hang');
  const big = 'x'.repeat(1_000_000);
  start = performance.now();
  const got = parseVllmArgs([...words('vllm serve'), { text: big }, { text: `--chat-template=${big}` }, { text: `--${'a_'.repeat(100_000)}` }, { text: 'v' }], noEnv);
  t.equal(got.model?.length, 1_000_000);
  t.equal((got.values['chat-template'] as string).length, 1_000_000);
  t.ok(performance.now() - start < HANG_CEILING_MS, '1 MB arguments do not hang');
});
