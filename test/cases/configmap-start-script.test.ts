// A server started from a script mounted from a ConfigMap (`bash /scripts/start.sh`, `/scripts/start.sh`,
// or the same inside `sh -c`): with the ConfigMap in the input set (`check`, `audit`) the script's
// commands are read as the container's own, each value saying where it came from; without it (the
// webhook) the engine arguments could not be verified, and the reason names the script and the ConfigMap.
// Before, a vLLM image got "a wrapper script?" and a generic image was not recognized at all.
import t from 'tap';
import { configMap, parallelism, review, scriptDeployment, type Json } from './start-script-fixtures.js';

const START = '#!/bin/bash\nset -e\nexec vllm serve Qwen/Qwen3-8B --tensor-parallel-size 4 --port 8000\n';

const deployment = (container: Json, volumes?: Json[]): Json => scriptDeployment(container, { image: null, replicas: 2, ...(volumes ? { volumes } : {}) });

t.test('with the ConfigMap in the input set, the script\'s vLLM command is judged, and its values say where they came from', async (t) => {
  const forms: [string, Json, Json[]?][] = [
    ['vLLM image, bash SCRIPT', { image: 'vllm/vllm-openai:v0.10.1.1', command: ['/bin/bash', '/scripts/start.sh'] }],
    ['generic image, bash SCRIPT', { image: 'nvcr.io/nvidia/pytorch:24.05-py3', command: ['bash', '/scripts/start.sh'] }],
    ['the script run directly', { image: 'python:3.11', command: ['/scripts/start.sh'] }],
    ['inside sh -c, after exec', { image: 'python:3.11', command: ['sh', '-c', 'pip install -q foo && exec /scripts/start.sh'] }],
    ['bash with options, behind env and tini', { image: 'python:3.11', command: ['tini', '--', 'env', 'A=b', 'bash', '-e', '-o', 'pipefail', '/scripts/start.sh'] }],
    ['a relative path from workingDir, mounted with subPath', { image: 'python:3.11', command: ['bash', 'run.sh'], workingDir: '/app', volumeMounts: [{ name: 'scripts', mountPath: '/app/run.sh', subPath: 'start.sh' }] }],
    ['a ConfigMap volume listing items', { image: 'python:3.11', command: ['sh', '/scripts/entry'] }, [{ name: 'scripts', configMap: { name: 'vllm-start', items: [{ key: 'start.sh', path: 'entry' }] } }]],
  ];
  for (const [what, container, volumes] of forms) {
    const r = review(deployment(container, volumes), [configMap({ 'start.sh': START })]);
    t.ok(r.vllm, `${what}: recognized as vLLM`);
    const [finding, ...rest] = parallelism(r);
    t.equal(rest.length, 0, what);
    t.match(finding, { outcome: 'fail', action: 'deny' }, `${what}: TP 4 on 2 GPUs is denied`);
    t.match(finding?.message, /--tensor-parallel-size 4 \(from ConfigMap vllm-start key start\.sh\)/, `${what}: the value says where it came from`);
  }
});

t.test('the script gets the words after its path as $1, $2, …', async (t) => {
  const script = '#!/bin/sh\nvllm serve "$1" --tensor-parallel-size "$2"\n';
  const fits = review(deployment({ image: 'python:3.11', command: ['sh', '/scripts/start.sh'], args: ['Qwen/Qwen3-8B', '2'] }), [configMap({ 'start.sh': script })]);
  t.same(parallelism(fits), [], 'TP 2 on 2 GPUs, from $2');
  const short = review(deployment({ image: 'python:3.11', command: ['sh', '/scripts/start.sh'], args: ['Qwen/Qwen3-8B', '8'] }), [configMap({ 'start.sh': script })]);
  t.match(parallelism(short), [{ outcome: 'fail', message: /--tensor-parallel-size 8/ }], 'TP 8 on 2 GPUs, from $2');
});

t.test('an argument vLLM refuses in the script points at the field that names the script', async (t) => {
  const r = review(deployment({ image: 'vllm/vllm-openai:v0.10.1.1', command: ['bash', '/scripts/start.sh'] }), [configMap({ 'start.sh': 'vllm serve Qwen/Qwen3-8B --tensor-paralel-size 2\n' })]);
  const invalid = r.findings.filter((f) => f.policy === 'vllm-args-valid' && f.outcome === 'fail');
  t.equal(invalid.length, 1);
  t.match(invalid[0], { action: 'deny', path: /containers\[0\]\.command\[1\]$/, message: /--tensor-paralel-size/ });
  t.equal(invalid[0]?.fix, undefined, 'no machine fix: the flag is in the ConfigMap, not in the field');
});

