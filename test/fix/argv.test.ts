// Fixes that edit the vLLM command line (setFlag / renameFlag in the policy files): each is offered
// only when the token to change is plainly there and the value is certain, and the patch, applied
// with a JSON Patch library, clears the finding.
import t from 'tap';
import fastJsonPatch, { type Operation } from 'fast-json-patch';
import { runCheck } from '../../src/cli/check.js';
import { loadEngine } from '../../src/load-engine.js';
import { renderJson } from '../../src/report/json.js';

const { applyPatch, deepClone } = fastJsonPatch;
const { engine } = loadEngine({ configFile: null, policiesDir: null });

interface JsonFinding {
  policy: string;
  path: string;
  message: string;
  remediation: string;
  fix?: { description: string; patch: Operation[]; needs?: string };
}

function findings(object: unknown): JsonFinding[] {
  const report = runCheck(engine, [{ source: 'x.yaml#1', file: 'x.yaml', object, lineOf: () => 1, positionOf: () => ({ line: 1, column: 1 }) }], []);
  return (JSON.parse(renderJson(report)) as { results: { findings: JsonFinding[] }[] }).results.flatMap((r) => r.findings);
}

interface Shape {
  args?: string[];
  command?: string[];
  gpus?: number;
  node?: string;
  env?: unknown[];
  image?: string;
}

function deployment(s: Shape) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'qwen', namespace: 'ml' },
    spec: {
      template: {
        spec: {
          ...(s.node ? { nodeSelector: { 'cloud.google.com/gke-accelerator': s.node } } : {}),
          containers: [
            {
              name: 'vllm',
              image: s.image ?? 'vllm/vllm-openai:v0.10.1.1',
              command: s.command ?? ['vllm', 'serve'],
              ...(s.args ? { args: s.args } : {}),
              ...(s.env ? { env: s.env } : {}),
              resources: { limits: { 'nvidia.com/gpu': s.gpus ?? 1 } },
            },
          ],
        },
      },
    },
  };
}

function one(object: unknown, policy: string): JsonFinding {
  const found = findings(object).find((f) => f.policy === policy);
  if (!found) throw new Error(`no ${policy} finding`);
  return found;
}

/** Applies the finding's patch with fast-json-patch and returns the new object and whether the policy still fails at that path. */
function applied(object: unknown, finding: JsonFinding) {
  const patched = applyPatch(deepClone(object), finding.fix?.patch ?? [], true, false).newDocument as ReturnType<typeof deployment>;
  const still = findings(patched).some((f) => f.policy === finding.policy && f.path === finding.path);
  return { container: patched.spec.template.spec.containers[0] as { args?: string[]; command?: string[]; env?: unknown[] }, still };
}

t.test('dtype-vs-accelerator: --dtype half on a T4, in the flag’s own token', (t) => {
  const object = deployment({ node: 'nvidia-tesla-t4', args: ['Qwen/Qwen3-4B', '--dtype', 'bfloat16', '--max-model-len', '8192'] });
  const finding = one(object, 'dtype-vs-accelerator');
  t.match(finding.fix?.description, /set --dtype half in container vllm: Tesla T4 \(compute capability 7\.5\) has no bfloat16/);
  t.same(finding.fix?.patch, [{ op: 'replace', path: '/spec/template/spec/containers/0/args/2', value: 'half' }]);
  const after = applied(object, finding);
  t.same(after.container.args, ['Qwen/Qwen3-4B', '--dtype', 'half', '--max-model-len', '8192']);
  t.notOk(after.still, 're-check no longer denies');

  const inline = deployment({ node: 'nvidia-tesla-t4', args: ['Qwen/Qwen3-4B', '--dtype=bfloat16'] });
  t.same(one(inline, 'dtype-vs-accelerator').fix?.patch, [{ op: 'replace', path: '/spec/template/spec/containers/0/args/1', value: '--dtype=half' }], '--dtype=bfloat16 stays one token');

  // --dtype auto (absent) with a bfloat16 checkpoint and a release that raises: the flag is added.
  const auto = deployment({ node: 'nvidia-tesla-t4', image: 'vllm/vllm-openai:v0.8.4', args: ['Qwen/Qwen3-4B'] });
  const autoFinding = one(auto, 'dtype-vs-accelerator');
  t.same(autoFinding.fix?.patch.map((p) => p.op === 'add' && p.value), ['--dtype', 'half'], 'an absent --dtype is appended to args');
  t.notOk(applied(auto, autoFinding).still);
  t.end();
});

