// Shell expansion is bounded per container (its `sh -c` script and the ConfigMap scripts it runs share
// one budget, src/engine/command/shell-fields.ts): past it a value is "could not be verified", saying
// why. Before, `A=$A$A` repeated made the review throw (RangeError: Invalid string length), and `"$@"`
// passed down nested ConfigMap scripts multiplied the arguments at each level until the process ran
// out of memory.
import t from 'tap';
import { configMap, parallelism, review, scriptDeployment, type Json } from './start-script-fixtures.js';

const deployment = (container: Json): Json => scriptDeployment(container, { image: 'python:3.11' });

t.test('a variable doubled thirty times is unknown past the budget; the rest of the command is still judged', async (t) => {
  const script = `A=xxxxxxxx; ${'A=$A$A; '.repeat(30)}exec vllm serve Qwen/Qwen3-8B --served-model-name "$A" --tensor-parallel-size 4`;
  for (const [what, container, others] of [
    ['inline sh -c', { command: ['sh', '-c', script] }, []],
    ['a ConfigMap script', { command: ['bash', '/scripts/start.sh'] }, [configMap({ 'start.sh': script })]],
  ] as const) {
    const r = review(deployment(container), [...others]);
    t.match(parallelism(r), [{ outcome: 'fail', action: 'deny', message: /--tensor-parallel-size 4/ }], `${what}: TP 4 on 2 GPUs is still denied`);
  }
});

t.test('"$@" passed down nested ConfigMap scripts stops at the budget: could not be verified, saying why, never a deny', async (t) => {
  const all = '"$@" "$@" "$@" "$@"';
  const scripts = configMap({ 'start.sh': `exec bash /scripts/b.sh ${all}\n`, 'b.sh': `exec bash /scripts/c.sh ${all}\n`, 'c.sh': `exec vllm serve ${all}\n` });
  const args = ['Qwen/Qwen3-8B', '--tensor-parallel-size', '4', ...Array.from({ length: 300 }, () => '--disable-log-requests')];
  const r = review(deployment({ command: ['bash', '/scripts/start.sh'], args }), [scripts]);
  t.ok(r.vllm, 'recognized as vLLM');
  t.match(parallelism(r), [{ outcome: 'unknown', action: 'warn', message: /the script's expansions add more than 256 KiB, so vllm-guard expands no more of them/ }]);
});

t.test('paths looked up per container are bounded: a script after 32 other programs is not read', async (t) => {
  const cm = configMap({ 'start.sh': 'exec vllm serve Qwen/Qwen3-8B --tensor-parallel-size 4\n' });
  const run = (before: number) => deployment({ command: ['sh', '-c', `${'/bin/true; '.repeat(before)}exec /scripts/start.sh`] });
  t.equal(parallelism(review(run(8), [cm])).length, 1, 'after 8 programs the script is read (TP 4 on 2 GPUs)');
  const far = review(run(40), [cm]);
  t.same(parallelism(far), [], 'after 40 it is not read: no claim about its arguments');
  t.notOk(far.vllm, 'and the generic image gives no vLLM signal');
});
