/**
 * vLLM's command line as FlexibleArgumentParser reads it (vllm/utils/argparse_utils.py,
 * vllm/engine/arg_utils.py): `--k v` = `--k=v`, `_` = `-` in names, short aliases, `--x`/`--no-x`
 * booleans, nargs+ lists, dotted JSON keys, the last occurrence wins. One pass: linear in the argv.
 */
import { basename } from '../command/argv.js';
import { pythonModule } from './detect.js';
import { DYNAMO_ENGINE_CONFIG_FLAG, DYNAMO_ENGINE_CONFIG_REASON, DYNAMO_FLAGS, DYNAMO_WORKER_MODULES } from './dynamo.js';
import { splitWrapperArgs, wrapperScriptAt, type WrapperScript } from './wrapper-scripts.js';
import type { EnvLookup } from '../command/shell.js';
import { parseHumanInt, parsePythonInt } from '../util/quantity.js';
import type { ArgValue, Token, VllmArgs } from '../types.js';

/** Short spellings (vLLM ≥ 0.11). `-O` is special-cased: `-O3`, `-O=3` and `-O 3` set optimization-level. */
export const ALIASES: Readonly<Record<string, string>> = {
  tp: 'tensor-parallel-size',
  pp: 'pipeline-parallel-size',
  dp: 'data-parallel-size',
  dpl: 'data-parallel-size-local',
  dpn: 'data-parallel-rank',
  dpr: 'data-parallel-start-rank',
  dpa: 'data-parallel-address',
  dpp: 'data-parallel-rpc-port',
  dpb: 'data-parallel-backend',
  dph: 'data-parallel-hybrid-lb',
  dpe: 'data-parallel-external-lb',
  dcp: 'decode-context-parallel-size',
  pcp: 'prefill-context-parallel-size',
  ep: 'enable-expert-parallel',
  q: 'quantization',
  cc: 'compilation-config',
  ac: 'attention-config',
  n: 'nnodes',
  r: 'node-rank',
};

/** Options that take no value (store_true or BooleanOptionalAction); any `--no-x` sets x to false. */
export const BOOLEAN_FLAGS: ReadonlySet<string> = new Set([
  'trust-remote-code', 'enforce-eager', 'enable-chunked-prefill', 'disable-log-stats', 'enable-prefix-caching',
  'enable-auto-tool-choice', 'disable-log-requests', 'enable-log-requests', 'enable-log-outputs', 'enable-lora',
  'enable-expert-parallel', 'enable-eplb', 'enable-dbo', 'enable-elastic-ep', 'enable-sleep-mode',
  'disable-custom-all-reduce', 'disable-sliding-window', 'disable-cascade-attn', 'skip-tokenizer-init',
  'enable-prompt-embeds', 'enable-prompt-tokens-details', 'enable-server-load-tracking', 'enable-force-include-usage',
  'enable-request-id-headers', 'enable-tokenizer-info-endpoint', 'disable-frontend-multiprocessing',
  'disable-fastapi-docs', 'disable-uvicorn-access-log', 'allow-credentials', 'return-tokens-as-token-ids', 'headless',
  'async-scheduling', 'calculate-kv-scales', 'fully-sharded-loras', 'ray-workers-use-nsight',
  'disable-async-output-proc', 'use-tqdm-on-load', 'kv-sharing-fast-prefill', 'enable-mm-embeds', 'mm-encoder-only',
  'interleave-mm-strings', 'skip-mm-profiling', 'disable-chunked-mm-input', 'disable-hybrid-kv-cache-manager',
  'aggregate-engine-logging', 'fail-on-environ-validation', 'data-parallel-hybrid-lb', 'data-parallel-external-lb',
  'language-model-only', 'enable-return-routed-experts', 'allow-deprecated-quantization', 'enable-ssl-refresh',
  'disable-mm-preprocessor-cache', 'enable-reasoning', 'trust-request-chat-template', 'enable-layerwise-nvtx-tracing',
  'enable-mfu-metrics', 'kv-cache-metrics', 'cudagraph-metrics', 'enable-flashinfer-autotune',
  'disable-nccl-for-dp-synchronization', 'enable-log-deltas', 'exclude-tools-when-tool-choice-none', 'log-error-stack',
]);

