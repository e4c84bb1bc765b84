// A start script run as a program from a ConfigMap volume needs an execute bit: the volume's files get
// the item's `mode`, else `defaultMode`, else 0644 (Kubernetes API reference, ConfigMapVolumeSource), and
// execve(2) refuses a file with no execute bit to every user, root included ("permission denied").
// Through `bash FILE` none is needed. The mode is the pod's own, so this is a deny at admission too,
// without the ConfigMap. `defaultMode: 0755` in YAML is octal, as kubectl reads it.
import t from 'tap';
import { createRelatedSet, reviewObject, type Finding } from '../../src/engine/api.js';
import { parseDocuments } from '../../src/io/yaml.js';
import { engine } from './recognition-fixtures.js';

type Json = Record<string, unknown>;

const configMap: Json = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'vllm-start', namespace: 'llm' }, data: { 'start.sh': '#!/bin/sh\nexec vllm serve Qwen/Qwen3-8B --port 8000\n' } };

function deployment(command: string[], volume: Json = {}): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'qwen', namespace: 'llm' },
    spec: {
      selector: { matchLabels: { app: 'qwen' } },
      template: {
        metadata: { labels: { app: 'qwen' } },
        spec: {
          containers: [{ name: 'server', image: 'vllm/vllm-openai:v0.10.1.1', command, resources: { limits: { 'nvidia.com/gpu': '1' } }, volumeMounts: [{ name: 'scripts', mountPath: '/scripts' }] }],
          volumes: [{ name: 'scripts', configMap: { name: 'vllm-start', ...volume } }],
        },
      },
    },
  };
}

/** The not-executable denials of a review, as `check` (ConfigMap in the input set) or the webhook (none) gives them. */
function notExecutable(workload: Json, withConfigMap: boolean): Finding[] {
  const options = withConfigMap ? { related: createRelatedSet([workload, configMap], { scope: 'the input set' }) } : {};
  return reviewObject(engine, workload, options).findings.filter((f) => f.policy === 'vllm-args-valid' && /without an execute bit/.test(f.message));
}

t.test('a script run as a program from a volume without an execute bit is denied, with the ConfigMap or without it', async (t) => {
  const cases: [string, string[], Json, string][] = [
    ['no defaultMode: 0644', ['/scripts/start.sh'], {}, '0644'],
    ['defaultMode 0644', ['/scripts/start.sh'], { defaultMode: 0o644 }, '0644'],
    ['an item\'s mode over an executable defaultMode', ['/scripts/start.sh'], { defaultMode: 0o755, items: [{ key: 'start.sh', path: 'start.sh', mode: 0o640 }] }, '0640'],
    ['run from a sh -c script', ['sh', '-c', 'exec /scripts/start.sh'], {}, '0644'],
    ['run from a sh -c script after another command', ['sh', '-c', 'echo starting; exec /scripts/start.sh'], {}, '0644'],
  ];
  for (const [what, command, volume, mode] of cases) {
    // Without the ConfigMap, a command besides the script's run leaves the server unknown, so no deny (below).
    for (const withConfigMap of command.length === 3 && command[2]?.includes(';') ? [true] : [true, false]) {
      const found = notExecutable(deployment(command, volume), withConfigMap);
      const where = `${what} (${withConfigMap ? 'check' : 'admission'})`;
      t.equal(found.length, 1, where);
      t.match(found[0], { action: 'deny', outcome: 'fail', message: new RegExp(`runs /scripts/start\\.sh without an execute bit \\(mode ${mode}\\).*ConfigMap vllm-start key start\\.sh, volume scripts: the runtime cannot execute it \\("permission denied"\\), so vLLM never starts`) }, where);
      t.match(found[0]?.remediation, /defaultMode: 0755 on volume scripts, or run \["bash", "\/scripts\/start\.sh"\]/, where);
    }
  }
});

t.test('an execute bit for anyone, or the shell running the file, passes', async (t) => {
  const cases: [string, string[], Json][] = [
    ['defaultMode 0755', ['/scripts/start.sh'], { defaultMode: 0o755 }],
    ['defaultMode 0744 (the owner may execute)', ['/scripts/start.sh'], { defaultMode: 0o744 }],
    ['an item\'s executable mode over defaultMode 0644', ['/scripts/start.sh'], { defaultMode: 0o644, items: [{ key: 'start.sh', path: 'start.sh', mode: 0o755 }] }],
    ['bash FILE needs no execute bit', ['bash', '/scripts/start.sh'], {}],
    ['sh -c "sh FILE" neither', ['sh', '-c', 'sh /scripts/start.sh'], {}],
  ];
  for (const [what, command, volume] of cases) t.same(notExecutable(deployment(command, volume), true), [], what);
});

