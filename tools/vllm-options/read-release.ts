/**
 * The command-line options of one vLLM release, read from its sources as text: every
 * `add_argument` call in EngineArgs/AsyncEngineArgs (vllm/engine/arg_utils.py), the OpenAI server
 * parser (vllm/entrypoints/openai/cli_args.py, `make_arg_parser` and FrontendArgs) and the `serve`
 * subcommand (vllm/entrypoints/cli/serve.py, or vllm/scripts.py before it existed), with the types
 * `get_kwargs` derives from the config dataclasses (vllm/config.py or vllm/config/*.py).
 */
import type { OptionSpec, OptionValueType } from '../../src/engine/vllm/option-types.js';
import { classFields, indexModule, type PyModuleIndex } from './python-classes.js';
import { applyKeywords, specFromAnnotation } from './python-kwargs.js';
import { findCalls, matchBracket, parseLiteralList, parseStringLiteral, splitTopLevel } from './python-text.js';

export interface SourceFile {
  path: string;
  text: string;
}

export interface ReleaseSources {
  argUtils: SourceFile;
  cliArgs: SourceFile | null;
  serve: SourceFile | null;
  /** vllm/config.py or vllm/config/*.py, plus modules that define aliases used in annotations. */
  typeModules: SourceFile[];
}

/** Field names get_kwargs parses with human_readable_int(_or_auto), read from its int branch. */
export function readHumanInts(argUtils: string): Map<string, OptionValueType> {
  const out = new Map<string, OptionValueType>();
  const start = argUtils.search(/contains_type\(type_hints, int\)/);
  if (start === -1) return out;
  const end = argUtils.indexOf('contains_type(type_hints, float)', start);
  const region = argUtils.slice(start, end === -1 ? undefined : end);
  const sets = new Map<string, string[]>();
  for (const m of region.matchAll(/(\w+)\s*=\s*(\{[^}]*\})/g)) {
    const values = parseLiteralList(`[${(m[2] as string).slice(1, -1)}]`);
    if (values) sets.set(m[1] as string, values);
  }
  let names: string[] = [];
  for (const line of region.split('\n')) {
    const cond = /\bname\s*(==|in)\s*(.+?):\s*$/.exec(line);
    if (cond) {
      const rhs = (cond[2] as string).trim();
      names =
        cond[1] === '==' ? [parseStringLiteral(rhs) ?? ''] : (parseLiteralList(rhs.replace(/^\{(.*)\}$/s, '[$1]')) ?? sets.get(rhs) ?? []);
    }
    const assign = /\["type"\]\s*=\s*(human_readable_int_or_auto|human_readable_int)\b/.exec(line);
    if (assign) for (const n of names) out.set(n, assign[1] === 'human_readable_int' ? 'human-int' : 'human-int-or-auto');
  }
  return out;
}

interface Modification {
  key: string;
  expr: string | null;
}

/** `X_kwargs["field"]["key"] = expr` and `del X_kwargs["field"]["nargs"]` edits, by `var.field`. */
function readModifications(src: string): Map<string, Modification[]> {
  const out = new Map<string, Modification[]>();
  const add = (id: string, m: Modification) => out.set(id, [...(out.get(id) ?? []), m]);
  for (const m of src.matchAll(/^\s*(\w+)\["(\w+)"\]\["(\w+)"\]\s*(\+?=)\s*(.+)$/gm)) {
    const key = m[3] as string;
    add(`${m[1]}.${m[2]}`, { key, expr: m[4] === '+=' ? null : (m[5] as string).trim() });
  }
  for (const m of src.matchAll(/^\s*del\s+(\w+)\["(\w+)"\]\["(\w+)"\]/gm)) add(`${m[1]}.${m[2]}`, { key: `del:${m[3]}`, expr: null });
  return out;
}

