// Where `vllm-guard check --output json DIR` spends its CPU. bench/cli.ts transpiles this file to
// plain JS and runs it with plain node in a fresh process (tsx's loader thread would add its own
// CPU). The calls are check-command.ts's, on the compiled code (dist/, or BENCH_DIST): CPU time
// (process.cpuUsage, all threads) per phase; the CPU of the main thread and of V8's helper threads
// (JIT compiler, GC) from /proc on Linux; then the same reviews a second time in this process
// (compiled code, filled memos: not yet the steady state). Prints one line of JSON.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Catalogue from '../src/cli/catalogue.js';
import type * as Check from '../src/cli/check.js';
import type * as Inputs from '../src/cli/inputs.js';
import type * as EngineApi from '../src/engine/api.js';
import type * as Json from '../src/report/json.js';

const DIST = process.env.BENCH_DIST ? pathToFileURL(`${process.env.BENCH_DIST.replace(/\/+$/, '')}/`) : new URL('../dist/', import.meta.url);
const dir = process.argv[2];
if (!dir) throw new Error('usage: cli-phases.ts DIR');

const cpuMs = (): number => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};
const phases: Record<string, number> = {};
let last = cpuMs();
const mark = (name: string): void => {
  const now = cpuMs();
  phases[name] = Math.round(now - last);
  last = now;
};

const load = async <T>(file: string): Promise<T> => (await import(new URL(file, DIST).href)) as T;
const { loadCliEngine } = await load<typeof Catalogue>('cli/catalogue.js');
const { readInputs } = await load<typeof Inputs>('cli/inputs.js');
const { runCheck } = await load<typeof Check>('cli/check.js');
const { renderJson } = await load<typeof Json>('report/json.js');
const { createRelatedSet, reviewObject } = await load<typeof EngineApi>('engine/api.js');
mark('import');
const { engine } = loadCliEngine({ configFile: null, dirs: [], builtin: true }, () => undefined);
mark('engine');
const { objects, errors } = await readInputs([dir], { readStdin: () => '', kubectl: null });
mark('read');
const report = runCheck(engine, objects, errors);
mark('check');
const text = renderJson(report);
mark('render');
writeFileSync('/dev/null', text);
mark('write');
// The threads as the check left them, before the reviews are run again.
const afterCheck = threads();
const related = createRelatedSet(objects.map((input) => input.object), { scope: 'the input set' });
for (const input of objects) reviewObject(engine, input.object, { related });
mark('reviewsAgain');

/** CPU ms of this process's threads: the main thread, and the others summed (V8's workers, libuv's pool). */
function threads(): { main: number; helpers: number } | null {
  try {
    const tick = 1000 / 100; // USER_HZ
    let main = 0;
    let helpers = 0;
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(fields[11]) + Number(fields[12])) * tick;
      if (tid === String(process.pid)) main += ms;
      else helpers += ms;
    }
    return { main, helpers };
  } catch {
    return null;
  }
}
console.log(JSON.stringify({ objects: objects.length, phases, threads: afterCheck, dist: fileURLToPath(DIST) }));