/** nargs="+": the values run until the next option. */
export const LIST_OPTIONS: ReadonlySet<string> = new Set([
  'served-model-name', 'lora-modules', 'allowed-origins', 'allowed-methods', 'allowed-headers', 'middleware',
  'cudagraph-capture-sizes', 'ignore-patterns', 'allowed-media-domains',
]);

/** nargs="?": `--hf-token` alone means "use the stored login", recorded as true. */
const OPTIONAL_VALUE: ReadonlySet<string> = new Set(['hf-token']);

/** Parsed with human_readable_int (max-model-len's `auto` stays text: see facts/arg-values.ts). */
const HUMAN_INTS: ReadonlySet<string> = new Set(['max-model-len', 'max-num-batched-tokens', 'kv-cache-memory-bytes']);
const INTS: ReadonlySet<string> = new Set([
  'max-num-seqs', 'tensor-parallel-size', 'pipeline-parallel-size', 'data-parallel-size', 'data-parallel-size-local',
  'data-parallel-rank', 'data-parallel-start-rank', 'data-parallel-rpc-port', 'decode-context-parallel-size',
  'prefill-context-parallel-size', 'port', 'max-num-partial-prefills', 'max-long-partial-prefills',
  'long-prefill-token-threshold', 'block-size', 'seed', 'max-logprobs', 'max-loras', 'max-lora-rank', 'max-cpu-loras',
  'nnodes', 'node-rank', 'master-port', 'shutdown-timeout', 'num-gpu-blocks-override', 'max-parallel-loading-workers',
  'api-server-count', 'optimization-level', 'max-cudagraph-capture-size', 'uvicorn-workers', 'max-seq-len-to-capture',
]);
const FLOATS: ReadonlySet<string> = new Set(['gpu-memory-utilization', 'swap-space', 'cpu-offload-gb', 'mm-processor-cache-gb']);

