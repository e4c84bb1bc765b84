/**
 * The vLLM argument problems as the vllm-args-valid policy reports them (`each: vllm.argErrors`,
 * `each: vllm.argNotices`): one item per container field, so every field vLLM refuses is its own
 * finding with its own path, line and fix (issue 9: every violation in one answer).
 *
 * Why per field and not per problem: within a policy the first finding speaks for a field
 * (docs/writing-policies.md), and several arguments may share one field: a `sh -c` script, a
 * `$(VAR)` that expands to several options, the options of a `--config` file, a Ray Serve LLM
 * app's engine_kwargs. Such a field gets one item naming all of its problems; a field with one
 * problem gets that problem, with its flag and, when certain, its rename (the fix).
 *
 * What vLLM prints: argparse collects every unrecognized argument and reports them together
 * ("unrecognized arguments: --a 1 --b"), but exits at the first value it cannot convert or
 * choose, and at the first option without its value. Each item quotes vLLM's message for its own
 * arguments; every one of them is a fault the user must fix before vLLM starts.
 * @module
 */
import type { ArgProblemKind } from './arg-types.js';

/** What an item needs from a problem (ArgProblemFact in facts-args.ts). */
export interface ArgProblemLike {
  kind: ArgProblemKind;
  flag: string;
  /** Index of the flag among the arguments after `vllm serve` (-1: not an argument, a --config file or Ray's own refusal). */
  tokenIndex: number;
  verified: boolean;
  value?: string;
  summary: string;
  says: string;
  fix: string;
  at: string;
  origin?: string;
  rename?: string;
}

/** One finding's worth of argument problems: those of one container field. */
export interface ArgFindingFact {
  /** The problem's kind; `several` when the field holds more than one; `more` for the count of those not listed. */
  kind: ArgProblemKind | 'several' | 'more';
  /** The container field (`args[3]`, `command[2]`, `serveConfigV2`): the finding's path. */
  at: string;
  /** What is wrong, short; the problems of the field joined with "; ". */
  summary: string;
  /** What vLLM does, quoting its message where known. */
  says: string;
  /** The fix in the release's own option names. */
  fix: string;
  /** Where the arguments came from when not written in the container and the same for all. */
  origin?: string;
  /** The flag as written: one problem only. */
  flag?: string;
  /** The flag to write instead when that is certain (one problem only): the machine fix. */
  rename?: string;
  /** How many problems the item speaks for. */
  count: number;
}

/** Fields listed one by one per list; the rest are one counted item (a finding each costs a fix and a line of the denial). */
export const MAX_ARG_FINDINGS = 32;
/** What a message placeholder shows of a text (MAX_VALUE of evaluate/render.ts): a merged item's texts are cut at a part to fit. */
const SHOWN = 80;

const EXITS: ReadonlySet<ArgProblemKind> = new Set(['unknown-flag', 'missing-value', 'bad-type', 'bad-choice', 'removed', 'duplicate-model', 'unrecognized-argument', 'config-file']);

/** A problem that is settled and makes vLLM exit at start (the policy denies it); every other one is a notice. */
export function exitsAtStart(p: ArgProblemLike): boolean {
  return p.verified && EXITS.has(p.kind);
}

/** argparse's "unrecognized arguments" message: these are reported together, in one line. */
const UNRECOGNIZED = /^(?:v\S+ )?exits: "unrecognized arguments: ([^"]*)"$/;

/** `taken`: renames more than one problem asks for (`--tensor-paralel-size 1 … --tensor-paralel-size 2`): which value was meant is a person's call. */
function single(p: ArgProblemLike, taken: ReadonlySet<string>): ArgFindingFact {
  const item: ArgFindingFact = { kind: p.kind, at: p.at, summary: p.summary, says: p.says, fix: p.fix, flag: p.flag, count: 1 };
  if (p.origin !== undefined) item.origin = p.origin;
  if (p.rename !== undefined && !taken.has(p.rename)) item.rename = p.rename;
  return item;
}

/** The renames asked for by more than one problem. */
function sharedRenames(problems: readonly ArgProblemLike[]): Set<string> {
  const seen = new Set<string>();
  const shared = new Set<string>();
  for (const p of problems) {
    if (p.rename === undefined) continue;
    if (seen.has(p.rename)) shared.add(p.rename);
    else seen.add(p.rename);
  }
  return shared;
}

/**
 * `head` and then as many `parts` (joined with `separator`) as fit in `budget` characters with
 * `, and N more` for the rest (always at least one part): a placeholder is cut at SHOWN characters,
 * and a list cut at a part can still be acted on.
 */
function fitted(head: string, parts: readonly string[], separator: string, budget = SHOWN): string {
  let text = head;
  for (let i = 0; i < parts.length; i++) {
    const next = `${text}${i === 0 ? '' : separator}${parts[i] as string}`;
    const tail = i + 1 < parts.length ? `${separator}and ${parts.length - i - 1} more`.length : 0;
    if (i > 0 && next.length + tail > budget) return `${text}${separator}and ${parts.length - i} more`;
    text = next;
  }
  return text;
}

/** A problem in a few words beside the others of its field: the flag as written, with what is wrong when the flag alone does not say. */
function shortly(p: ArgProblemLike): string {
  if (p.kind === 'config-file') return `--config ${p.summary.replace(/^the --config file /, '')}`;
  if (p.kind === 'deprecated') return `${p.flag} (deprecated)`;
  if (p.kind === 'missing-value') return `${p.flag} without a value`;
  if ((p.kind === 'bad-type' || p.kind === 'bad-choice') && p.value !== undefined) return `${p.flag} ${p.value}`;
  return p.flag;
}

