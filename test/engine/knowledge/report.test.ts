/** `check` shows what the model/hardware verdicts assumed: the table line and the JSON field. */
import t from 'tap';
import { runCheck } from '../../../src/cli/check.js';
import { renderJson } from '../../../src/report/json.js';
import { renderTable } from '../../../src/report/table.js';
import { deployment, engine } from './helpers.js';

const input = (object: unknown) => ({ source: 'llama.yaml#1', file: 'llama.yaml', object, lineOf: () => 1, positionOf: () => ({ line: 1, column: 1 }) });

t.test('the table and the JSON name the model and GPU the verdict assumed', async (t) => {
  const object = deployment({ args: ['meta-llama/Llama-3.1-70B-Instruct', '-tp', '2'], gpus: 2, nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-40GB' } });
  const report = runCheck(engine, [input(object)], []);
  t.match(renderTable(report, false), /^ {2}model and GPU: Llama-3.1-70B-Instruct \(70\.6B, bf16\) on 2 × A100-SXM4-40GB$/m);
  const json = JSON.parse(renderJson(report)) as { results: { assumed?: string[] }[] };
  t.same(json.results[0]?.assumed, ['Llama-3.1-70B-Instruct (70.6B, bf16) on 2 × A100-SXM4-40GB']);
  const unknown = runCheck(engine, [input(deployment({ args: ['acme/private-13b'] }))], []);
  t.notMatch(renderTable(unknown, false), 'model and GPU');
  t.notOk('assumed' in ((JSON.parse(renderJson(unknown)) as { results: object[] }).results[0] ?? {}));
});