t.test('dtype-vs-accelerator: no fix when the right dtype is not known', (t) => {
  const unlisted = deployment({ node: 'nvidia-tesla-t4', args: ['acme/private-model', '--dtype', 'bfloat16'] });
  const a = one(unlisted, 'dtype-vs-accelerator');
  t.equal(a.fix, undefined, 'a model outside the catalogue may be a family vLLM refuses in float16');
  const gemma = deployment({ node: 'nvidia-tesla-t4', args: ['google/gemma-2-2b', '--dtype', 'bfloat16'] });
  t.equal(one(gemma, 'dtype-vs-accelerator').fix, undefined, 'gemma2 refuses float16: float32 is a person’s call (memory)');
  const script = deployment({ node: 'nvidia-tesla-t4', command: ['sh', '-c', 'vllm serve Qwen/Qwen3-4B --dtype bfloat16'] });
  t.equal(one(script, 'dtype-vs-accelerator').fix, undefined, 'a sh -c script is not edited');
  const fromEnv = deployment({ node: 'nvidia-tesla-t4', args: ['Qwen/Qwen3-4B', '--dtype', '$(DTYPE)'], env: [{ name: 'DTYPE', value: 'bfloat16' }] });
  const expanded = findings(fromEnv).find((f) => f.policy === 'dtype-vs-accelerator');
  t.ok(expanded, 'the expanded value is judged');
  t.equal(expanded?.fix, undefined, 'but $(DTYPE) is not replaced by a literal');
  t.end();
});

t.test('probe-port-host: --host 0.0.0.0 for an IPv4 loopback only', (t) => {
  const object = deployment({ args: ['Qwen/Qwen3-8B', '--host=127.0.0.1'] });
  const finding = one(object, 'probe-port-host');
  t.same(finding.fix?.patch, [{ op: 'replace', path: '/spec/template/spec/containers/0/args/1', value: '--host=0.0.0.0' }]);
  t.notOk(applied(object, finding).still);
  const v6 = deployment({ args: ['Qwen/Qwen3-8B', '--host', '::1'] });
  t.equal(one(v6, 'probe-port-host').fix, undefined, '::1: the address depends on the cluster’s IP family');
  t.end();
});

t.test('no-literal-secrets: a literal --api-key becomes $(VLLM_API_KEY) from the placeholder Secret', (t) => {
  const object = deployment({ args: ['Qwen/Qwen3-8B', '--api-key', 'sk-live-0123456789abcdef'] });
  const finding = one(object, 'no-literal-secrets');
  t.equal(finding.path, 'spec.template.spec.containers[0].args[1]', 'the finding points at the flag');
  t.match(finding.fix?.needs, /create Secret qwen-credentials with key VLLM_API_KEY/, 'the Secret is a placeholder: --accept');
  t.notMatch(JSON.stringify(finding.fix), /sk-live/, 'the patch never carries the credential');
  const after = applied(object, finding);
  t.same(after.container.args, ['Qwen/Qwen3-8B', '--api-key', '$(VLLM_API_KEY)']);
  t.same(after.container.env, [{ name: 'VLLM_API_KEY', valueFrom: { secretKeyRef: { name: 'qwen-credentials', key: 'VLLM_API_KEY' } } }]);
  t.notOk(after.still, 're-check is clean');

  const hf = deployment({ args: ['Qwen/Qwen3-8B', '--hf-token=hf_abcdefghijklmnop'], env: [{ name: 'OTHER', value: 'x' }] });
  const hfAfter = applied(hf, one(hf, 'no-literal-secrets'));
  t.same(hfAfter.container.args, ['Qwen/Qwen3-8B', '--hf-token=$(HF_TOKEN)']);
  t.equal((hfAfter.container.env?.[1] as { name: string }).name, 'HF_TOKEN', 'appended to the env list');

  const taken = deployment({ args: ['Qwen/Qwen3-8B', '--api-key', 'sk-live-0123456789abcdef'], env: [{ name: 'VLLM_API_KEY', value: '' }] });
  t.equal(one(taken, 'no-literal-secrets').fix, undefined, 'VLLM_API_KEY already set: which value wins is a person’s call');
  const two = deployment({ args: ['Qwen/Qwen3-8B', '--api-key', 'sk-a-0123456789', 'sk-b-0123456789'] });
  const twoFinding = findings(two).find((f) => f.policy === 'no-literal-secrets');
  t.equal(twoFinding?.fix, undefined, 'several keys after one --api-key: not one variable');
  t.end();
});