function fieldSpec(
  varName: string,
  field: string,
  ctx: { kwargVars: Map<string, string[]>; index: PyModuleIndex; humanInts: Map<string, OptionValueType>; mods: Map<string, Modification[]> },
  file: string,
): { spec: OptionSpec; extraFlags: string[] } {
  const classes = ctx.kwargVars.get(varName) ?? [];
  let spec: OptionSpec = { action: 'store', value: 'unknown', file };
  for (const cls of classes) {
    const f = classFields(ctx.index, cls).find((x) => x.name === field);
    if (f) {
      spec = specFromAnnotation(field, f.annotation, ctx.index, ctx.humanInts, file);
      spec.field = `${cls}.${field}`;
      break;
    }
  }
  const keywords = new Map<string, string>();
  const extraFlags: string[] = [];
  for (const m of ctx.mods.get(`${varName}.${field}`) ?? []) {
    if (m.key === 'del:nargs') delete spec.nargs;
    else if (m.key === 'flags' && m.expr) extraFlags.push(...(parseLiteralList(m.expr) ?? []));
    else if (m.key === 'choices' && m.expr === null) spec.choicesUnknown = 'choices are extended at run time';
    else if (m.expr !== null && ['type', 'action', 'nargs', 'choices', 'deprecated'].includes(m.key)) keywords.set(m.key, m.expr);
  }
  applyKeywords(spec, keywords, ctx.index);
  if (spec.choicesUnknown) delete spec.choices;
  return { spec, extraFlags };
}

