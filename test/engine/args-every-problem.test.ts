// vllm-args-valid reports every argument vLLM refuses in one answer (issue 9 item 4): what a user sees
// through `vllm-guard check`, `vllm-guard fix` and the webhook's denial. argparse itself reports every
// unrecognized argument at once; the user must not have to fix, apply and be denied again per typo.
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run } from '../cli/run.js';
import { admit } from '../cases/admit.js';

interface JsonFinding {
  policy: string;
  action: string;
  message: string;
  remediation: string;
  path: string;
  line?: number;
  fix?: { description: string; patch: { op: string; path: string; value?: unknown }[] };
}

/** A Deployment of `image` whose container passes `args` (one item per line, so each has its own line). */
function manifest(image: string, args: readonly string[], command?: readonly string[]): string {
  const list = (items: readonly string[]) => items.map((a) => `            - ${JSON.stringify(a)}`).join('\n');
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: llama, namespace: ml, labels: { team: ml } }
spec:
  replicas: 1
  selector: { matchLabels: { app: llama } }
  template:
    metadata: { labels: { app: llama } }
    spec:
      containers:
        - name: vllm
          image: ${image}
${command ? `          command:\n${list(command)}\n` : ''}          args:
${list(args)}
          resources:
            limits: { nvidia.com/gpu: 1 }
