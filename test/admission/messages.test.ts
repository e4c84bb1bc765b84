/** Denial text and warning lines: what kubectl prints, within the API server's limits. */
import t from 'tap';
import {
  CHECK_HINT,
  WARNING_HARD_LIMIT,
  WARNING_SOFT_LIMIT,
  describeWorkload,
  formatDenyMessage,
  formatFailClosedMessage,
  formatFailOpenWarning,
  formatWarning,
  formatWarnings,
} from '../../src/admission/messages.js';
import type { Finding } from '../../src/engine/types.js';

function finding(over: Partial<Finding> = {}): Finding {
  return {
    policy: 'tensor-parallel-fits',
    title: 'Parallelism fits the GPUs',
    action: 'deny',
    configuredAction: 'deny',
    severity: 'critical',
    outcome: 'fail',
    message: 'tensor-parallel-size 4 needs 4 GPUs, container vllm requests 2',
    remediation: 'request 4 GPUs or set --tensor-parallel-size 2',
    path: 'spec.template.spec.containers[0].args',
    container: 'vllm',
    checklist: { phase: 'Phase 2', section: 'Runtime', item: 'TP matches GPUs' },
    owner: 'ML Engineer',
    ...over,
  };
}

const id = { kind: 'Deployment', namespace: 'ml', name: 'llama-70b' };

t.test('workloads are named as a user types them', async (t) => {
  t.equal(describeWorkload(id), 'Deployment ml/llama-70b');
  t.equal(describeWorkload({ kind: 'Node', namespace: '', name: 'gpu-1' }), 'Node gpu-1');
  t.equal(describeWorkload({ kind: 'Pod', namespace: 'ml', name: '' }), 'Pod ml/(unnamed)');
});

t.test('a denial names the workload, each policy, the field path and the fix', async (t) => {
  const message = formatDenyMessage(id, [
    finding(),
    finding({ policy: 'shm-mounted', message: 'no /dev/shm', remediation: 'mount an emptyDir', path: 'spec.template.spec.volumes', container: null, waiverProblem: 'waiver expired on 2025-01-01' }),
  ]);
  t.equal(
    message,
    [
      'vllm-guard denied Deployment ml/llama-70b: 2 policies failed',
      '- tensor-parallel-fits: tensor-parallel-size 4 needs 4 GPUs, container vllm requests 2',
      '    at:  spec.template.spec.containers[0].args (container vllm)',
      '    fix: request 4 GPUs or set --tensor-parallel-size 2',
      '- shm-mounted: no /dev/shm',
      '    at:  spec.template.spec.volumes',
      '    fix: mount an emptyDir',
      '    waiver not honored: waiver expired on 2025-01-01',
    ].join('\n'),
  );
  t.match(formatDenyMessage(id, [finding()]), /: 1 policy failed\n/);
});

t.test('a denial with very many findings stays bounded and says how to see the rest', async (t) => {
  const many = Array.from({ length: 200 }, (_, i) => finding({ policy: `p-${i}`, message: 'm'.repeat(200) }));
  const message = formatDenyMessage(id, many);
  t.ok(message.length <= 6000, `${message.length} characters`);
  t.match(message, /…and \d+ more: run `vllm-guard check`/);
});

t.test('a warning line carries the fix when it fits in 120 characters', async (t) => {
  const line = formatWarning(finding({ policy: 'image-pinned', message: 'image vllm/vllm-openai:latest is not pinned', remediation: 'use a version tag' }));
  t.equal(line, 'image-pinned: image vllm/vllm-openai:latest is not pinned; fix: use a version tag');
  t.ok(line.length <= WARNING_SOFT_LIMIT);
  const long = formatWarning(finding());
  t.equal(long, 'tensor-parallel-fits: tensor-parallel-size 4 needs 4 GPUs, container vllm requests 2', 'the fix is dropped, not the problem');
});

t.test('a long warning carries the machine fix after a separator when both fit in 256 characters', async (t) => {
  const message = 'pod template requests nvidia.com/gpu but tolerates none of the accelerator node taints nvidia.com/gpu: it stays Pending on tainted nodes';
  const line = formatWarning(
    finding({ policy: 'gpu-taint-toleration', message, fix: { description: "tolerate the nvidia.com/gpu:NoSchedule taint of the accelerator's nodes", patch: [] } }),
  );
  t.equal(line, `gpu-taint-toleration: ${message}; vllm-guard fix: tolerate the nvidia.com/gpu:NoSchedule taint of the accelerator's nodes`);
});

t.test('a warning line is one line and never over 256 characters', async (t) => {
  const line = formatWarning(finding({ message: `first\nsecond\t${'x'.repeat(400)}` }));
  t.ok(line.length <= WARNING_HARD_LIMIT, `${line.length}`);
  t.notMatch(line, /[\n\t]/);
  t.match(line, /^tensor-parallel-fits: first second x+…$/);
});

t.test('warnings stay under 4 KB in total and summarize the rest', async (t) => {
  const findings = Array.from({ length: 60 }, (_, i) => finding({ policy: `policy-${i}`, message: 'y'.repeat(150) }));
  const lines = formatWarnings(findings, ['an expired waiver was ignored']);
  const bytes = lines.reduce((sum, line) => sum + Buffer.byteLength(line), 0);
  t.ok(bytes < 4096, `${bytes} bytes`);
  t.ok(lines.every((line) => line.length <= WARNING_HARD_LIMIT));
  const last = lines.at(-1) ?? '';
  t.match(last, new RegExp(`^…and \\d+ more: ${CHECK_HINT.replace(/[`]/g, '.')}$`));
  const shown = lines.length - 1;
  t.equal(Number(/and (\d+) more/.exec(last)?.[1]), 61 - shown, 'the count covers every line left out');
});

t.test('a few warnings and notes all show, in order', async (t) => {
  const lines = formatWarnings([finding({ policy: 'a', message: 'one', remediation: '' }), finding({ policy: 'b', message: 'two', remediation: '' })], ['note three']);
  t.same(lines, ['a: one', 'b: two', 'note three']);
});

t.test('failure-mode texts say it is not the manifest and where to look', async (t) => {
  t.equal(formatFailOpenWarning(id), 'vllm-guard could not check Deployment ml/llama-70b (internal error); allowed because failureMode is open');
  const closed = formatFailClosedMessage(id, 'uid-1');
  t.match(closed, 'Deployment ml/llama-70b');
  t.match(closed, 'failureMode is closed');
  t.match(closed, 'uid uid-1');
});
