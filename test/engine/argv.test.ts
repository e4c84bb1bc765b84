import t from 'tap';
import {
  compileEntrypoints,
  DEFAULT_ENTRYPOINTS,
  effectiveArgv,
  findEntrypoint,
  UNKNOWN_ENTRYPOINT,
} from '../../src/engine/command/argv.js';
import { buildEnvLookup } from '../../src/engine/command/container-env.js';
import { expandKubeletRefs } from '../../src/engine/command/kubelet-expand.js';
import type { JsonObject, Token } from '../../src/engine/types.js';
import { HANG_CEILING_MS } from '../hang-ceiling.js';

const render = (tokens: Token[] | null): string[] | null => (tokens ? tokens.map((tok) => (tok.unknown ? `?${tok.text}` : tok.text)) : null);
const renderAll = (commands: Token[][] | null): string[][] | null => (commands ? commands.map((c) => render(c) as string[]) : null);

const SECRET_ENV = [
  { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'token' } } },
  { name: 'MODEL_ID', value: 'google/gemma-3-27b-it' },
];

interface Case {
  name: string;
  input: JsonObject;
  want: { source: string; tokens?: string[] | null; commands: string[][] | null; unknownReason?: string };
}

const cases: Case[] = [
  {
    name: 'command + args',
    input: { image: 'x', command: ['vllm', 'serve'], args: ['m', '--port', 8000, true, { bad: 1 }] },
    want: { source: 'command', tokens: ['vllm', 'serve', 'm', '--port', '8000', 'true'], commands: [['vllm', 'serve', 'm', '--port', '8000', 'true']] },
  },
  {
    name: 'args under a known ENTRYPOINT',
    input: { image: 'vllm/vllm-openai:v0.11.1', args: ['meta-llama/Llama-3.1-8B', '--max-model-len', '32k'] },
    want: { source: 'entrypoint', commands: [['vllm', 'serve', 'meta-llama/Llama-3.1-8B', '--max-model-len', '32k']] },
  },
  {
    name: 'args under the api_server ENTRYPOINT of vllm-openai v0.11.0 and older',
    input: { image: 'vllm/vllm-openai:v0.10.0', args: ['--model', 'meta-llama/Llama-3.1-8B'] },
    want: { source: 'entrypoint', commands: [['python3', '-m', 'vllm.entrypoints.openai.api_server', '--model', 'meta-llama/Llama-3.1-8B']] },
  },
  {
    name: 'KServe huggingfaceserver ENTRYPOINT',
    input: { image: 'docker.io/kserve/huggingfaceserver:v0.15.2-gpu', args: ['--model_name=m'] },
    want: { source: 'entrypoint', commands: [['python', '-m', 'huggingfaceserver', '--model_name=m']] },
  },
  {
    name: 'args under an unknown ENTRYPOINT',
    input: { image: 'registry.example.com/custom:1', args: ['--model', 'x'] },
    want: { source: 'args', tokens: null, commands: null, unknownReason: UNKNOWN_ENTRYPOINT },
  },
  {
    name: 'neither command nor args, unknown image',
    input: { image: 'busybox', command: [] },
    want: { source: 'entrypoint', tokens: null, commands: null, unknownReason: UNKNOWN_ENTRYPOINT },
  },
  {
    name: 'GKE $(MODEL_ID) from literal env; $(HF_TOKEN) from a Secret is unknown',
    input: { image: 'x', command: ['python3', '-m', 'vllm.entrypoints.openai.api_server'], args: ['--model=$(MODEL_ID)', '--hf-token=$(HF_TOKEN)'], env: SECRET_ENV },
    want: { source: 'command', commands: [['python3', '-m', 'vllm.entrypoints.openai.api_server', '--model=google/gemma-3-27b-it', '?--hf-token=$(HF_TOKEN)']] },
  },
  {
    name: '$$(VAR) escapes, unresolvable $(NOPE) stays literal',
    input: { image: 'x', command: ['echo', '$$(MODEL_ID)', '$(NOPE)', 'a$$b', '$(unclosed', 'cost$5', 'end$'], env: SECRET_ENV },
    want: { source: 'command', commands: [['echo', '$(MODEL_ID)', '$(NOPE)', 'a$b', '$(unclosed', 'cost$5', 'end$']] },
  },
  {
    name: 'VK8S sh -c',
    input: { image: 'vllm/vllm-openai:latest', command: ['/bin/sh', '-c'], args: ['vllm serve mistralai/Mistral-7B-Instruct-v0.3 --trust-remote-code --max_num_batched_tokens 1024'] },
    want: { source: 'shell', commands: [['vllm', 'serve', 'mistralai/Mistral-7B-Instruct-v0.3', '--trust-remote-code', '--max_num_batched_tokens', '1024']] },
  },
  {
    name: 'KServe bash -c … $@ bash, with $0 and ${MODEL} from literal env',
    input: {
      image: 'kserve/vllmserver:latest',
      command: ['bash', '-c'],
      args: ['python3 -m vllm.entrypoints.openai.api_server --model ${MODEL} --port 8080 $@ # $0', 'bash', '--max-model-len', '4096'],
      env: [{ name: 'MODEL', value: '/mnt/models' }],
    },
    want: { source: 'shell', commands: [['python3', '-m', 'vllm.entrypoints.openai.api_server', '--model', '/mnt/models', '--port', '8080', '--max-model-len', '4096']] },
  },
  {
    name: 'kubelet expands $(VAR) inside the script before the shell does',
    input: { image: 'x', command: ['sh', '-c', 'vllm serve $(MODEL_ID) --api-key $HF_TOKEN'], env: SECRET_ENV },
    want: { source: 'shell', commands: [['vllm', 'serve', 'google/gemma-3-27b-it', '--api-key', '?$HF_TOKEN']] },
  },
  {
    name: 'LWS leader script: an unresolved $(LWS_GROUP_SIZE) only hides its own word',
    input: {
      image: 'vllm/vllm-openai:latest',
      command: ['sh', '-c', 'bash /vllm-workspace/examples/online_serving/multi-node-serving.sh leader --ray_cluster_size=$(LWS_GROUP_SIZE); python3 -m vllm.entrypoints.openai.api_server --port 8080 --model meta-llama/Meta-Llama-3.1-405B-Instruct --tensor-parallel-size 8 --pipeline_parallel_size 2'],
    },
    want: {
      source: 'shell',
      commands: [
        ['bash', '/vllm-workspace/examples/online_serving/multi-node-serving.sh', 'leader', '?--ray_cluster_size=$(LWS_GROUP_SIZE)'],
        ['python3', '-m', 'vllm.entrypoints.openai.api_server', '--port', '8080', '--model', 'meta-llama/Meta-Llama-3.1-405B-Instruct', '--tensor-parallel-size', '8', '--pipeline_parallel_size', '2'],
      ],
    },
  },
  { name: 'combined -ec', input: { image: 'x', command: ['bash', '-ec', 'vllm serve a'] }, want: { source: 'shell', commands: [['vllm', 'serve', 'a']] } },
  { name: 'combined -lc', input: { image: 'x', command: ['bash', '-lc', 'vllm serve a'] }, want: { source: 'shell', commands: [['vllm', 'serve', 'a']] } },
  { name: 'combined -eucx', input: { image: 'x', command: ['sh', '-eucx', 'vllm serve a'] }, want: { source: 'shell', commands: [['vllm', 'serve', 'a']] } },
  { name: '-c after other flags', input: { image: 'x', command: ['bash', '-e', '-o', 'pipefail', '--login', '-c', 'vllm serve a'] }, want: { source: 'shell', commands: [['vllm', 'serve', 'a']] } },
  { name: 'bash --rcfile takes a value', input: { image: 'x', command: ['bash', '--rcfile', '/x', '-c', 'vllm serve a'] }, want: { source: 'shell', commands: [['vllm', 'serve', 'a']] } },
  { name: '-- ends shell options', input: { image: 'x', command: ['sh', '-c', '--', 'vllm serve a'] }, want: { source: 'shell', commands: [['vllm', 'serve', 'a']] } },
  { name: 'env before the shell', input: { image: 'x', command: ['/usr/bin/env', '-i', 'A=1', 'dash', '-c', 'vllm serve a'] }, want: { source: 'shell', commands: [['vllm', 'serve', 'a']] } },
  { name: 'zsh and ash count as shells', input: { image: 'x', command: ['zsh', '-c', 'ash -c x'] }, want: { source: 'shell', commands: [['ash', '-c', 'x']] } },
  { name: 'a shell running a file is not a script', input: { image: 'x', command: ['bash', '/start.sh', '-c'] }, want: { source: 'command', commands: [['bash', '/start.sh', '-c']] } },
  { name: 'sh -c without a script', input: { image: 'x', command: ['sh', '-c'] }, want: { source: 'shell', commands: [] } },
  { name: 'not a shell', input: { image: 'x', command: ['python3', '-c', 'print(1)'] }, want: { source: 'command', commands: [['python3', '-c', 'print(1)']] } },
];

