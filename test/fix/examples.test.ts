// `vllm-guard fix` as a user runs it, on copies of every example in examples/bad/: the dry run shows
// a diff and writes nothing, the fix writes, a re-check no longer reports what was fixed, the
// comments are still there, and a second run changes nothing.
import t from 'tap';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run } from '../cli/run.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BAD = path.join(ROOT, 'examples/bad');


interface JsonFinding {
  policy: string;
  path: string;
  container: string | null;
  fix?: { description: string; patch: unknown[]; needs?: string };
}

async function findings(file: string): Promise<JsonFinding[]> {
  const { stdout } = await run(['check', '-o', 'json', file]);
  return (JSON.parse(stdout) as { results: { findings: JsonFinding[] }[] }).results.flatMap((r) => r.findings);
}

const key = (f: JsonFinding) => `${f.policy} ${f.path} ${f.container}`;
const comments = (text: string) => text.split('\n').filter((l) => l.includes('#')).map((l) => l.slice(l.indexOf('#')).trim());

for (const name of readdirSync(BAD).filter((n) => n.endsWith('.yaml'))) {
  t.test(name, async (t) => {
    const dir = t.testdir({});
    const file = path.join(dir, name);
    copyFileSync(path.join(BAD, name), file);
    const before = readFileSync(file, 'utf8');
    const fixable = (await findings(file)).filter((f) => f.fix && f.fix.needs === undefined);
    t.ok(fixable.length > 0, 'the example has a certain fix');

    const dry = await run(['fix', '--dry-run', file]);
    t.equal(dry.status, 0);
    t.match(dry.stdout, /^--- /m, 'the dry run prints a unified diff');
    t.match(dry.stdout, /^\+[^+]/m, 'with added lines');
    t.equal(readFileSync(file, 'utf8'), before, 'and writes nothing');

    const fixed = await run(['fix', file]);
    t.match(fixed.stdout, /applied \d+ fix/);
    const after = readFileSync(file, 'utf8');
    t.not(after, before, 'the file was written');
    const open = new Set((await findings(file)).map(key));
    for (const f of fixable) t.notOk(open.has(key(f)), `re-check no longer reports ${f.policy} at ${f.path}`);
    for (const comment of comments(before)) t.ok(after.includes(comment), `comment kept: ${comment.slice(0, 40)}`);
    // Lines the fixes did not touch are byte for byte the same: every removed line is a changed value
    // (of a key, or an item of a block list such as `- --host=127.0.0.1`).
    const removed = before.split('\n').filter((l) => !after.split('\n').includes(l));
    t.ok(removed.every((l) => /^\s*(?:[\w./-]+: |- [^\s:#]+(?:\s+#.*)?$)/.test(l)), `only changed values are rewritten: ${JSON.stringify(removed)}`);

    const again = await run(['fix', file]);
    t.equal(readFileSync(file, 'utf8'), after, 'a second fix changes nothing');
    t.match(again.stdout, /nothing to fix/);
    t.notMatch(again.stdout, /applied/);
  });
}

t.test('the examples exercise every built-in fix of the command line', async (t) => {
  const offered = new Set((await findings(BAD)).filter((f) => f.fix).map((f) => f.policy));
  for (const id of ['dtype-vs-accelerator', 'context-within-model', 'vllm-args-valid', 'parallelism-fits-model', 'probe-port-host', 'no-literal-secrets', 'restart-policy', 'non-root', 'rollout-strategy']) {
    t.ok(offered.has(id), `an example in examples/bad gets a ${id} fix`);
  }
});

t.test('--accept applies the Secret placeholder; without it the fix waits and says what it needs', async (t) => {
  const dir = t.testdir({});
  const file = path.join(dir, 'token.yaml');
  copyFileSync(path.join(BAD, 'literal-hf-token.yaml'), file);
  const literal = /^\s*value: "?hf_\S+/m;
  t.match(readFileSync(file, 'utf8'), literal, 'the example carries a literal token');
  const plain = await run(['fix', '--policy', 'no-literal-secrets', file]);
  t.match(plain.stdout, /needs --accept: no-literal-secrets: .*create Secret llama-8b-credentials/);
  t.match(readFileSync(file, 'utf8'), literal, 'not applied without --accept');
  const accepted = await run(['fix', '--accept', '--policy', 'no-literal-secrets', file]);
  t.match(accepted.stdout, /^ {2}no-literal-secrets: .* \(your part: create Secret llama-8b-credentials with key \S+ holding the credential/m, 'the applied fix says what is left to the user');
  const text = readFileSync(file, 'utf8');
  t.notMatch(text, literal, 'the literal is gone from the manifest');
  t.match(text, /secretKeyRef:\s*\n\s*name: llama-8b-credentials\s*\n\s*key: HUGGING_FACE_HUB_TOKEN/);
  t.match(text, /- --api-key=\$\(VLLM_API_KEY\)$/m, 'the literal --api-key reads $(VLLM_API_KEY)');
  t.match(text, /- name: VLLM_API_KEY\s*\n\s*valueFrom:\s*\n\s*secretKeyRef:\s*\n\s*name: llama-8b-credentials\s*\n\s*key: VLLM_API_KEY/, 'from the same placeholder Secret');
  t.notMatch(text, /sk-example-not-a-real-key/, 'the key is gone from the manifest');
  t.notOk((await findings(file)).some((f) => f.policy === 'no-literal-secrets'), 're-check is clean for env and argv');
  t.notMatch(text, /tolerations/, '--policy restricts to that policy');
});

t.test('multi-document files: each document fixed, separators and other documents kept', async (t) => {
  const dir = t.testdir({});
  const file = path.join(dir, 'two.yaml');
  const lws = readFileSync(path.join(BAD, 'lws-no-group-restart.yaml'), 'utf8');
  const service = '---\n# the Service stays as it is\napiVersion: v1\nkind: Service\nmetadata: { name: svc }\nspec: { ports: [ { port: 80 } ] }\n';
  writeFileSync(file, `${lws}${service}`);
  await run(['fix', '--policy', 'restart-policy', file]);
  const text = readFileSync(file, 'utf8');
  t.match(text, /restartPolicy: RecreateGroupOnPodRestart/);
  t.ok(text.endsWith(service), 'the second document is byte for byte the same');
});

t.test('a file mixing indented and flush sequences keeps its lines: only the fixed ones change', async (t) => {
  // Modeled on dims/skunkworks r1/deepseek-lws.yaml: `containers:` lists indented, `volumes:` lists flush.
  const dir = t.testdir({});
  const file = path.join(dir, 'mixed.yaml');
  const text = [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: vllm', 'spec:', '  replicas: 1',
    '  selector:', '    matchLabels:', '      app: vllm', '  template:', '    metadata:', '      labels:', '        app: vllm',
    '    spec:', '      containers:', '        - name: vllm', '          image: vllm/vllm-openai:v0.10.1.1',
    '          args:', '            - --model=Qwen/Qwen3-8B', '            - --max-model-len=8192', '          env:',
    '            - name: HF_HOME', '              value: /cache', '          readinessProbe:', '            httpGet:',
    '              path: /health', '              port: 8080', '          resources:', '            limits:',
    "              nvidia.com/gpu: '1'", '          volumeMounts:', '            - name: cache', '              mountPath: /cache',
    '      volumes:', '      - name: cache', '        emptyDir: {}', '',
  ].join('\n');
  writeFileSync(file, text);
  await run(['fix', '--policy', 'probe-port-host', file]);
  const fixed = readFileSync(file, 'utf8');
  t.match(fixed, / {14}port: 8000\n/, 'the probe port is fixed');
  const changed = fixed.split('\n').filter((line, i) => line !== text.split('\n')[i]);
  t.same(changed, ['              port: 8000'], 'no other line is re-indented');
});

t.test('Kustomize and Helm sources are left untouched, and fix says so', async (t) => {
  const dir = t.testdir({
    'kustomization.yaml': 'resources: [deploy.yaml]\n',
    chart: { 'Chart.yaml': 'name: x\nversion: 0.1.0\n', templates: { 'deploy.yaml': readFileSync(path.join(BAD, 'missing-readiness-probe.yaml'), 'utf8') } },
  });
  const out = await run(['fix', dir]);
  t.match(out.stdout, /kustomization\.yaml: left untouched: a Kustomize kustomization/);
  t.match(out.stdout, /deploy\.yaml: left untouched: part of a Helm chart/);
  t.equal(readFileSync(path.join(dir, 'chart/templates/deploy.yaml'), 'utf8'), readFileSync(path.join(BAD, 'missing-readiness-probe.yaml'), 'utf8'));
});
