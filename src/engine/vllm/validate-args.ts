/**
 * `vllm serve` arguments checked the way vLLM's parser (FlexibleArgumentParser over argparse)
 * would read them for the image's release: unknown flags (with argparse's unique-prefix rule),
 * missing values, values of the wrong type or outside the choices, removed and deprecated flags,
 * and a positional model together with `--model`. Tokens whose text is unknown are never judged.
 * This file walks the argv; flag lookup (validate-flag.ts) and value checking (validate-value.ts)
 * are their own files.
 */
import { bareCompilationLevel } from './compilation-level.js';
import { MAX_SUGGESTED_NAMES } from './edit-distance.js';
import type { ArgProblem, ArgToken, ValidateOptions, VllmArgvResult } from './arg-types.js';
import { MAX_TOKENS, NEGATIVE_NUMBER, looksLikeValue, normalizeKey, takeValues, unverifiedReason } from './argv-tokens.js';
import type { OptionTable, ReleaseResolution } from './option-table.js';
import { serveModelProblems } from './serve-model-rules.js';
import { resolveOption, type ValidatorContext } from './validate-flag.js';
import { storeValues } from './validate-value.js';

export type { ArgProblem, ArgProblemKind, ArgToken, ValidateOptions, VllmArgvResult } from './arg-types.js';

class ArgvValidator implements ValidatorContext {
  readonly out: VllmArgvResult;
  readonly release: string | null;
  readonly verified: boolean;
  private readonly unverifiedReason: string | undefined;
  private positional: { index: number; token: ArgToken } | null = null;
  private extraPositionals: number[] = [];
  private looseUnknown = false;
  private modelFlag: { index: number; exact: boolean; value: string | null } | null = null;
  private suggestionsLeft = MAX_SUGGESTED_NAMES;

  constructor(
    private readonly tokens: readonly ArgToken[],
    readonly table: OptionTable,
    resolution: ReleaseResolution,
    private readonly positionalModel: boolean,
    readonly abbreviations: boolean,
  ) {
    this.out = { release: resolution, problems: [], values: {}, unknownValues: {}, model: null };
    this.release = resolution.kind === 'covered' ? resolution.tag : null;
    this.verified = resolution.kind === 'covered';
    this.unverifiedReason = unverifiedReason(resolution, table);
  }

  /**
   * Records a problem. Without `verified` it is settled only when the release is covered; callers
   * pass true for problems every covered release shares (a missing value, a near-miss typo).
   */
  problem(p: Omit<ArgProblem, 'verified' | 'message'>, verified?: boolean): void {
    const ok = verified ?? this.verified;
    const at = this.tokens[p.tokenIndex]?.at;
    const full = { ...p, ...(at && p.flag !== 'model_tag' ? { at } : {}), message: `${p.summary}: vLLM ${p.says}` };
    this.out.problems.push(ok ? { ...full, verified: true } : { ...full, verified: false, reason: this.unverifiedReason });
  }

  maySuggest(): boolean {
    return this.suggestionsLeft-- > 0;
  }

  releaseText(): string {
    const r = this.out.release;
    return r.kind === 'covered' ? `vLLM ${r.tag}` : `any vLLM release ${this.table.oldest}–${this.table.newest}`;
  }

