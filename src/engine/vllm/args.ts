/**
 * vLLM's command line as FlexibleArgumentParser reads it (vllm/utils/argparse_utils.py,
 * vllm/engine/arg_utils.py): `--k v` = `--k=v`, `_` = `-` in names, short aliases, `--x`/`--no-x`
 * booleans, nargs+ lists, dotted JSON keys, the last occurrence wins. One pass: linear in the argv.
 * The option spellings (args-spellings.ts), value coercion (args-coerce.ts), where the arguments
 * start (args-start.ts) and env equivalents (args-env.ts) are their own files.
 */
import { DYNAMO_ENGINE_CONFIG_FLAG, DYNAMO_ENGINE_CONFIG_REASON, DYNAMO_FLAGS } from './dynamo.js';
import { splitWrapperArgs } from './wrapper-scripts.js';
import type { EnvLookup } from '../command/shell.js';
import type { ArgValue, Token, VllmArgs } from '../types.js';
import { ALIASES, BOOLEAN_FLAGS, LIST_OPTIONS, OPTIONAL_VALUE } from './args-spellings.js';
import { convertArgValue, parseBoolean } from './args-coerce.js';
import { findStart, type ParserMode } from './args-start.js';
import { applyEnv } from './args-env.js';

const NEGATIVE_NUMBER = /^-\d+$|^-\d*\.\d+$/;
const NAMED_INLINE = /^--?[A-Za-z0-9][\w.+-]*=/;

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

  constructor(private readonly tokens: Token[], private readonly mode: ParserMode) {}

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
      value = convertArgValue(name, value.text);
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