t.test('without the ConfigMap (the webhook), could not be verified, naming the script and the ConfigMap; never a deny', async (t) => {
  const r = review(deployment({ image: 'vllm/vllm-openai:v0.10.1.1', command: ['/bin/bash', '/scripts/start.sh'] }), null);
  const [finding] = parallelism(r);
  t.match(finding, { outcome: 'unknown', action: 'warn' });
  t.match(finding?.message, /the container starts from the script \/scripts\/start\.sh, which comes from ConfigMap vllm-start key start\.sh, and the ConfigMap vllm-start is not looked up at admission/);
  t.notOk(r.findings.some((f) => f.action === 'deny' && f.outcome === 'unknown'), 'unknown never denies');
  const generic = review(deployment({ image: 'python:3.11', command: ['bash', '/scripts/start.sh'] }), null);
  t.notOk(generic.vllm, 'a generic image whose script cannot be read gives no vLLM signal, as before');
});

t.test('what is not read says why', async (t) => {
  const cases: [string, Json, Json[], RegExp][] = [
    ['a python script run directly', { image: 'vllm/vllm-openai:v0.10.1.1', command: ['/scripts/start.sh'] }, [configMap({ 'start.sh': '#!/usr/bin/env python3\nimport os\n' })], /\/scripts\/start\.sh \(ConfigMap vllm-start key start\.sh\), a python3 script vllm-guard does not read/],
    ['a key the ConfigMap does not have', { image: 'vllm/vllm-openai:v0.10.1.1', command: ['bash', '/scripts/start.sh'] }, [configMap({ 'other.sh': START })], /would come from ConfigMap vllm-start key start\.sh, which does not exist/],
    ['a script over 64 KiB', { image: 'vllm/vllm-openai:v0.10.1.1', command: ['bash', '/scripts/start.sh'] }, [configMap({ 'start.sh': `# ${'x'.repeat(70_000)}\n${START}` })], /longer than 64 KiB/],
  ];
  for (const [what, container, others, why] of cases) {
    const [finding] = parallelism(review(deployment(container), others));
    t.match(finding, { outcome: 'unknown', message: why }, what);
  }
  const onEmptyDir = review(deployment({ image: 'vllm/vllm-openai:v0.10.1.1', command: ['bash', '/scripts/start.sh'] }, [{ name: 'scripts', emptyDir: {} }]), []);
  t.match(parallelism(onEmptyDir), [{ outcome: 'unknown', message: /\/scripts\/start\.sh, which is on volume scripts, which is not a ConfigMap volume/ }], 'a script on an emptyDir');
  const inImage = review(deployment({ image: 'vllm/vllm-openai:v0.10.1.1', command: ['bash', '/opt/start.sh'] }), []);
  t.match(parallelism(inImage), [{ outcome: 'unknown', message: /does not start vLLM directly/ }], 'a script of the image: as before');
});

t.test('scripts that run scripts are followed to a bound, and a script that runs itself ends', async (t) => {
  const chained = review(deployment({ image: 'python:3.11', command: ['bash', '/scripts/a.sh'] }), [configMap({ 'a.sh': 'bash /scripts/b.sh\n', 'b.sh': START })]);
  t.match(parallelism(chained), [{ outcome: 'fail', message: /from ConfigMap vllm-start key b\.sh/ }], 'a.sh runs b.sh, which starts vLLM');
  const loop = review(deployment({ image: 'vllm/vllm-openai:v0.10.1.1', command: ['bash', '/scripts/start.sh'] }), [configMap({ 'start.sh': 'bash /scripts/start.sh\nbash /scripts/start.sh\n' })]);
  t.ok(loop.findings.length > 0, 'a script that runs itself is reviewed, not followed forever');
});

t.test('a review reads at most 1 MiB of scripts in all, whatever the number of containers', async (t) => {
  const warm = `${'# padding\n'.repeat(6_000)}echo warm\n`; // ~60 KiB
  const runs = Array.from({ length: 8 }, () => 'bash /scripts/warm.sh').join('; ');
  const helper = (name: string): Json => ({ name, image: 'busybox:1.36', command: ['sh', '-c', runs], volumeMounts: [{ name: 'scripts', mountPath: '/scripts' }] });
  const workload = deployment({ image: 'vllm/vllm-openai:v0.10.1.1', command: ['bash', '/scripts/start.sh'] });
  const spec = (workload.spec as Json).template as { spec: { containers: Json[] } };
  spec.spec.containers.unshift(helper('warm-a'), helper('warm-b'), helper('warm-c'));
  const start = `${'# padding\n'.repeat(6_000)}${START}`; // ~60 KiB: more than what the helpers leave
  const r = review(workload, [configMap({ 'start.sh': start, 'warm.sh': warm })]);
  t.match(parallelism(r), [{ outcome: 'unknown', message: /the scripts of this workload are over 1 MiB in all, so vllm-guard reads no more of them/ }], 'the server\'s script is past the budget: could not be verified, saying so');
  const alone = review(deployment({ image: 'vllm/vllm-openai:v0.10.1.1', command: ['bash', '/scripts/start.sh'] }), [configMap({ 'start.sh': start, 'warm.sh': warm })]);
  t.match(parallelism(alone), [{ outcome: 'fail' }], 'the same server alone is read');
});
