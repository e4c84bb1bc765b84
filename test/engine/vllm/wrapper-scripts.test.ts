// Wrapper scripts that run vLLM's server (src/engine/vllm/wrapper-scripts.ts): which python commands run
// one, and which of their arguments are vLLM's.
import t from 'tap';
import { splitWrapperArgs, VLLM_WRAPPER_SCRIPTS, wrapperScriptAt } from '../../../src/engine/vllm/wrapper-scripts.js';
import { parseVllmArgs } from '../../../src/engine/vllm/args.js';

const tokens = (...texts: string[]) => texts.map((text) => ({ text }));
const noEnv = () => undefined;
const kaito = VLLM_WRAPPER_SCRIPTS.find((s) => s.name === 'KAITO vLLM preset');

t.test('the script python runs, past interpreter options; never a module or -c', async (t) => {
  t.match(wrapperScriptAt(tokens('python3', '/workspace/vllm/inference_api.py', '--model=x'), 0), { script: kaito, next: 2 });
  t.match(wrapperScriptAt(tokens('python3', '-u', '-X', 'dev', '/workspace/vllm/inference_api.py'), 0), { next: 5 });
  t.equal(wrapperScriptAt(tokens('python3', '-m', 'vllm.entrypoints.openai.api_server'), 0), null);
  t.equal(wrapperScriptAt(tokens('python3', '-c', 'print(1)', '/workspace/vllm/inference_api.py'), 0), null);
  t.equal(wrapperScriptAt(tokens('python3', '/workspace/tfs/inference_api.py'), 0), null, "KAITO's transformers runtime");
  t.equal(wrapperScriptAt([{ text: 'python3' }, { text: '', unknown: 'from a Secret' }], 0), null);
});

t.test('the wrapper keeps its own flags, in both spellings; the config flag is noticed', async (t) => {
  const split = splitWrapperArgs(tokens('--tensor-parallel-size=2', '--kaito-adapters-dir', '/mnt/adapter', '--kaito-config-file=/mnt/config/c.yaml', '--dtype', 'half'), kaito ?? VLLM_WRAPPER_SCRIPTS[0]!);
  t.same(split.vllm.map((x) => x.text), ['--tensor-parallel-size=2', '--dtype', 'half']);
  t.equal(split.configFile, true);
  t.equal(splitWrapperArgs(tokens('--kaito-max-probe-steps', '6'), kaito ?? VLLM_WRAPPER_SCRIPTS[0]!).configFile, false);
});

t.test('parsed as the OpenAI server parses them, with KAITO\'s port default', async (t) => {
  const args = parseVllmArgs(tokens('python3', '/workspace/vllm/inference_api.py', '--model=microsoft/phi-4', '--tensor-parallel-size=2', '--kaito-max-probe-steps', '6'), noEnv);
  t.equal(args.model, 'microsoft/phi-4');
  t.match(args.values, { 'tensor-parallel-size': 2, port: 5000 });
  t.notOk('kaito-max-probe-steps' in args.values);
  t.same(args.problems, []);
  t.same(args.unknown, {}, 'no config file: every argument is known');
  const port = parseVllmArgs(tokens('python3', '/workspace/vllm/inference_api.py', '--port', '8000'), noEnv);
  t.equal(port.values.port, 8000, 'a given port wins over the default');
  const withFile = parseVllmArgs(tokens('python3', '/workspace/vllm/inference_api.py', '--kaito-config-file', '/mnt/config/c.yaml'), noEnv);
  t.match(withFile.unknown, { '*': /appends vLLM arguments from the file named by --kaito-config-file/ });
});
