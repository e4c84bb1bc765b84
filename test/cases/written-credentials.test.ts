/**
 * no-literal-secrets where a real manifest writes a credential besides a secret-named env value: in
 * a container's `sh -c` script (an assignment, a NAME=… prefix, --api-key/--hf-token, the Hugging
 * Face CLI's --token), every occurrence of a credential option, a probe's Authorization header, and a
 * URL with a password in its user-info (RFC 3986 §3.2.1). References and placeholders stay unflagged,
 * no credential is echoed, and no patch rewrites a script.
 */
import t from 'tap';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { createEngine, reviewObject } from '../../src/engine/api.js';
import { loadPolicies } from '../../src/policy/load.js';
import { parseDocuments } from '../../src/io/yaml.js';
import { runCli } from '../../src/cli/program.js';
import type { Finding } from '../../src/engine/types.js';

const engine = createEngine({ policies: loadPolicies(null), config: loadConfig(null).engine });
const C = 'spec.template.spec.containers[0]';
// Canaries: none may appear in any finding's text or fix.
const HF = 'hf_CANARYscript1111111111111';
const KEY = 'sk-CANARYkey22222222222';
const PW = 'CANARYpw3333';

function deployment(container: Record<string, unknown>) {
  const base = { name: 'vllm', image: 'vllm/vllm-openai:v0.10.1.1', resources: { limits: { 'nvidia.com/gpu': 1 } } };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'leak', namespace: 'llm' },
    spec: { selector: { matchLabels: { app: 'leak' } }, template: { metadata: { labels: { app: 'leak' } }, spec: { containers: [{ ...base, ...container }] } } },
  };
}

function secrets(container: Record<string, unknown>): Finding[] {
  const found = reviewObject(engine, deployment(container)).findings.filter((f) => f.policy === 'no-literal-secrets');
  const text = JSON.stringify(found);
  for (const canary of [HF, KEY, PW]) if (text.includes(canary)) throw new Error('a credential is echoed in a finding');
  return found;
}

const summary = (found: Finding[]) => found.map((f) => ({ action: f.action, path: f.path, message: f.message, fix: f.fix !== undefined }));

t.test('a literal credential in a sh -c script is a finding at the script field, with its line, and no patch', async (t) => {
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['export in command[2]', { command: ['sh', '-c', `export HF_TOKEN=${HF}; vllm serve Qwen/Qwen3-8B`] }, `${C}.command[2]`, "container vllm's shell script sets HF_TOKEN to a literal value (line 1 of the script)"],
    ['prefix assignment in args[0]', { command: ['/bin/bash', '-c'], args: [`set -e\nHUGGING_FACE_HUB_TOKEN="${HF}" vllm serve Qwen/Qwen3-8B\n`] }, `${C}.args[0]`, "container vllm's shell script sets HUGGING_FACE_HUB_TOKEN to a literal value (line 2 of the script)"],
    ['huggingface-cli login', { command: ['sh', '-c'], args: [`huggingface-cli login --token ${HF}\nexec vllm serve Qwen/Qwen3-8B`] }, `${C}.args[0]`, "container vllm's shell script passes --token to huggingface-cli with a literal value (line 1 of the script)"],
    ['hf auth login', { command: ['sh', '-c'], args: [`hf auth login --token=${HF} && vllm serve Qwen/Qwen3-8B`] }, `${C}.args[0]`, "container vllm's shell script passes --token to hf with a literal value (line 1 of the script)"],
  ];
  for (const [name, container, path, message] of cases) {
    t.match(summary(secrets(container)), [{ action: 'deny', path, message: new RegExp(`^${message.replace(/[().]/g, '\\$&')}`), fix: false }], name);
  }
});

t.test('every credential option of one script, and every written occurrence in args, is its own finding', async (t) => {
  const script = secrets({ command: ['sh', '-c', `vllm serve Qwen/Qwen3-8B --api-key ${KEY} --hf-token ${HF} --port 8000`] });
  t.same(script.map((f) => [f.path, f.message.split(' (')[0]]), [
    [`${C}.command[2]`, "container vllm's shell script passes --api-key with a literal value"],
    [`${C}.command[2]`, "container vllm's shell script passes --hf-token with a literal value"],
  ]);
  const twice = secrets({ args: ['--model', 'Qwen/Qwen3-8B', '--api-key', KEY, '--api-key', `${KEY}x`] });
  t.same(twice.map((f) => f.path), [`${C}.args[2]`, `${C}.args[4]`]);
  t.ok(twice.every((f) => f.fix === undefined), 'which value a patch would replace is a guess: no fix');
});