const DEPRECATED_HELP = /\b(?:is|are|has been) deprecated\b|^\s*\[?deprecated\b/i;
const REPLACEMENT = /\buse\s+[`'"]?(--[a-z0-9][a-z0-9-]*)/i;

/** Options of one file's add_argument calls; `receivers` limits which parser objects count. */
function readCalls(
  file: SourceFile,
  ctx: { index: PyModuleIndex; humanInts: Map<string, OptionValueType> },
  receivers: RegExp,
  out: Map<string, OptionSpec>,
): void {
  const src = file.text;
  const kwargVars = new Map<string, string[]>();
  const builders = [...src.matchAll(/(\w+)\.add_cli_args\(parser\)/g)].map((m) => m[1] as string);
  for (const m of src.matchAll(/(\w+)\s*=\s*get_kwargs\((\w+)\)/g)) {
    const cls = m[2] as string;
    // `get_kwargs(cls)` in a classmethod: the classes of this file whose add_cli_args the parser calls.
    kwargVars.set(m[1] as string, cls === 'cls' ? builders.filter((b) => ctx.index.classes.get(b)?.path === file.path) : [cls]);
  }
  const full = { ...ctx, kwargVars, mods: readModifications(src) };
  for (const call of findCalls(src, 'add_argument')) {
    if (!receivers.test(call.receiver)) continue;
    const parts = splitTopLevel(call.args);
    const names: string[] = [];
    const keywords = new Map<string, string>();
    let spec: OptionSpec = { action: 'store', file: file.path };
    let help: string | null = null;
    let loopVar: string | null = null;
    for (const part of parts) {
      const kw = /^([A-Za-z_]\w*)\s*=(?!=)\s*(.*)$/s.exec(part);
      if (kw) {
        if (kw[1] === 'help') help = parseStringLiteral(kw[2] as string);
        else keywords.set(kw[1] as string, kw[2] as string);
        continue;
      }
      const spreadField = /^\*\*\s*(\w+)\["(\w+)"\]$/.exec(part);
      const spreadDict = /^\*\*\s*\{/.test(part);
      if (spreadField) {
        const r = fieldSpec(spreadField[1] as string, spreadField[2] as string, full, file.path);
        spec = r.spec;
        names.push(...r.extraFlags);
      } else if (spreadDict) {
        const body = part.slice(part.indexOf('{'));
        const entries = splitTopLevel(body.slice(1, matchBracket(body, 0)));
        for (const e of entries) {
          const inner = /^\*\*\s*(\w+)\["(\w+)"\]$/.exec(e);
          const pair = /^["'](\w+)["']\s*:\s*(.+)$/s.exec(e);
          if (inner) spec = fieldSpec(inner[1] as string, inner[2] as string, full, file.path).spec;
          else if (pair) keywords.set(pair[1] as string, pair[2] as string);
        }
      } else if (/^\*\*\s*value$/.test(part)) {
        loopVar = 'value';
      } else if (/^f["']--\{key/.test(part)) {
        loopVar = loopVar ?? 'value';
      } else {
        const s = parseStringLiteral(part);
        if (s !== null) names.push(s);
      }
    }
    if (loopVar) {
      readLoop(src, call.at, full, file.path, out);
      continue;
    }
    const options = names.filter((n) => n.startsWith('-'));
    const primary = options.find((n) => n.startsWith('--')) ?? options[0];
    if (!primary) continue;
    applyKeywords(spec, keywords, ctx.index);
    if (spec.choicesUnknown) delete spec.choices;
    if (help !== null && DEPRECATED_HELP.test(help)) spec.deprecated = true;
    const replacement = spec.deprecated && help ? REPLACEMENT.exec(help) : null;
    if (replacement && replacement[1] !== primary) spec.replacement = replacement[1];
    const aliases = options.filter((n) => n !== primary);
    if (aliases.length > 0) spec.aliases = aliases;
    out.set(primary, spec);
  }
}

/** `for key, value in X_kwargs.items(): group.add_argument(f"--{key…}", **value)`: every field of X's class. */
function readLoop(
  src: string,
  at: number,
  ctx: { kwargVars: Map<string, string[]>; index: PyModuleIndex; humanInts: Map<string, OptionValueType>; mods: Map<string, Modification[]> },
  file: string,
  out: Map<string, OptionSpec>,
): void {
  const before = src.slice(0, at);
  const loop = [...before.matchAll(/for\s+key,\s*value\s+in\s+(\w+)\.items\(\)/g)].pop();
  if (!loop) return;
  const varName = loop[1] as string;
  const fields = new Map<string, true>();
  for (const cls of ctx.kwargVars.get(varName) ?? []) for (const f of classFields(ctx.index, cls)) fields.set(f.name, true);
  for (const field of fields.keys()) {
    const r = fieldSpec(varName, field, ctx, file);
    if (r.extraFlags.length > 0) r.spec.aliases = r.extraFlags;
    out.set(`--${field.replaceAll('_', '-')}`, r.spec);
  }
}

/** All options of one release keyed by primary long name. */
export function readRelease(sources: ReleaseSources): Map<string, OptionSpec> {
  const index: PyModuleIndex = { classes: new Map(), aliases: new Map() };
  for (const f of sources.typeModules) indexModule(f.path, f.text, index);
  if (sources.cliArgs) indexModule(sources.cliArgs.path, sources.cliArgs.text, index);
  indexModule(sources.argUtils.path, sources.argUtils.text, index);
  const ctx = { index, humanInts: readHumanInts(sources.argUtils.text) };
  const out = new Map<string, OptionSpec>();
  readCalls(sources.argUtils, ctx, /./, out);
  if (sources.cliArgs) readCalls(sources.cliArgs, ctx, /./, out);
  // vllm/scripts.py defines other subcommands too; only the serve parser's own arguments count.
  if (sources.serve) readCalls(sources.serve, ctx, /^serve_parser$/, out);
  // parse_type of v0.8.5–v0.9.2 reads a json.loads value not matching ^{.*}$ with nullable_kvs
  // (deprecated, "will be removed in v0.10.0"); elsewhere json.loads is plain JSON.
  if (!sources.argUtils.text.includes(KVS_FALLBACK)) {
    for (const spec of out.values()) if (spec.value === 'json-or-kvs') spec.value = 'json';
  }
  return out;
}

/** The line of vLLM's parse_type that sends a non-object text to nullable_kvs (arg_utils.py v0.8.5–v0.9.2). */
const KVS_FALLBACK = 'if return_type is json.loads and not re.match("^{.*}$", val):';
