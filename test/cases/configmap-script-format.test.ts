// A ConfigMap start script run as a program must start with a shebang the kernel can run: execve(2)
// refuses a file whose first bytes are not `#!` (ENOEXEC, "exec format error"; runc and crun do not
// retry with /bin/sh, a shell does), and a CRLF `#!/bin/bash\r` names an interpreter that does not
// exist ("no such file or directory"). Known only with the ConfigMap's text: `check` with it in the
// input set denies, admission (no ConfigMap) stays as it was.
import t from 'tap';
import type { Finding } from '../../src/engine/api.js';
import { parseDocuments } from '../../src/io/yaml.js';
import { configMap, review, scriptDeployment, type Json } from './start-script-fixtures.js';

const SERVE = 'exec vllm serve Qwen/Qwen3-8B --port 8000\n';
const CRLF = `#!/bin/bash\r\n${SERVE.replace('\n', '\r\n')}`;

/** vllm-args-valid's launch findings (not the argument checks) for `command` running start.sh holding `text`. */
function launch(command: string[], text: string | null, more: Record<string, string> = {}): Finding[] {
  const workload = scriptDeployment({ command });
  const r = review(workload, text === null ? null : [configMap({ 'start.sh': text, ...more })]);
  return r.findings.filter((f) => f.policy === 'vllm-args-valid' && / runs \/scripts\//.test(f.message));
}

const WHERE = 'ConfigMap vllm-start key start\\.sh, mounted at /scripts/start\\.sh';

t.test('no #! on the first line: denied when the runtime execs the file itself', async (t) => {
  for (const [what, text] of [
    ['no shebang at all', SERVE],
    ['a blank line before #!', `\n#!/bin/sh\n${SERVE}`],
    ['a comment instead of #!', `# start vLLM\n${SERVE}`],
    ['one line without a line break', SERVE.trim()],
  ] as const) {
    const [finding, ...more] = launch(['/scripts/start.sh'], text);
    t.equal(more.length, 0, what);
    t.match(finding, {
      action: 'deny',
      outcome: 'fail',
      path: 'spec.template.spec.containers[0].command[0]',
      message: new RegExp(`^command\\[0\\] runs /scripts/start\\.sh, whose first line is not #! \\(container server\\): ${WHERE}: the runtime cannot execute it \\("exec format error"\\), so vLLM never starts$`),
      remediation: 'add "#!/bin/sh" as its first line, or run ["sh", "/scripts/start.sh"]',
    }, what);
  }
});

t.test('a UTF-8 byte order mark before #! is no shebang either', async (t) => {
  const [finding] = launch(['/scripts/start.sh'], `\uFEFF#!/bin/bash\n${SERVE}`);
  t.match(finding, { action: 'deny', message: new RegExp(`runs /scripts/start\\.sh, which has a byte order mark before #! .*${WHERE}: the runtime cannot execute it \\("exec format error"\\)`), remediation: 'save it as UTF-8 without a byte order mark' });
});

t.test('a CRLF #! line: the kernel looks for /bin/bash\\r, run by the runtime or by a shell', async (t) => {
  for (const [what, command, at] of [
    ['the container\'s command', ['/scripts/start.sh'], 'command[0]'],
    ['exec in sh -c', ['sh', '-c', 'exec /scripts/start.sh'], 'command[2]'],
    ['behind tini', ['tini', '--', '/scripts/start.sh'], 'command[2]'],
  ] as const) {
    const [finding, ...more] = launch([...command], CRLF);
    t.equal(more.length, 0, what);
    t.match(finding, {
      action: 'deny',
      path: `spec.template.spec.containers[0].${at}`,
      message: new RegExp(`runs /scripts/start\\.sh, whose #! line ends in CR \\(CRLF line ends\\) \\(container server\\): ${WHERE}: no interpreter "/bin/bash\\\\r" \\("no such file or directory"\\), so vLLM never starts$`),
      remediation: 'convert it to LF line ends (dos2unix start.sh) and recreate the ConfigMap',
    }, what);
  }
  const relative = review(scriptDeployment({ command: ['../scripts/start.sh'], workingDir: '/app' }), [configMap({ 'start.sh': CRLF })]).findings.filter((f) => / runs \.\.\//.test(f.message));
  t.match(relative, [{ action: 'deny', message: /^command\[0\] runs \.\.\/scripts\/start\.sh, .*mounted at \/scripts\/start\.sh: / }], 'a relative path: as written, and the file it names');
  const [env] = launch(['/scripts/start.sh'], `#!/usr/bin/env bash\r\n${SERVE}`);
  t.match(env?.message, /: env finds no program "bash\\r" \("No such file or directory"\)/, '#!/usr/bin/env bash\\r: env looks for bash\\r');
});

t.test('the ConfigMap as files hold it: "\\r\\n" escapes in a double-quoted value keep the CR, a CRLF file\'s block scalar does not', async (t) => {
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: qwen, namespace: llm}
spec:
  selector: {matchLabels: {app: qwen}}
  template:
    metadata: {labels: {app: qwen}}
    spec:
      containers:
      - {name: server, image: vllm/vllm-openai:v0.10.1.1, command: [/scripts/start.sh], resources: {limits: {nvidia.com/gpu: 2}}, volumeMounts: [{name: scripts, mountPath: /scripts}]}
      volumes: [{name: scripts, configMap: {name: vllm-start, defaultMode: 0755}}]
`;
  const head = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: vllm-start, namespace: llm}\ndata:\n';
  const findings = (text: string) => {
    const [workload, ...others] = parseDocuments(text).map((d) => d.value as Json);
    return review(workload as Json, others).findings.filter((f) => / runs \/scripts\//.test(f.message));
  };
  const quoted = `${deployment}---\n${head}  start.sh: "#!/bin/bash\\r\\nexec vllm serve Qwen/Qwen3-8B\\r\\n"\n`;
  t.match(findings(quoted), [{ action: 'deny', message: /CRLF line ends/ }], 'double-quoted escapes (kubectl create configmap --from-file of a CRLF file)');
  // YAML 1.2 §5.4: a line break inside a block scalar is read as one line feed, CRLF or not.
  const block = `${deployment}---\n${head}  start.sh: |\n    #!/bin/bash\n    exec vllm serve Qwen/Qwen3-8B\n`.replaceAll('\n', '\r\n');
  t.same(findings(block), [], 'a block scalar in a CRLF file holds LF line ends');
  const json = `${deployment}---\n${JSON.stringify(configMap({ 'start.sh': SERVE }))}\n`;
  t.match(findings(json), [{ action: 'deny', message: /whose first line is not #!/ }], 'JSON as the API server returns it');
});

t.test('nothing new where the kernel is not the one that fails, or the text is not known', async (t) => {
  const cases: [string, string[], string | null, Record<string, string>?][] = [
    ['no #!, run through bash FILE', ['bash', '/scripts/start.sh'], SERVE],
    ['no #!, run by exec in sh -c (the shell reads it as sh on ENOEXEC)', ['sh', '-c', 'exec /scripts/start.sh'], SERVE],
    ['no #!, behind tini (execvp runs /bin/sh on ENOEXEC)', ['tini', '--', '/scripts/start.sh'], SERVE],
    ['a proper shebang', ['/scripts/start.sh'], `#!/bin/sh\n${SERVE}`],
    ['a proper shebang after CRLF lines further down', ['/scripts/start.sh'], `#!/bin/sh\n${SERVE.replace('\n', '\r\n')}`],
    ['CRLF, run through bash FILE', ['bash', '/scripts/start.sh'], CRLF],
    ['an interpreter option ending in CR (#!/bin/bash -e\\r): left to the interpreter', ['/scripts/start.sh'], `#!/bin/bash -e\r\n${SERVE}`],
    ['a first line a renderer fills', ['/scripts/start.sh'], `{{ .Values.shebang }}\n${SERVE}`],
    ['a CRLF helper before vllm serve, which the shell still runs', ['sh', '-c', '/scripts/setup.sh; exec vllm serve Qwen/Qwen3-8B'], SERVE, { 'setup.sh': '#!/bin/sh\r\necho ready\r\n' }],
    ['a fallback through bash', ['sh', '-c', '/scripts/start.sh || bash /scripts/start.sh'], CRLF],
  ];
  for (const [what, command, text, more] of cases) t.same(launch(command, text, more), [], what);
  // The webhook has no ConfigMap: whatever the file holds, its first line is not known.
  t.same(launch(['/scripts/start.sh'], null), [], 'admission, without the ConfigMap');
});

t.test('without an execute bit, the mode is what the runtime says first', async (t) => {
  const workload = scriptDeployment({ command: ['/scripts/start.sh'] }, { volumes: [{ name: 'scripts', configMap: { name: 'vllm-start' } }] });
  const found = review(workload, [configMap({ 'start.sh': CRLF })]).findings.filter((f) => f.policy === 'vllm-args-valid' && / runs \/scripts\//.test(f.message));
  t.match(found, [{ action: 'deny', message: /without an execute bit \(mode 0644\)/ }]);
});
