/**
 * Where vLLM's arguments begin in a command, and which parser reads them: `vllm serve`, the OpenAI
 * server module, a wrapper script, KServe's huggingfaceserver or Dynamo's vLLM worker. Its own file:
 * recognizing the launcher is separate from reading the options after it (args.ts).
 * @module
 */
import { basename } from '../command/argv.js';
import { isPythonName, pythonModule } from './python-module.js';
import { DYNAMO_WORKER_MODULES } from './dynamo.js';
import { wrapperScriptAt, type WrapperScript } from './wrapper-scripts.js';
import type { Token } from '../types.js';

const SERVER_MODULES: ReadonlySet<string> = new Set(['vllm.entrypoints.openai.api_server', 'vllm.entrypoints.api_server']);

/**
 * Which parser reads the arguments: `serve` takes a positional model; `api-server` the OpenAI
 * server's options; `dynamo`: Dynamo's vLLM worker (dynamo.ts), engine arguments and Dynamo's own
 * flags, no positional; `other` a command that is not a vLLM server (options read, none refused).
 */
export type ParserMode = 'serve' | 'api-server' | 'huggingfaceserver' | 'dynamo' | 'other';

/**
 * The index of the first vLLM argument in `tokens`, the parser mode, and the wrapper script when one
 * launches the server (its own arguments are split off by wrapper-scripts.ts). `start` is
 * `tokens.length` for a python command that runs no known module or script.
 */
export function findStart(tokens: Token[]): { start: number; mode: ParserMode; wrapper?: WrapperScript } {
  const first = basename(tokens[0]?.text ?? '');
  if (first === 'vllm') return tokens[1]?.text === 'serve' ? { start: 2, mode: 'serve' } : { start: 1, mode: 'other' };
  if (!isPythonName(first)) return { start: 0, mode: 'other' };
  const python = pythonModule(tokens, 0);
  if (!python) {
    // A wrapper script takes the OpenAI server's arguments (api_server.make_arg_parser), and its own.
    const wrapper = wrapperScriptAt(tokens, 0);
    return wrapper ? { start: wrapper.next, mode: 'api-server', wrapper: wrapper.script } : { start: tokens.length, mode: 'other' };
  }
  if (python.module === 'huggingfaceserver') return { start: python.next, mode: 'huggingfaceserver' };
  if (DYNAMO_WORKER_MODULES.has(python.module)) return { start: python.next, mode: 'dynamo' };
  if (python.module === 'vllm.entrypoints.cli.main' && tokens[python.next]?.text === 'serve') {
    return { start: python.next + 1, mode: 'serve' };
  }
  return { start: python.next, mode: SERVER_MODULES.has(python.module) ? 'api-server' : 'other' };
}