t.test('effectiveArgv', async (t) => {
  for (const c of cases) {
    const got = effectiveArgv(c.input, compileEntrypoints(DEFAULT_ENTRYPOINTS));
    t.equal(got.source, c.want.source, `${c.name}: source`);
    t.same(renderAll(got.commands), c.want.commands, `${c.name}: commands`);
    if (c.want.tokens !== undefined) t.same(render(got.tokens), c.want.tokens, `${c.name}: tokens`);
    t.equal(got.unknownReason, c.want.unknownReason, `${c.name}: reason`);
  }
});

t.test('args stay readable when the ENTRYPOINT is not known', async (t) => {
  const got = effectiveArgv({ image: 'custom', args: ['--model', '$(MODEL_ID)'], env: SECRET_ENV }, compileEntrypoints(DEFAULT_ENTRYPOINTS));
  t.same(render(got.args), ['--model', 'google/gemma-3-27b-it']);
});

t.test('an empty ENTRYPOINT and a missing image', async (t) => {
  t.same(effectiveArgv({ image: 'e' }, compileEntrypoints([{ image: '^e$', command: [] }])).commands, [[]]);
  t.equal(effectiveArgv({}, compileEntrypoints(DEFAULT_ENTRYPOINTS)).unknownReason, UNKNOWN_ENTRYPOINT);
});