t.test('no deny when the script does not stop the server, or its mode is not known', async (t) => {
  const helper: Json = { ...configMap, data: { ...(configMap.data as Json), 'setup.sh': 'echo ready\n' } };
  const review = (workload: Json, withConfigMap: boolean) =>
    reviewObject(engine, workload, withConfigMap ? { related: createRelatedSet([workload, helper], { scope: 'the input set' }) } : {}).findings.filter((f) => /without an execute bit/.test(f.message));
  const cases: [string, string[], Json][] = [
    ['a shell with options reads the file (bash -e FILE)', ['bash', '-e', '/scripts/start.sh'], {}],
    ['bash -o pipefail FILE', ['bash', '-o', 'pipefail', '/scripts/start.sh'], {}],
    ['sh -- FILE', ['sh', '--', '/scripts/start.sh'], {}],
    ['a helper that fails before the server the shell still starts', ['sh', '-c', '/scripts/setup.sh; exec vllm serve Qwen/Qwen3-8B'], {}],
    ['a fallback that runs the file through bash', ['sh', '-c', '/scripts/start.sh || bash /scripts/start.sh'], {}],
    ['a helper, then another script (content unknown at admission)', ['sh', '-c', '/scripts/setup.sh; bash /scripts/start.sh'], {}],
    ['a templated defaultMode', ['/scripts/start.sh'], { defaultMode: '{{ .Values.mode }}' }],
    ['a defaultMode the API server refuses (755 is over 0777)', ['/scripts/start.sh'], { defaultMode: 755 }],
  ];
  for (const [what, command, volume] of cases) {
    for (const withConfigMap of [true, false]) t.same(review(deployment(command, volume), withConfigMap), [], `${what} (${withConfigMap ? 'check' : 'admission'})`);
  }
  // At admission no server is read: an image script before the ConfigMap one may start it and never return.
  t.same(review(deployment(['sh', '-c', 'bash /app/prepare.sh; /scripts/start.sh']), false), [], 'an unread script before it (admission)');
});

t.test('the same server with an executable script is read: the deny comes only from the mode', async (t) => {
  const ok = reviewObject(engine, deployment(['/scripts/start.sh'], { defaultMode: 0o755 }), { related: createRelatedSet([configMap], { scope: 'the input set' }) });
  t.notOk(ok.findings.some((f) => f.policy === 'vllm-args-valid'), 'vllm-args-valid passes');
});

t.test('defaultMode: 0755 written in YAML is octal, as kubectl reads it (go-yaml v2), not 755', async (t) => {
  const text = (mode: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: qwen, namespace: llm}
spec:
  selector: {matchLabels: {app: qwen}}
  template:
    metadata: {labels: {app: qwen}}
    spec:
      containers:
      - name: server
        image: vllm/vllm-openai:v0.10.1.1
        command: [/scripts/start.sh]
        resources: {limits: {nvidia.com/gpu: 1}}
        volumeMounts: [{name: scripts, mountPath: /scripts}]
      volumes:
      - name: scripts
        configMap: {name: vllm-start, defaultMode: ${mode}}
`;
  const read = (mode: string) => parseDocuments(text(mode))[0]?.value as Json;
  const volumes = (o: Json) => ((o.spec as Json).template as { spec: { volumes: { configMap: { defaultMode: unknown } }[] } }).spec.volumes;
  t.equal(volumes(read('0755'))[0]?.configMap.defaultMode, 0o755, '0755 is 493');
  t.equal(volumes(read('0644'))[0]?.configMap.defaultMode, 0o644, '0644 is 420');
  t.same(notExecutable(read('0755'), false), [], '0755: executable');
  t.same(notExecutable(read('0700'), false), [], '0700: executable (read as decimal 700, a mode the API server refuses)');
  t.equal(notExecutable(read('0400'), false).length, 1, '0400: not executable');
});
