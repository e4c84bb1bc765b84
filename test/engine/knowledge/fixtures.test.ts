/**
 * The fixtures under test/fixtures/policies/<id>/ for the model/hardware policies: every fail fixture
 * gives one finding with its action, path, container and vLLM's words (the same rows are in
 * test/policies/catalogue.test.ts).
 */
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocuments } from '../../../src/io/yaml.js';
import { findingsOf, ROOT } from './helpers.js';

const FIXTURES = path.join(ROOT, 'test/fixtures/policies');
const PROPOSED = ['dtype-vs-accelerator', 'parallelism-fits-model', 'context-within-model', 'model-fits-memory', 'multinode-backend'];

/** policy, fixture, action, path, substrings the message must show, container (default vllm). */
type Expectation = [string, string, 'deny' | 'warn', string, string[], string?];

const ARGS = 'spec.template.spec.containers[0].args';
export const FAILING: Expectation[] = [
  ['dtype-vs-accelerator', 'fail.yaml', 'deny', 'spec.template.spec.containers[0].args[1]', ['--dtype bfloat16 on Tesla T4', 'Bfloat16 is only supported on GPUs with compute capability of at least 8.0. Your Tesla T4 GPU has compute capability 7.5.']],
  ['dtype-vs-accelerator', 'fail-auto-old-release.yaml', 'deny', ARGS, ["Llama-3.1-8B-Instruct's bfloat16 checkpoint", 'vLLM 0.6.3 does not fall back']],
  ['dtype-vs-accelerator', 'fail-awq-v100.yaml', 'deny', ARGS, ['awq on Tesla V100 16GB', 'Minimum capability: 75. Current capability: 70.']],
  ['dtype-vs-accelerator', 'fail-kubeai-t4.yaml', 'warn', 'spec.containers[0].args', ['Tesla T4', 'vLLM 0.7.1', 'Bfloat16 is only supported'], 'server'],
  ['parallelism-fits-model', 'fail.yaml', 'deny', 'spec.template.spec.containers[0].args[1]', ['Total number of attention heads (28) must be divisible by tensor parallel size (8).']],
  ['parallelism-fits-model', 'fail-kv.yaml', 'deny', 'spec.template.spec.containers[0].args[1]', ["Llama-3.2-3B-Instruct's 8 KV heads", '8 is not divisible by 6']],
  ['context-within-model', 'fail.yaml', 'deny', 'spec.template.spec.containers[0].args[1]', ['User-specified max_model_len (131072) is greater than the derived max_model_len (max_position_embeddings=40960']],
  ['context-within-model', 'fail-override.yaml', 'warn', 'spec.template.spec.containers[0].args[1]', ['allowed by VLLM_ALLOW_LONG_MAX_MODEL_LEN', 'past 40960']],
  ['model-fits-memory', 'fail.yaml', 'deny', 'spec.template.spec.containers[0].args[1]', ['Llama-3.1-70B-Instruct (70.6B, bf16) on 2 × A100-SXM4-40GB', '65.71 GiB of weights per GPU', '36 GiB']],
  ['model-fits-memory', 'fail-kv.yaml', 'deny', ARGS, ["To serve at least one request with the model's max seq len (131072), (16 GiB KV cache is needed"]],
  ['model-fits-memory', 'fail-marginal.yaml', 'warn', 'spec.template.spec.containers[0].args[1]', ['is marginal', '48000-token sequence']],
  ['multinode-backend', 'fail.yaml', 'deny', 'spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0].args[1]', ['World size (16) is larger than the number of available GPUs (8) in this node.'], 'vllm-leader'],
  ['multinode-backend', 'fail-cuda.yaml', 'warn', 'spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0].args[1]', ['vLLM v0.10.1 switches to the Ray backend by itself when Ray is installed in the image, and otherwise exits with'], 'vllm-leader'],
  ['multinode-backend', 'fail-cuda-release.yaml', 'deny', 'spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0].args[1]', ['World size (16) is larger than the number of available GPUs (8) in this node.'], 'vllm-leader'],
  ['multinode-backend', 'fail-tpu-latest.yaml', 'warn', 'spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0].command[2]', ['spans 4 pods (devices per pod: 4)', 'some vLLM releases pick Ray by themselves'], 'vllm-leader'],
];

function load(id: string, file: string): unknown {
  const [doc] = parseDocuments(readFileSync(path.join(FIXTURES, id, file), 'utf8'));
  return doc!.value;
}

t.test('every proposed policy has pass and fail fixtures, each fail one an expectation', async (t) => {
  for (const id of PROPOSED) {
    const files = readdirSync(path.join(FIXTURES, id)).filter((f) => f.endsWith('.yaml'));
    t.ok(files.some((f) => f.startsWith('pass')), `${id} has a pass fixture`);
    for (const f of files.filter((n) => n.startsWith('fail'))) t.ok(FAILING.some(([p, file]) => p === id && file === f), `${id}/${f} has an expectation`);
    for (const f of files.filter((n) => n.startsWith('pass'))) t.same(findingsOf(load(id, f), id).map((x) => x.message), [], `${id}/${f} passes`);
  }
});

t.test('fail fixtures give the expected finding', async (t) => {
  for (const [id, file, action, at, substrings, container = 'vllm'] of FAILING) {
    const found = findingsOf(load(id, file), id);
    t.equal(found.length, 1, `${id}/${file}: one finding`);
    const f = found[0]!;
    t.equal(f.action, action, `${id}/${file}: ${action}`);
    t.equal(f.outcome, 'fail', `${id}/${file}: a verdict, not unknown`);
    t.equal(f.path, at, `${id}/${file}: path`);
    t.equal(f.container, container, `${id}/${file}: container`);
    for (const s of substrings) t.ok(f.message.includes(s), `${id}/${file}: "${s}" in "${f.message}"`);
    t.ok(f.remediation.length > 0 && !f.remediation.includes('--dtype bfloat16'), `${id}/${file}: a fix that is not bfloat16`);
  }
});
