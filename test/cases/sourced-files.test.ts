// A start script that sources a file (`. /config/vars`, bash's `source`) before `vllm serve … "$TP"`:
// the file may set the variables the command line uses. Read from a ConfigMap the review has, its plain
// `NAME=value` / `export NAME=value` lines give the values; anything else (not in the input, a file of
// the image, a Secret, a line that is more than an assignment, `source` under sh, `eval`) makes every
// variable it could set unknown, naming the file: could not be verified, never a deny. Before, `$TP`
// kept the container env's value (TP=4 here), a false deny when the file sets TP=2.
import t from 'tap';
import { configMap, parallelism, review, scriptDeployment, type Json } from './start-script-fixtures.js';

const VOLUMES: Json[] = [{ name: 'scripts', configMap: { name: 'vllm-start', defaultMode: 0o755 } }, { name: 'config', configMap: { name: 'vllm-vars' } }, { name: 'secrets', secret: { secretName: 'vllm-env' } }];
const MOUNTS: Json[] = [{ name: 'scripts', mountPath: '/scripts' }, { name: 'config', mountPath: '/config' }, { name: 'secrets', mountPath: '/secrets' }];
const SERVE = 'exec vllm serve Qwen/Qwen3-8B --tensor-parallel-size "$TP"';
/** The container env says TP=4 on 2 GPUs: a deny unless something the script reads sets TP. */
const workload = (command: string[]): Json => scriptDeployment({ command, env: [{ name: 'TP', value: '4' }], volumeMounts: MOUNTS }, { volumes: VOLUMES });
const vars = (text: string): Json => configMap({ vars: text }, 'vllm-vars');
const denied = (r: ReturnType<typeof review>) => r.findings.filter((f) => f.action === 'deny' && (f.policy === 'gpu-count-matches-parallelism' || f.policy === 'vllm-args-valid'));

t.test('a sourced ConfigMap file\'s plain assignments give the values, over the container env', async (t) => {
  const forms: [string, string[], Json[]][] = [
    ['sh -c ". FILE && …"', ['sh', '-c', `. /config/vars && ${SERVE}`], [vars('# parallelism\nexport TP=2\n')]],
    ['a ConfigMap start script sourcing a file of the same ConfigMap', ['bash', '/scripts/start.sh'], [configMap({ 'start.sh': `#!/bin/bash\nset -e\n. /scripts/env.sh\n${SERVE}\n`, 'env.sh': "TP='2'   # two GPUs\nexport TP\n" })]],
    ['export with a quoted assignment', ['sh', '-c', `export "TP=2"; ${SERVE}`], []],
    ['bash\'s source, run by bash', ['bash', '-c', `source /config/vars; ${SERVE}`], [vars('MODEL="Qwen/Qwen3-8B"\nTP=2\n')]],
  ];
  for (const [what, command, others] of forms) t.same(parallelism(review(workload(command), others)), [], `${what}: TP 2 fits 2 GPUs`);
  const four = review(workload(['sh', '-c', `. /config/vars && ${SERVE}`]), [vars('TP=4\n')]);
  t.match(parallelism(four), [{ action: 'deny', outcome: 'fail', message: /--tensor-parallel-size 4 \(from ConfigMap vllm-vars key vars\)/ }], 'a value the file sets says where it came from');
});