  run(): void {
    const tokens = this.tokens.length > MAX_TOKENS ? this.tokens.slice(0, MAX_TOKENS) : this.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i] as ArgToken;
      const text = token.text;
      if (token.unknown && !/^--?[A-Za-z][^=]*=/.test(text)) {
        if (looksLikeValue(token)) this.addPositional(i, token);
        else this.looseUnknown = true;
        continue;
      }
      if (text === '--') {
        for (let j = i + 1; j < tokens.length; j++) this.addPositional(j, tokens[j] as ArgToken);
        break;
      }
      if (text.startsWith('--') && text.length > 2) i = this.readLong(i, tokens);
      else if (text.startsWith('-O') && text.length >= 2) i = this.readOptimization(i, tokens);
      else if (text.startsWith('-') && text.length > 1 && !NEGATIVE_NUMBER.test(text)) i = this.readShort(i, tokens);
      else this.addPositional(i, token);
    }
    this.checkModel();
  }

  private addPositional(index: number, token: ArgToken): void {
    if (this.positionalModel && this.positional === null) {
      this.positional = { index, token };
      this.looseUnknown = false;
    } else if (token.unknown) {
      // `$(EXTRA_ARGS)` may expand to any options; what follows may be their values.
      this.looseUnknown = true;
    } else if (!this.looseUnknown) this.extraPositionals.push(index);
  }

  private readLong(i: number, tokens: readonly ArgToken[]): number {
    const token = tokens[i] as ArgToken;
    const eq = token.text.indexOf('=');
    const key = normalizeKey(eq === -1 ? token.text : token.text.slice(0, eq));
    const inline: ArgToken | null = eq === -1 ? null : { text: token.text.slice(eq + 1), ...(token.unknown ? { unknown: token.unknown } : {}) };
    const dot = key.indexOf('.');
    if (dot !== -1) return this.readDotted(i, tokens, key.slice(0, dot), inline);
    return this.readOption(i, tokens, key, inline);
  }

  /** `-O3`, `-O=3`, `-O 3`: vLLM ≥ 0.12 maps them to --optimization-level; before, -O is --compilation-config. */
  private readOptimization(i: number, tokens: readonly ArgToken[]): number {
    const text = (tokens[i] as ArgToken).text;
    const optLevel = this.table.lookup('--optimization-level', this.release);
    const usesLevel = optLevel !== null && optLevel.status === 'present';
    if (text === '-O') {
      const next = tokens[i + 1];
      if (usesLevel && next && /^[0-3]$/.test(next.text)) return this.readOption(i, tokens, '--optimization-level', null, '-O');
      return this.readOption(i, tokens, '-O', null);
    }
    const value = text.slice(text[2] === '=' ? 3 : 2);
    if (usesLevel) return this.readOption(i, tokens, '--optimization-level', { text: value }, '-O');
    return this.readOption(i, tokens, '-O', { text: value });
  }

  private readShort(i: number, tokens: readonly ArgToken[]): number {
    const token = tokens[i] as ArgToken;
    const eq = token.text.indexOf('=');
    const name = eq === -1 ? token.text : token.text.slice(0, eq);
    const inline: ArgToken | null = eq === -1 ? null : { text: token.text.slice(eq + 1), ...(token.unknown ? { unknown: token.unknown } : {}) };
    if (inline === null && !this.table.lookup(name, this.release) && name.length > 2) {
      // argparse: a two-character option takes the rest of the token as its value (`-qawq`).
      const short = name.slice(0, 2);
      if (this.table.lookup(short, this.release)?.status === 'present') return this.readOption(i, tokens, short, { text: name.slice(2) });
    }
    return this.readOption(i, tokens, name, inline);
  }

  /** `--compilation-config.level 3`: the base must be a JSON option; the value is the next argument. */
  private readDotted(i: number, tokens: readonly ArgToken[], base: string, inline: ArgToken | null): number {
    const hit = resolveOption(this, i, base);
    if (!hit) return this.skipValues(i, tokens);
    if (!hit.specs.some((s) => s.value === 'json' || s.value === 'unknown')) {
      this.problem({ kind: 'unknown-flag', flag: (tokens[i] as ArgToken).text, tokenIndex: i, summary: `${hit.name} does not take JSON keys`, says: `exits: "unrecognized arguments: ${(tokens[i] as ArgToken).text}"` });
    }
    if (inline) return i;
    if (!tokens[i + 1]) {
      this.problem({ kind: 'missing-value', flag: (tokens[i] as ArgToken).text, tokenIndex: i, summary: `${base} has no value`, says: `exits: "argument ${base}: expected one argument"` }, true);
      return i;
    }
    return i + 1;
  }

  private skipValues(i: number, tokens: readonly ArgToken[]): number {
    let j = i;
    while (looksLikeValue(tokens[j + 1])) j++;
    return j;
  }

  private readOption(i: number, tokens: readonly ArgToken[], name: string, inline: ArgToken | null, shown?: string): number {
    const text = (tokens[i] as ArgToken).text;
    const eq = text.indexOf('=');
    const flag = shown ?? (eq === -1 ? text : text.slice(0, eq));
    const hit = resolveOption(this, i, name, flag);
    if (!hit) return inline ? i : this.skipValues(i, tokens);
    const key = hit.name.replace(/^--?/, '');
    if (hit.name === '--model') this.modelFlag = { index: i, exact: inline === null && (tokens[i] as ArgToken).text === '--model', value: inline?.text ?? null };
    const spec = hit.spec;
    if (hit.negated || spec.action === 'store_true' || spec.action === 'bool-optional') {
      if (inline) this.problem({ kind: 'bad-type', flag, tokenIndex: i, value: inline.text, summary: `${flag} is a switch and takes no value`, says: `exits: "argument ${flag}: ignored explicit argument '${inline.text}'"` }, hit.specs.every((s) => s.action === 'store_true' || s.action === 'bool-optional'));
      else this.out.values[key] = !hit.negated;
      return i;
    }
    const { values, next } = takeValues(i, tokens, spec, inline);
    if (values === null) {
      const need = spec.nargs === '+' ? 'expected at least one argument' : typeof spec.nargs === 'number' ? `expected ${spec.nargs} arguments` : 'expected one argument';
      this.problem({ kind: 'missing-value', flag, tokenIndex: i, summary: `${flag} has no value`, says: `exits: "argument ${flag}: ${need}"` }, true);
      return next;
    }
    if (hit.name === '--model' && values[0] && !values[0].unknown) this.modelFlag = { ...(this.modelFlag as NonNullable<typeof this.modelFlag>), value: values[0].text };
    const level = hit.name === '--compilation-config' && values[0] && !values[0].unknown ? bareCompilationLevel(this.release, flag, values[0].text) : null;
    if (level) {
      this.problem({ kind: 'bad-type', flag, tokenIndex: i, value: (values[0] as ArgToken).text, summary: `${flag} ${(values[0] as ArgToken).text} is a bare level, not a JSON object`, says: level.says, advice: level.fix }, true);
      return next;
    }
    storeValues(this, key, flag, i, hit, values);
    return next;
  }


  private checkModel(): void {
    const positional = this.positional;
    const flag = this.modelFlag;
    if (positional) this.out.model = { from: 'positional', value: positional.token.unknown ? null : positional.token.text, tokenIndex: positional.index };
    else if (flag) this.out.model = { from: 'flag', value: flag.value, tokenIndex: flag.index };
    for (const index of this.extraPositionals) {
      const text = (this.tokens[index] as ArgToken).text;
      this.problem({ kind: 'unrecognized-argument', flag: text, tokenIndex: index, summary: `${text} is an extra positional argument`, says: `exits: "unrecognized arguments: ${text}"` }, true);
    }
    if (!this.positionalModel) return;
    const drafts = serveModelProblems({
      table: this.table,
      release: this.release,
      positional: positional ? { index: positional.index, text: positional.token.unknown ? null : positional.token.text } : null,
      modelFlag: flag,
      looseUnknown: this.looseUnknown,
    });
    for (const { settled, ...draft } of drafts) this.problem(draft, settled);
  }
}

/**
 * Checks the argv after `vllm serve` (already expanded; tokens may carry `unknown`) against the
 * option table for `version` (null = unknown: any covered release). Work is linear in the tokens
 * (capped at 4096) times the table lookups.
 */
export function validateVllmArgv(tokens: readonly ArgToken[], options: ValidateOptions): VllmArgvResult {
  const resolution = options.table.resolveRelease(options.version);
  const validator = new ArgvValidator(tokens, options.table, resolution, options.positionalModel ?? true, options.abbreviations ?? true);
  validator.run();
  return validator.out;
}