`;
}

/** vllm/vllm-openai:v0.8.5 runs the api_server module: the model comes with --model. */
const THREE_TYPOS = ['--model', 'meta-llama/Llama-3.1-8B-Instruct', '--tensor-paralel-size', '1', '--max-modle-len', '4096', '--gpu-memory-utilisation', '0.9'];

async function argFindings(file: string): Promise<JsonFinding[]> {
  const { stdout } = await run(['check', '-o', 'json', file]);
  const results = (JSON.parse(stdout) as { results: { findings: JsonFinding[] }[] }).results;
  return results.flatMap((r) => r.findings).filter((f) => f.policy === 'vllm-args-valid');
}

t.test('three typos: three denies, each at its own argument and line, each with its own rename', async (t) => {
  const file = path.join(t.testdir({}), 'three.yaml');
  writeFileSync(file, manifest('vllm/vllm-openai:v0.8.5', THREE_TYPOS));
  const found = await argFindings(file);
  t.same(
    found.map((f) => [f.action, f.path.replace('spec.template.spec.containers[0].', ''), f.line]),
    [
      ['deny', 'args[2]', 16],
      ['deny', 'args[4]', 18],
      ['deny', 'args[6]', 20],
    ],
  );
  t.match(found[0]?.message, /^unknown option --tensor-paralel-size \(did you mean --tensor-parallel-size\?\) \(container vllm\): vLLM exits: "unrecognized arguments: --tensor-paralel-size"\. Checked against vLLM v0\.8\.5/);
  t.match(found[1]?.message, /^unknown option --max-modle-len \(did you mean --max-model-len\?\)/);
  t.match(found[2]?.message, /^unknown option --gpu-memory-utilisation \(did you mean --gpu-memory-utilization\?\)/);
  t.same(
    found.map((f) => f.fix?.patch),
    [
      [{ op: 'replace', path: '/spec/template/spec/containers/0/args/2', value: '--tensor-parallel-size' }],
      [{ op: 'replace', path: '/spec/template/spec/containers/0/args/4', value: '--max-model-len' }],
      [{ op: 'replace', path: '/spec/template/spec/containers/0/args/6', value: '--gpu-memory-utilization' }],
    ],
    'three fixes, one per rename',
  );
});

t.test('vllm-guard fix applies all three renames, and a re-check has nothing left to say', async (t) => {
  const file = path.join(t.testdir({}), 'three.yaml');
  writeFileSync(file, manifest('vllm/vllm-openai:v0.8.5', THREE_TYPOS));
  const fixed = await run(['fix', file]);
  t.match(fixed.stdout, /rename --tensor-paralel-size to --tensor-parallel-size/);
  t.match(fixed.stdout, /rename --max-modle-len to --max-model-len/);
  t.match(fixed.stdout, /rename --gpu-memory-utilisation to --gpu-memory-utilization/);
  const after = readFileSync(file, 'utf8');
  for (const flag of ['--tensor-parallel-size', '--max-model-len', '--gpu-memory-utilization']) t.match(after, `- "${flag}"`, `${flag} written`);
  t.same(await argFindings(file), [], 'vLLM takes every argument now');
});

t.test('a typo and a deprecated flag: one deny and one warn, each at its own argument', async (t) => {
  const file = path.join(t.testdir({}), 'mixed.yaml');
  writeFileSync(file, manifest('vllm/vllm-openai:v0.14.0', ['Qwen/Qwen3-8B', '--tensor-paralel-size', '1', '--disable-log-requests'], ['vllm', 'serve']));
  const found = await argFindings(file);
  t.same(
    found.map((f) => [f.action, f.path.replace('spec.template.spec.containers[0].', '')]),
    [
      ['deny', 'args[1]'],
      ['warn', 'args[3]'],
    ],
  );
  t.match(found[1]?.message, /^--disable-log-requests is deprecated in vLLM v0\.14\.0/);
});

t.test('several problems in one shell script: one deny at the script naming them all, in the line argparse prints', async (t) => {
  const file = path.join(t.testdir({}), 'script.yaml');
  writeFileSync(file, manifest('vllm/vllm-openai:v0.10.1.1', ['vllm serve Qwen/Qwen3-8B --tensor-paralel-size 1 --max-modle-len 4096'], ['sh', '-c']));
  const found = await argFindings(file);
  t.equal(found.length, 1, 'one field, one finding');
  t.match(found[0]?.message, /^2 arguments: --tensor-paralel-size, --max-modle-len \(container vllm\): vLLM exits: "unrecognized arguments: --tensor-paralel-size --max-modle-len"\./);
  t.equal(found[0]?.remediation, 'use --tensor-parallel-size; use --max-model-len');
  t.equal(found[0]?.fix, undefined, 'a script is not edited');
});

t.test('the same typo twice: both denied, neither renamed (which value was meant is a person\'s call)', async (t) => {
  const file = path.join(t.testdir({}), 'twice.yaml');
  writeFileSync(file, manifest('vllm/vllm-openai:v0.8.5', ['--model', 'm', '--tensor-paralel-size', '1', '--tensor-paralel-size', '2']));
  const found = await argFindings(file);
  t.same(found.map((f) => [f.path.replace('spec.template.spec.containers[0].', ''), f.fix]), [['args[2]', undefined], ['args[4]', undefined]]);
});

t.test('2 000 typos: 32 arguments listed one by one, the rest counted in one finding', async (t) => {
  const file = path.join(t.testdir({}), 'many.yaml');
  const args = ['--model', 'm'];
  for (let i = 0; i < 1000; i++) args.push('--max-modle-len', '4096');
  writeFileSync(file, manifest('vllm/vllm-openai:v0.8.5', args));
  const found = await argFindings(file);
  t.equal(found.length, 33);
  t.equal(found[31]?.path, 'spec.template.spec.containers[0].args[64]', 'the 32nd typo');
  t.match(found[32], { action: 'deny', path: 'spec.template.spec.containers[0].args[66]', message: /^968 more argument problems, not listed one by one \(container vllm\): vLLM exits at start on each of them/ });
});

t.test('the webhook denies once, naming every argument vLLM refuses', async (t) => {
  const object = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'llama', namespace: 'ml' },
    spec: { template: { spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.8.5', args: THREE_TYPOS, resources: { limits: { 'nvidia.com/gpu': 1 } } }] } } },
  };
  const outcome = admit(object, { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments' }, 'ml', 'alice');
  t.equal(outcome.response.allowed, false);
  const message = outcome.response.status?.message ?? '';
  for (const [at, typo, rename] of [
    [2, '--tensor-paralel-size', '--tensor-parallel-size'],
    [4, '--max-modle-len', '--max-model-len'],
    [6, '--gpu-memory-utilisation', '--gpu-memory-utilization'],
  ] as const) {
    t.match(message, `- vllm-args-valid: unknown option ${typo} (did you mean ${rename}?)`, typo);
    t.match(message, `at:  spec.template.spec.containers[0].args[${at}] (container vllm)`);
    t.match(message, `rename ${typo} to ${rename} in container vllm`);
  }
});