/**
 * The item of a field with several problems: the arguments in argument order, vLLM's messages, the
 * fixes; each cut at a part to fit. argparse exits at the first value it cannot read (or option
 * without its value) as it parses, and reports the unrecognized arguments only after the whole
 * command line, together in one line: the messages come in that order.
 */
function merged(group: readonly ArgProblemLike[]): ArgFindingFact {
  const first = group[0] as ArgProblemLike;
  const unrecognized: string[] = [];
  const others: string[] = [];
  for (const p of group) {
    const words = UNRECOGNIZED.exec(p.says)?.[1];
    if (words !== undefined) unrecognized.push(words);
    else if (!others.includes(p.says)) others.push(p.says);
  }
  if (unrecognized.length > 0) others.push(`${fitted('exits: "unrecognized arguments: ', unrecognized, ' ', SHOWN - 1)}"`);
  const summary = fitted(`${group.length} arguments: `, group.map(shortly), ', ');
  const item: ArgFindingFact = { kind: 'several', at: first.at, summary, says: fitted('', others, '; '), fix: fitted('', [...new Set(group.map((p) => p.fix))], '; '), count: group.length };
  const origin = commonOrigin(group);
  if (origin) item.origin = origin;
  return item;
}

/**
 * Where all of a field's arguments came from: the same origin, or what their origins share up to a
 * `.` or a space (`serveConfigV2 llm_configs[0].engine_kwargs` of `….engine_kwargs.model` and
 * `….engine_kwargs.dtype`; `ConfigMap c` of `ConfigMap c key TP` and `ConfigMap c key PP`); null
 * when one of them was written in the container.
 */
function commonOrigin(group: readonly ArgProblemLike[]): string | null {
  let shared = (group[0] as ArgProblemLike).origin;
  if (shared === undefined) return null;
  for (const p of group) {
    if (p.origin === undefined) return null;
    if (p.origin === shared) continue;
    let n = 0;
    while (n < shared.length && n < p.origin.length && shared[n] === p.origin[n]) n++;
    const cut = Math.max(shared.lastIndexOf('.', n - 1), shared.lastIndexOf(' ', n - 1));
    shared = cut <= 0 ? '' : shared.slice(0, cut).replace(/ key$/, '');
    if (shared === '') return null;
  }
  return shared;
}

/** Problems by container field, in the order the fields first appear. */
function byField(problems: readonly ArgProblemLike[]): Map<string, ArgProblemLike[]> {
  const groups = new Map<string, ArgProblemLike[]>();
  for (const p of problems) {
    const group = groups.get(p.at);
    if (group) group.push(p);
    else groups.set(p.at, [p]);
  }
  return groups;
}

/** One item per group: at most MAX_ARG_FINDINGS, then one counting the problems of the rest. */
function itemsOf(groups: Iterable<readonly ArgProblemLike[]>, taken: ReadonlySet<string>, more: (count: number, at: string) => ArgFindingFact): ArgFindingFact[] {
  const out: ArgFindingFact[] = [];
  let rest = 0;
  let restAt: string | undefined;
  for (const group of groups) {
    const first = group[0] as ArgProblemLike;
    if (out.length < MAX_ARG_FINDINGS) out.push(group.length === 1 ? single(first, taken) : merged(group));
    else {
      rest += group.length;
      restAt ??= first.at;
    }
  }
  if (restAt !== undefined) out.push(more(rest, restAt));
  return out;
}

/**
 * The items of vllm-args-valid, one per container field (see the file comment), in argument order
 * (the extra positional arguments the validator reports last included), at most MAX_ARG_FINDINGS
 * + 1 each: `argErrors`, the fields with a problem that makes vLLM exit at start (settled), a
 * deprecated or unsettled problem of the same field named with them (a field has one finding);
 * `argNotices`, the other fields with deprecated flags or problems the table cannot settle for the
 * image. `argError` is the first problem that makes vLLM exit (gpu-count-matches-parallelism reads
 * the argv only when there is none), or null. Work is O(n log n) in the problems.
 */
export function argFindings<P extends ArgProblemLike>(problems: readonly P[]): { argErrors: ArgFindingFact[]; argNotices: ArgFindingFact[]; argError: P | null } {
  let argError: P | null = null;
  for (const p of problems) {
    if (exitsAtStart(p)) {
      argError = p;
      break;
    }
  }
  if (problems.length === 0) return { argErrors: [], argNotices: [], argError };
  // Stable: the problems of one argument keep the validator's order.
  const fields = byField([...problems].sort((a, b) => a.tokenIndex - b.tokenIndex));
  const errors: ArgProblemLike[][] = [];
  const notices: ArgProblemLike[][] = [];
  for (const group of fields.values()) (group.some(exitsAtStart) ? errors : notices).push(group);
  const taken = sharedRenames(problems);
  return {
    argErrors: itemsOf(errors, taken, (count, at) => ({
      kind: 'more',
      at,
      summary: `${count} more argument problems, not listed one by one`,
      says: 'exits at start on each of them',
      fix: 'correct every argument as `vllm serve --help` of the image lists its options',
      count,
    })),
    argNotices: itemsOf(notices, taken, (count, at) => ({
      kind: 'more',
      at,
      summary: `${count} more deprecated or unverified arguments, not listed one by one`,
      says: 'may warn about or refuse each of them',
      fix: 'correct every argument as `vllm serve --help` of the image lists its options',
      count,
    })),
    argError,
  };
}