t.test('a literal credential in a probe header', async (t) => {
  const probe = (path: string, name: string, value: string) => ({ httpGet: { path, port: 8000, httpHeaders: [{ name, value }] } });
  const v1 = secrets({ readinessProbe: probe('/v1/models', 'Authorization', `Bearer ${KEY}`) });
  t.match(summary(v1), [{ action: 'deny', path: `${C}.readinessProbe.httpGet.httpHeaders[0].value`, message: /readinessProbe sends a literal credential in its Authorization header/ }]);
  const health = secrets({ livenessProbe: probe('/health', 'X-API-Key', KEY) });
  t.match(health, [{ action: 'deny', remediation: /^remove the header: vLLM answers \/health without the API key/ }]);
  for (const value of ['Bearer <your-key>', 'Bearer {{ .Values.apiKey }}', 'Bearer $(VLLM_API_KEY)', 'Bearer ']) {
    t.same(secrets({ readinessProbe: probe('/v1/models', 'Authorization', value) }), [], `${value}: a placeholder, no credential`);
  }
  t.same(secrets({ readinessProbe: probe('/v1/models', 'Accept', 'application/json') }), [], 'another header');
});

t.test('a password in the user-info of a URL in an env value or an argv item', async (t) => {
  for (const url of [`postgres://app:${PW}@db:5432/x`, `https://user:${PW}@huggingface.co/org/model`, `redis://:${PW}@cache:6379`]) {
    t.match(summary(secrets({ env: [{ name: 'STORE_URL', value: url }] })), [{ action: 'deny', path: `${C}.env[0].value`, message: /writes a URL with a password in its user-info \(env STORE_URL\)/ }], 'env');
    t.match(summary(secrets({ args: ['Qwen/Qwen3-8B', '--kv-transfer-config', url] })), [{ action: 'deny', path: `${C}.args[2]` }], 'argv item');
  }
  for (const url of ['https://user@host/x', 'postgres://app:$(DB_PASSWORD)@db/x', 'postgres://app:${DB_PASSWORD}@db/x', 'postgres://app:<password>@db/x', 'postgres://app:@db/x', 'https://host/a:b@c']) {
    t.same(secrets({ env: [{ name: 'STORE_URL', value: url }] }), [], `${url}: no password written`);
  }
});

t.test('references and placeholders in a script are not credentials', async (t) => {
  const script = [
    'export HF_TOKEN=$HF_SRC',
    'export HUGGING_FACE_HUB_TOKEN="$(cat /secrets/hf)"',
    'VLLM_API_KEY=$(KEY_SRC) vllm serve Qwen/Qwen3-8B --api-key "$VLLM_API_KEY" --hf-token <your-token>',
    'huggingface-cli login --token {{ .Values.hfToken }}',
    'hf auth login --token=hf_***',
    'curl https://user@host/x',
  ].join('\n');
  t.same(secrets({ command: ['sh', '-c', script], env: [{ name: 'KEY_SRC', valueFrom: { secretKeyRef: { name: 'k', key: 'k' } } }] }), []);
});

t.test('check -o json: the finding points at the script field and its line in the file', async (t) => {
  const dir = t.testdir();
  const file = path.join(dir, 'leak.yaml');
  const yaml = `apiVersion: apps/v1
kind: Deployment
metadata: {name: leak, namespace: llm}
spec:
  selector: {matchLabels: {app: leak}}
  template:
    metadata: {labels: {app: leak}}
    spec:
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.10.1.1
          command: [sh, -c]
          args:
            - |
              echo starting
              export HF_TOKEN=${HF}
              exec vllm serve Qwen/Qwen3-8B
          resources: {limits: {nvidia.com/gpu: 1}}
`;
  writeFileSync(file, yaml);
  t.ok(parseDocuments(yaml)[0]?.value, 'the file parses');
  let out = '';
  await runCli(['node', 'vllm-guard', 'check', '--output', 'json', file], {
    stdout: (text) => (out += text), stderr: (text) => (out += text), readStdin: () => '', stdoutIsTty: false, stderrIsTty: false, colorAllowed: false,
  });
  t.notOk(out.includes(HF), 'the token is not shown');
  const findings = (JSON.parse(out) as { results: { findings: (Finding & { line: number })[] }[] }).results[0]?.findings.filter((f) => f.policy === 'no-literal-secrets');
  t.match(findings, [{ action: 'deny', path: `${C}.args[0]`, line: 14, message: /sets HF_TOKEN to a literal value \(line 2 of the script\)/ }]);
});

t.test('a template in a script is no literal, also where the shell splits it into words', async (t) => {
  // `--api-key {{ .Values.apiKey }}` in sh -c: the shell gives vLLM `--api-key {{`; an unrendered chart, not a secret.
  for (const script of ['vllm serve Qwen/Qwen2.5-7B-Instruct --api-key {{ .Values.apiKey }}', 'vllm serve Qwen/Qwen2.5-7B-Instruct --api-key {{.Values.apiKey}}', 'vllm serve Qwen/Qwen2.5-7B-Instruct --api-key "{{ .Values.apiKey }}"']) {
    t.same(summary(secrets({ name: 'vllm', image: 'vllm/vllm-openai:v0.11.0', command: ['sh', '-c', script] })), [], script);
  }
  t.match(summary(secrets({ name: 'vllm', image: 'vllm/vllm-openai:v0.11.0', command: ['sh', '-c', 'vllm serve Qwen/Qwen2.5-7B-Instruct --api-key sk-live-1234'] })), [{ action: 'deny' }], 'a literal still is');
});