t.test('the ENTRYPOINT itself is not kubelet-expanded', async (t) => {
  const got = effectiveArgv({ image: 'img' }, compileEntrypoints([{ image: '^img$', command: ['run', '$(A)'] }]));
  t.same(render(got.tokens), ['run', '$(A)']);
});

t.test('buildEnvLookup', async (t) => {
  const lookup = buildEnvLookup({
    env: [
      { name: 'A', value: 'a' },
      { name: 'B', value: '$(A)-$(C)-$$(A)' },
      { name: 'C', value: 'c' },
      { name: 'S', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
      { name: 'CM', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } },
      { name: 'F', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'R', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
      { name: 'ODD', valueFrom: {} },
      { name: 'D', value: 'x$(S)' },
      { name: 'N', value: 3 },
      { name: 'NONE' },
      { value: 'no name' },
      'not an object',
    ],
  });
  t.same(lookup('A'), { text: 'a', source: 'literal' });
  t.same(lookup('B'), { text: 'a-$(C)-$(A)', source: 'literal', from: 'env A' }, 'earlier entries expand, later ones stay literal');
  t.same(lookup('S'), { text: '', unknown: 'S comes from secretKeyRef', source: 'secretKeyRef' });
  t.equal(lookup('CM')?.source, 'configMapKeyRef');
  t.equal(lookup('F')?.source, 'fieldRef');
  t.equal(lookup('R')?.source, 'resourceFieldRef');
  t.equal(lookup('ODD')?.source, 'valueFrom');
  t.same(lookup('D'), { text: 'x$(S)', unknown: 'S comes from secretKeyRef', source: 'literal' });
  t.same(lookup('N'), { text: '3', source: 'literal' });
  t.same(lookup('NONE'), { text: '', source: 'literal' });
  t.equal(lookup('MISSING'), undefined);
  t.same(lookup('LWS_LEADER_ADDRESS'), { text: '', unknown: 'LWS_LEADER_ADDRESS is set by LeaderWorkerSet at run time', source: 'injected' });

  const withEnvFrom = buildEnvLookup({ envFrom: [{ configMapRef: { name: 'c' } }, { prefix: 'P_', secretRef: { name: 's' } }, {}], env: [{ name: 'X', value: '$(FROM_CM)' }] });
  t.same(withEnvFrom('ANY'), { text: '', unknown: 'ANY may come from envFrom: configMapRef, secretRef', source: 'envFrom' });
  t.equal(withEnvFrom('X')?.unknown, 'FROM_CM may come from envFrom: configMapRef, secretRef', 'env values see envFrom names');
  t.equal(buildEnvLookup({ envFrom: [{}] })('A')?.unknown, 'A may come from envFrom: an unknown source');
});

t.test('expandKubeletRefs', async (t) => {
  const lookup = (name: string): Token | undefined => (name === 'S' ? { text: '', unknown: 'secret' } : name === 'A' ? { text: 'a' } : undefined);
  const cases: { name: string; input: string; keep?: boolean; want: Token }[] = [
    { name: 'no dollar', input: 'plain', want: { text: 'plain' } },
    { name: 'resolves', input: '$(A)/$(A)', want: { text: 'a/a', from: 'env A' } },
    { name: 'escape', input: '$$(A)', want: { text: '$(A)' } },
    { name: 'unknown', input: 'k=$(S)', want: { text: 'k=$(S)', unknown: 'secret' } },
    { name: 'unknown kept as text for scripts', input: 'k=$(S)', keep: true, want: { text: 'k=$(S)' } },
    { name: 'repeated unclosed opens stay literal', input: '$($($(A', want: { text: '$($($(A' } },
  ];
  for (const c of cases) t.same(expandKubeletRefs(c.input, lookup, c.keep), c.want, c.name);
  const huge = `--x=${'$('.repeat(500_000)}`;
  const start = performance.now();
  t.equal(expandKubeletRefs(huge, lookup).text, huge);
  t.ok(performance.now() - start < HANG_CEILING_MS, '1 MB of $( does not hang');
});

t.test('a chain of env values doubling through $(VAR) stops at 64 KiB: that value and those after it are unknown', async (t) => {
  const env = Array.from({ length: 10_000 }, (_, i) => ({ name: `V${i}`, value: i === 0 ? 'x' : `$(V${i - 1})$(V${i - 1})` }));
  const lookup = buildEnvLookup({ env });
  t.match(lookup('V16'), { text: 'x'.repeat(65_536), source: 'literal' }, '64 KiB is still expanded');
    t.notOk(lookup('V16')?.unknown);
  t.same(lookup('V17'), { text: '$(V16)$(V16)', unknown: '$(V16) expands the value past 64 KiB, so it is not expanded', source: 'literal' });
  t.same(lookup('V9999'), { text: '$(V9998)$(V9998)', unknown: '$(V16) expands the value past 64 KiB, so it is not expanded', source: 'literal' }, 'the last one, with the reason');
  const argv = effectiveArgv({ image: 'x', command: ['vllm', 'serve', 'm', '--served-model-name', '$(V9999)'], env }, compileEntrypoints(DEFAULT_ENTRYPOINTS));
  t.match(argv.tokens?.[4], { text: '$(V9999)', unknown: /expands the value past 64 KiB/, at: 'command[4]' }, 'the argument using it is unknown, with the reason');
  t.same(expandKubeletRefs(`${'y'.repeat(65_530)}$(A)`, (name) => (name === 'A' ? { text: 'a'.repeat(10) } : undefined)).unknown, '$(A) expands the value past 64 KiB, so it is not expanded', 'a literal prefix counts too');
});

t.test('a 1 MB argument passes through', async (t) => {
  const big = 'x'.repeat(1_000_000);
  const got = effectiveArgv({ image: 'x', command: ['vllm', 'serve', big] }, compileEntrypoints(DEFAULT_ENTRYPOINTS));
  t.equal(got.tokens?.[2]?.text.length, 1_000_000);
});

t.test('findEntrypoint: first match wins', async (t) => {
  const table = [
    { image: 'vllm-openai:v0\\.[0-5]\\.', command: ['python3', '-m', 'vllm.entrypoints.openai.api_server'] },
    { image: 'vllm-openai', command: ['vllm', 'serve'] },
  ];
  t.same(findEntrypoint('vllm/vllm-openai:v0.5.4', compileEntrypoints(table)), ['python3', '-m', 'vllm.entrypoints.openai.api_server']);
  t.same(findEntrypoint('vllm/vllm-openai:v0.10.0', compileEntrypoints(table)), ['vllm', 'serve']);
  t.equal(findEntrypoint('other', compileEntrypoints(table)), null);
  const defaults: [string, string[] | null][] = [
    ['vllm/vllm-openai:latest', ['vllm', 'serve']],
    ['docker.io/vllm/vllm-openai-rocm@sha256:abc', ['vllm', 'serve']],
    ['public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.10.2', ['vllm', 'serve']],
    ['lmcache/vllm-openai:2025-05-27-v1', ['vllm', 'serve']],
    ['kserve/huggingfaceserver', ['python', '-m', 'huggingfaceserver']],
    ['rocm/vllm:latest', null],
    ['vllm/vllm-openai-extra:1', null],
  ];
  for (const [image, want] of defaults) t.same(findEntrypoint(image, compileEntrypoints(DEFAULT_ENTRYPOINTS)), want, image);
});