t.test('vllm-args-valid: a misspelled flag is renamed only when the correction is certain', (t) => {
  const object = deployment({ args: ['Qwen/Qwen3-8B', '--gpu-memory-utilisation=0.85'] });
  const finding = one(object, 'vllm-args-valid');
  t.same(finding.fix?.patch, [{ op: 'replace', path: '/spec/template/spec/containers/0/args/1', value: '--gpu-memory-utilization=0.85' }]);
  t.notOk(applied(object, finding).still);

  const tie = deployment({ args: ['Qwen/Qwen3-8B', '--hort', '8000'] });
  const tieFinding = one(tie, 'vllm-args-valid');
  t.equal(tieFinding.fix, undefined, '--hort is one edit from --host and from --port');
  const floating = deployment({ image: 'vllm/vllm-openai:latest', args: ['Qwen/Qwen3-8B', '--max-modle-len', '8192'] });
  t.equal(one(floating, 'vllm-args-valid').fix, undefined, 'release unknown: the option may be named otherwise there');
  const removed = deployment({ args: ['Qwen/Qwen3-8B', '--enable-reasoning'] });
  const removedFinding = one(removed, 'vllm-args-valid');
  t.match(removedFinding.message, /--enable-reasoning was removed/);
  t.equal(removedFinding.fix, undefined, '--enable-reasoning → --reasoning-parser NAME is not a rename');
  const both = deployment({ args: ['Qwen/Qwen3-8B', '--max-num-seq5', '64', '--max-num-seqs', '32'] });
  t.equal(one(both, 'vllm-args-valid').fix, undefined, 'the corrected flag is already given: which value was meant is unknown');
  t.end();
});

t.test('context-within-model: --max-model-len set to the context vLLM derives from config.json', (t) => {
  const object = deployment({ args: ['Qwen/Qwen3-8B', '--max-model-len', '128k'] });
  const finding = one(object, 'context-within-model');
  t.match(finding.fix?.description, /set --max-model-len 40960, the longest context vLLM derives from Qwen3-8B's config.json/);
  t.same(applied(object, finding).container.args, ['Qwen/Qwen3-8B', '--max-model-len', '40960']);
  t.notOk(applied(object, finding).still);
  const allowed = deployment({ args: ['Qwen/Qwen3-8B', '--max-model-len', '131072'], env: [{ name: 'VLLM_ALLOW_LONG_MAX_MODEL_LEN', value: '1' }] });
  t.equal(one(allowed, 'context-within-model').fix, undefined, 'overridden on purpose (warn): no fix');
  t.end();
});

t.test('parallelism-fits-model: a tensor-parallel size only when exactly one fits model and GPUs', (t) => {
  const object = deployment({ gpus: 8, args: ['Qwen/Qwen3-32B', '--tensor-parallel-size', '6'] });
  const finding = one(object, 'parallelism-fits-model');
  t.match(finding.fix?.description, /set --tensor-parallel-size 8: it fits Qwen3-32B's heads and the 8 accelerators of the group/);
  t.notOk(applied(object, finding).still);
  const none = deployment({ gpus: 5, args: ['Qwen/Qwen3-32B', '--tensor-parallel-size', '3'] });
  const noneFinding = one(none, 'parallelism-fits-model');
  t.equal(noneFinding.fix, undefined, '5 GPUs: no tensor-parallel size fits 64 heads and 5 GPUs');
  t.match(noneFinding.remediation, /a person must choose TP, PP or the GPU count/);
  const count = one(none, 'gpu-count-matches-parallelism');
  t.equal(count.fix, undefined, 'nor 3 GPUs for a tensor-parallel size vLLM refuses');
  t.end();
});