const FLOAT = /^\s*[+-]?(?:\d+(?:_\d+)*\.?(?:\d+(?:_\d+)*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const NEGATIVE_NUMBER = /^-\d+$|^-\d*\.\d+$/;
const NAMED_INLINE = /^--?[A-Za-z0-9][\w.+-]*=/;
const PYTHON = /^python(?:\d+(?:\.\d+)*)?$/;
const SERVER_MODULES: ReadonlySet<string> = new Set(['vllm.entrypoints.openai.api_server', 'vllm.entrypoints.api_server']);

/** `dynamo`: Dynamo's vLLM worker (dynamo.ts), engine arguments and Dynamo's own flags, no positional. */
type Mode = 'serve' | 'api-server' | 'huggingfaceserver' | 'dynamo' | 'other';

/** An option's text as the typed facts read it: ints, human ints (`32k`) and floats by option name; other text stays. */
export function convertArgValue(name: string, text: string): ArgValue {
  return convert(name, text);
}

function convert(name: string, text: string): ArgValue {
  let parsed: number | null = null;
  // `auto` stays text (facts/arg-values.ts reads it per release: auto-fit from v0.14.0, refused before).
  if (HUMAN_INTS.has(name)) parsed = parseHumanInt(text);
  else if (INTS.has(name)) parsed = parsePythonInt(text);
  else if (FLOATS.has(name) && FLOAT.test(text)) parsed = Number(text.replaceAll('_', ''));
  return parsed === null || !Number.isFinite(parsed) ? text : parsed;
}

function parseBoolean(text: string): ArgValue {
  const lower = text.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : text;
}

/** `--max_model_len=a_b` → `max-model-len=a_b`: underscores fold in the key up to its first dot, as vLLM does. */
function normalizeLong(body: string): string {
  // Most options have no underscore: return the text itself rather than a new concatenated string,
  // which V8 would flatten again for every lookup of the name.
  if (!body.includes('_')) return body;
  const eq = body.indexOf('=');
  const key = eq === -1 ? body : body.slice(0, eq);
  const dot = key.indexOf('.');
  const end = dot === -1 ? key.length : dot;
  return key.slice(0, end).replaceAll('_', '-') + body.slice(end);
}

function isValue(token: Token | undefined): token is Token {
  if (!token) return false;
  return !token.text.startsWith('-') || NEGATIVE_NUMBER.test(token.text);
}

class ArgParser {
  readonly out: VllmArgs = { values: {}, unknown: {}, model: null, modelFrom: null, problems: [], fromEnv: {}, at: {}, from: {} };
  private positional: Token | null = null;
  private i = 0;

  constructor(private readonly tokens: Token[], private readonly mode: Mode) {}

  set(name: string, value: ArgValue | Token): void {
    if (name === '__proto__') return;
    const { values, unknown } = this.out;
    if (typeof value === 'object' && !Array.isArray(value)) {
      if (value.unknown) {
        unknown[name] = value.unknown;
        // The text as written ($(TP), ${MODEL}) stands in, so messages show the flag with what the
        // manifest says instead of claiming it is absent; `unknown` keeps rules from judging it.
        if (value.text) values[name] = value.text;
        else delete values[name];
        return;
      }
      value = convert(name, value.text);
    }
    values[name] = value;
    // `delete` is a slow runtime call even when there is nothing to delete, which is the usual case.
    if (Object.hasOwn(unknown, name)) delete unknown[name];
  }

  run(start: number): void {
    const tokens = this.tokens;
    for (this.i = start; this.i < tokens.length; this.i++) {
      const token = tokens[this.i] as Token;
      const text = token.text;
      if (text === '--') {
        for (const rest of tokens.slice(this.i + 1)) this.addPositional(rest);
        return;
      }
      if (token.unknown && !NAMED_INLINE.test(text)) this.addUnknownToken(token);
      else if (text.startsWith('--') && text.length > 2) this.readOption(normalizeLong(text.slice(2)), token);
      else if (text.startsWith('-O') && !text.startsWith('-O.')) this.readOptimization(text);
      else if (text.startsWith('-') && text.length > 1 && !NEGATIVE_NUMBER.test(text)) this.readOption(this.resolveShort(text.slice(1)), token);
      else this.addPositional(token);
    }
  }

  private resolveShort(body: string): string {
    const end = body.search(/[.=]/);
    const short = end === -1 ? body : body.slice(0, end);
    const name = Object.hasOwn(ALIASES, short) ? (ALIASES[short] as string) : short;
    return name + (end === -1 ? '' : body.slice(end));
  }

  private readOptimization(text: string): void {
    const next = this.tokens[this.i + 1];
    if (text !== '-O') {
      this.set('optimization-level', { text: text.slice(text[2] === '=' ? 3 : 2) });
    } else if (next && /^[0-3]$/.test(next.text)) {
      this.set('optimization-level', next);
      this.i++;
    } else this.readOption('compilation-config', { text: '-O' });
  }

  /** Records where the flag sits and where its value came from; the last occurrence wins, as for values. */
  private locate(name: string, flag: Token, value: Token | undefined): void {
    if (name === '__proto__') return;
    if (flag.at) this.out.at[name] = flag.at;
    const from = value?.from ?? flag.from;
    if (from) this.out.from[name] = from;
    else if (Object.hasOwn(this.out.from, name)) delete this.out.from[name];
  }

  /** `body` is the option without dashes, possibly `name=value`; `token` carries unknown-ness. */
  private readOption(body: string, token: Token): void {
    const eq = body.indexOf('=');
    const name = eq === -1 ? body : body.slice(0, eq);
    let inline: Token | null = null;
    if (eq !== -1) {
      inline = { text: body.slice(eq + 1) };
      if (token.unknown) inline.unknown = token.unknown;
    }
    const next = this.tokens[this.i + 1];
    this.locate(name.startsWith('no-') ? name.slice(3) : name, token, inline ?? (isValue(next) ? next : undefined));
    if (name.startsWith('no-')) this.set(name.slice(3), false);
    else if (name.includes('.')) this.readDotted(name, inline, next);
    else if (BOOLEAN_FLAGS.has(name) || (this.mode === 'dynamo' && DYNAMO_FLAGS[name] === true)) {
      if (inline) this.set(name, inline.unknown ? inline : parseBoolean(inline.text));
      else if (next && /^(?:true|false)$/i.test(next.text)) {
        this.set(name, parseBoolean(next.text));
        this.i++;
      } else this.set(name, true);
    } else if (LIST_OPTIONS.has(name)) this.readList(name, inline);
    else if (inline) this.set(name, inline);
    else if (isValue(next)) {
      this.set(name, next);
      this.i++;
    } else if (OPTIONAL_VALUE.has(name)) this.set(name, true);
    else this.out.problems.push(`--${name} expects a value`);
    if (name === 'config' && (inline || isValue(next))) {
      this.out.unknown['config'] = 'the values in the --config file cannot be read at admission';
    }
  }

  /** `--compilation-config.level 3`: the value is always the next argument, as in vLLM. */
  private readDotted(name: string, inline: Token | null, next: Token | undefined): void {
    const key = name.endsWith('+') ? name.slice(0, -1) : name;
    if (inline) this.set(key, inline);
    else if (next) {
      this.set(key, next);
      this.i++;
    } else this.out.problems.push(`--${key} expects a value`);
  }

  private readList(name: string, inline: Token | null): void {
    const items: Token[] = inline ? [inline] : [];
    while (isValue(this.tokens[this.i + 1])) items.push(this.tokens[++this.i] as Token);
    if (items.length === 0) {
      this.out.problems.push(`--${name} expects at least one value`);
      return;
    }
    const unknown = items.find((t) => t.unknown);
    this.set(name, unknown ?? items.map((t) => t.text));
  }

  /** Called only for tokens with `unknown` set. */
  private addUnknownToken(token: Token): void {
    // A bare unknown word fills the model slot first (`vllm serve $(MODEL_ID)`); elsewhere it may be any option.
    if (this.mode === 'serve' && this.positional === null && !token.text.startsWith('-')) this.positional = token;
    else this.out.unknown['*'] = token.unknown as string;
  }

  private addPositional(token: Token): void {
    if (this.mode === 'serve' && this.positional === null) this.positional = token;
    else if (this.mode !== 'other' && this.mode !== 'dynamo') this.out.problems.push('an extra positional argument (vLLM refuses unrecognized arguments)');
  }

  resolveModel(): void {
    const out = this.out;
    if (this.positional) {
      out.modelFrom = 'positional';
      if (this.positional.at) out.at['model'] = this.positional.at;
      // An unknown model keeps its text as written ($(MODEL_ID)) for messages; `unknown` marks it.
      if (this.positional.unknown) out.unknown['model'] = this.positional.unknown;
      if (this.positional.text) out.model = this.positional.text;
      return;
    }
    const names = this.mode === 'huggingfaceserver' ? ['model-id', 'model-dir', 'model'] : ['model'];
    const name = names.find((n) => n in out.values || n in out.unknown);
    if (!name) return;
    out.modelFrom = 'flag';
    const value = out.values[name];
    if (typeof value === 'string') out.model = value;
    if (name !== 'model' && name in out.unknown) out.unknown['model'] = out.unknown[name] as string;
  }
}

function findStart(tokens: Token[]): { start: number; mode: Mode; wrapper?: WrapperScript } {
  const first = basename(tokens[0]?.text ?? '');
  if (first === 'vllm') return tokens[1]?.text === 'serve' ? { start: 2, mode: 'serve' } : { start: 1, mode: 'other' };
  if (!PYTHON.test(first)) return { start: 0, mode: 'other' };
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

/** Env vars vLLM (or KServe's server) reads in place of a flag; secrets are recorded as set (true), never copied. */
const ENV_EQUIVALENTS: { option: string; names: string[]; secret: boolean; modes?: Mode[] }[] = [
  { option: 'api-key', names: ['VLLM_API_KEY'], secret: true },
  { option: 'hf-token', names: ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN'], secret: true },
  { option: 'tensor-parallel-size', names: ['TENSOR_PARALLEL_SIZE'], secret: false, modes: ['huggingfaceserver'] },
  { option: 'pipeline-parallel-size', names: ['PIPELINE_PARALLEL_SIZE'], secret: false, modes: ['huggingfaceserver'] },
];

/** Every env var parseVllmArgs reads: its answer depends on the command, these and the config file alone (argv-memo.ts). */
export const ENV_READ_BY_ARGS: readonly string[] = ENV_EQUIVALENTS.flatMap((e) => e.names);

function applyEnv(parser: ArgParser, env: EnvLookup, mode: Mode | null): void {
  const { values, unknown, fromEnv } = parser.out;
  for (const { option, names, secret, modes } of ENV_EQUIVALENTS) {
    if (option in values || option in unknown || (modes && (mode === null || !modes.includes(mode)))) continue;
    for (const name of names) {
      const token = env(name);
      if (!token) continue;
      if (token.source === 'envFrom') {
        unknown[option] = token.unknown ?? `${name} may come from envFrom`;
        break;
      }
      // vLLM ignores an empty VLLM_API_KEY or HF_TOKEN.
      if (!token.unknown && token.text === '') continue;
      fromEnv[option] = name;
      if (secret) values[option] = true;
      else parser.set(option, token.unknown ? { text: '', unknown: token.unknown } : { text: token.text });
      break;
    }
  }
}

/**
 * The engine arguments of a vLLM command (from `vllm serve`, `python -m vllm.entrypoints.openai.api_server`
 * or `python -m huggingfaceserver` on; null when the command is not known), with env equivalents of
 * absent flags. `unknown['*']` means an unknown argument may set any option; `unknown['config']`
 * means options absent here may come from the `--config` file (`configFile`, when read, is already
 * spliced into the command; otherwise its reason replaces the generic one).
 */
export function parseVllmArgs(command: Token[] | null, env: EnvLookup, configFile?: { status: string; reason: string | null }): VllmArgs {
  const found = command ? findStart(command) : null;
  const split = found?.wrapper && command ? splitWrapperArgs(command.slice(found.start), found.wrapper) : null;
  const tokens = split && command && found ? [...command.slice(0, found.start), ...split.vllm] : command;
  const parser = new ArgParser(tokens ?? [], found?.mode ?? 'other');
  if (found) {
    parser.run(found.start);
    parser.resolveModel();
  }
  const wrapper = found?.wrapper;
  if (wrapper) {
    for (const [option, value] of Object.entries(wrapper.defaults ?? {})) if (!(option in parser.out.values)) parser.set(option, { text: value });
    // The file's arguments come after these, so they may set or override any option (argparse: last wins).
    if (split?.configFile) parser.out.unknown['*'] = `the ${wrapper.name} appends vLLM arguments from the file named by ${wrapper.configFlag ?? 'its config flag'}, which cannot be read at admission`;
  }
  // Dynamo's engine-argument file is the parser's starting namespace: the command line wins over it.
  if (found?.mode === 'dynamo' && DYNAMO_ENGINE_CONFIG_FLAG in parser.out.values) parser.out.unknown['config'] = DYNAMO_ENGINE_CONFIG_REASON;
  // A --config file that could not be read says why (mounted from a ConfigMap not looked up, in the image, …).
  if (configFile?.status === 'read') delete parser.out.unknown['config'];
  else if (configFile?.reason && 'config' in parser.out.unknown) parser.out.unknown['config'] = configFile.reason;
  applyEnv(parser, env, found?.mode ?? null);
  return parser.out;
}