t.test('a sourced file that cannot be read makes what it may set unknown, naming the file; never a deny', async (t) => {
  const cases: [string, string[], Json[] | null, RegExp][] = [
    ['the ConfigMap is not in the input', ['sh', '-c', `. /config/vars && ${SERVE}`], [], /\$TP may be set by \/config\/vars, which the script sources: it comes from ConfigMap vllm-vars key vars, and the ConfigMap vllm-vars is not in the input set/],
    ['admission', ['sh', '-c', `. /config/vars && ${SERVE}`], null, /\$TP may be set by \/config\/vars, which the script sources: it comes from ConfigMap vllm-vars key vars, and the ConfigMap vllm-vars is not looked up at admission/],
    ['a file of the image', ['sh', '-c', `. /etc/profile.d/vllm.sh; ${SERVE}`], [], /\$TP may be set by \/etc\/profile\.d\/vllm\.sh, which the script sources: it is in the image/],
    ['a Secret volume', ['sh', '-c', `. /secrets/env; ${SERVE}`], [], /\$TP may be set by \/secrets\/env, which the script sources: it is on volume secrets, which is not a ConfigMap volume/],
    ['a line that is more than an assignment', ['sh', '-c', `. /config/vars; ${SERVE}`], [vars('TP=2\nif [ -n "$BIG" ]; then TP=8; fi\n')], /\$TP may be set by \/config\/vars \(ConfigMap vllm-vars key vars\), which the script sources, and which does more than set variables \(line 2\)/],
    ['a value with an expansion', ['sh', '-c', `. /config/vars; ${SERVE}`], [vars('TP="${GPUS}"\n')], /does more than set variables \(line 1\)/],
    ['a CRLF file (the value would end in CR)', ['sh', '-c', `. /config/vars; ${SERVE}`], [vars('TP=2\r\n')], /does more than set variables \(line 1\)/],
    ['source under sh (dash has none)', ['sh', '-c', `source /config/vars; ${SERVE}`], [vars('TP=2\n')], /with source, a bash builtin sh may not have/],
    ['a relative path', ['sh', '-c', `. ./vars; ${SERVE}`], [], /\$TP may be set by \.\/vars, which the script sources: a relative path/],
    ['eval', ['sh', '-c', `eval "$(cat /config/vars)"; ${SERVE}`], [vars('TP=2\n')], /\$TP may be set by eval at run time/],
    ['export of a command substitution', ['sh', '-c', `export $(grep -v '^#' /config/vars | xargs); ${SERVE}`], [vars('TP=2\n')], /\$TP may be set by export of a word known only at run time/],
    ['read', ['sh', '-c', `read TP < /config/tp; ${SERVE}`], [], /\$TP is read at run time/],
  ];
  for (const [what, command, others, reason] of cases) {
    const r = review(workload(command), others);
    t.same(denied(r), [], `${what}: no deny`);
    t.match(parallelism(r), [{ outcome: 'unknown', message: reason }], what);
  }
});

t.test('a script run by a script that sourced a file does not take the env value either', async (t) => {
  const start = configMap({ 'start.sh': `#!/bin/bash\n${SERVE}\n` });
  const r = review(workload(['sh', '-c', '. /config/vars; exec bash /scripts/start.sh']), [start, vars('export TP=2\n')]);
  t.same(denied(r), [], 'no deny');
  t.match(parallelism(r), [{ outcome: 'unknown', message: /\$TP may be exported by the script that runs \/scripts\/start\.sh/ }]);
});

t.test('a command run in the background or in a pipeline sets nothing in the script (a subshell)', async (t) => {
  for (const script of [`eval "$START_CMD" & ${SERVE}`, `. /config/vars & ${SERVE}`, `cat /config/tp | read TP; ${SERVE}`, `. /config/vars | tee /tmp/log; ${SERVE}`]) {
    const r = review(workload(['bash', '-c', script]), [vars('TP=2\n')]);
    t.match(parallelism(r), [{ action: 'deny', message: /--tensor-parallel-size 4 \(from env TP\)/ }], script);
  }
});

t.test('bounded: at most 8 sourced files are looked up per container', async (t) => {
  const nine = Array.from({ length: 9 }, () => '. /config/vars').join('; ');
  const r = review(workload(['sh', '-c', `${nine}; ${SERVE}`]), [vars('TP=2\n')]);
  t.match(parallelism(r), [{ outcome: 'unknown', message: /reads at most 8 sourced files per container/ }]);
});
