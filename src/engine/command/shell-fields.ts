/**
 * The word the shell lexer is building, kept as fields: literal text from the script, expansions
 * split on blanks when unquoted, and the first unknown reason any part of the word carries.
 * Rules: POSIX.1-2017 XCU 2.6.5 (Field Splitting, default IFS) and 2.6.7 (Quote Removal); "XCU" below
 * means that chapter, Shell Command Language.
 */
import type { Token } from '../types.js';

/** Longest text an unknown word keeps, so a huge `$(…)` does not travel through every finding. */
const MAX_UNKNOWN_TEXT = 256;

/** One field of a word after expansion and splitting: what becomes one argv entry. */
export interface Field {
  text: string;
  /** Why the text cannot be known before run time, from the first unknown part of the field. */
  unknown?: string;
  started: boolean;
  /** Characters at the start that came from unquoted literal text: reserved words and `X=` need them. */
  plain: number;
  /** True while every character came from unquoted literal text. */
  allPlain: boolean;
  /**
   * The value the whole field is, when it is exactly one expansion's unsplit value (`"$1"`, `$TP`):
   * the field keeps where that value sits and came from (`args[3]`, `ConfigMap p key TP`). Null once
   * the field holds anything else; undefined before any part.
   */
  origin?: Token | null;
}

/**
 * What the expansions of one container's reading (its `sh -c` script and the script files it runs,
 * command/script-files.ts) may still add, in characters, each value costing its length plus
 * EXPANSION_OVERHEAD. Without it, `A=$A$A` repeated doubles a value until the string cannot be built
 * (a RangeError), and `"$@"` written N times in each of nested scripts multiplies the arguments at
 * every level: a manifest of a few KiB would build millions of words.
 */
export interface ExpansionBudget {
  left: number;
}

/** Characters of expanded values per container reading: 256 KiB, four times the longest script read. */
export const MAX_EXPANDED_CHARS = 256 * 1024;
/** What each expanded value costs beyond its text (the word it makes). */
const EXPANSION_OVERHEAD = 8;
/** Why a value past the budget is unknown. */
export const BUDGET_SPENT = `the script's expansions add more than ${MAX_EXPANDED_CHARS / 1024} KiB, so vllm-guard expands no more of them`;

/** A fresh budget for one container's reading. */
export const newExpansionBudget = (): ExpansionBudget => ({ left: MAX_EXPANDED_CHARS });

function newField(): Field {
  return { text: '', started: false, plain: 0, allPlain: true };
}

/**
 * `text` cut to 256 characters with `…` appended when longer; shorter text comes back unchanged.
 * Unknown words keep only this much of the script, since they end up in messages.
 */
export function clipText(text: string): string {
  return text.length > MAX_UNKNOWN_TEXT ? `${text.slice(0, MAX_UNKNOWN_TEXT)}…` : text;
}

/**
 * Collects the fields of the word being read. One builder per lexer run; the lexer hands the
 * finished fields on with `takeFields()` at every blank, operator or newline.
 */
export class FieldBuilder {
  private cur = newField();
  private fields: Field[] = [];
  private quotedEmptyLists = 0;

  /** `budget` is shared by every lexer of one container's reading (ShellScope). */
  constructor(private readonly budget: ExpansionBudget = newExpansionBudget()) {}

  /** True when nothing of a word has been read yet: a `#` here starts a comment (XCU 2.3 rule 9). */
  get atWordStart(): boolean {
    return !this.cur.started && this.fields.length === 0;
  }

  /**
   * How many quoted `"$@"` with no positional parameters were read so far. A `"…"` that added no
   * list is an empty word; one that held an empty `"$@"` is no word at all (XCU 2.5.2, `@`).
   */
  get emptyQuotedLists(): number {
    return this.quotedEmptyLists;
  }

  /**
   * Drops the word read so far if it is only unquoted digits, as the `2` of `2>`: an IO number
   * names a file descriptor and is not a word (XCU 2.10.1, IO_NUMBER).
   */
  dropIoNumber(): void {
    const cur = this.cur;
    if (this.fields.length === 0 && cur.allPlain && cur.started && /^\d+$/.test(cur.text)) this.cur = newField();
  }

  /** Appends script text with quotes already removed; `quoted` text can no longer be a reserved word or `X=`. */
  addLiteral(text: string, quoted: boolean): void {
    const cur = this.cur;
    if (quoted || !cur.allPlain) cur.allPlain = false;
    else cur.plain += text.length;
    if (text !== '') cur.origin = null;
    cur.text += text;
    cur.started = true;
  }

  /** Appends an expansion that cannot be known before run time: `text` (clipped) with `reason`. */
  addUnknown(text: string, reason: string): void {
    this.addExpansion({ text: clipText(text), unknown: reason }, true);
  }

  /**
   * Appends the value of an expansion. Unquoted known values are split on space, tab and newline,
   * as the default IFS does (XCU 2.6.5); an empty unquoted value adds nothing. Unknown values
   * are never split, since their real text is not known.
   */
  addExpansion(given: Token, quoted: boolean): void {
    const cur = this.cur;
    cur.allPlain = false;
    const value = this.spend(given);
    if (value.unknown || quoted) {
      cur.origin = cur.origin === undefined && cur.text === '' ? value : null;
      cur.text += value.text;
      cur.unknown ??= value.unknown;
      cur.started = true;
      return;
    }
    const parts = value.text.split(/[ \t\n]+/);
    parts.forEach((part, index) => {
      if (index > 0) this.breakField();
      if (part !== '') this.addSplitPart(part, part === value.text ? value : null);
    });
  }

  /**
   * Appends a list expansion (`$@`, `$*`): each element starts a new field, and each is split
   * further when unquoted (XCU 2.5.2).
   */
  addList(list: Token[], quoted: boolean): void {
    if (list.length === 0 && quoted) this.quotedEmptyLists++;
    for (let index = 0; index < list.length; index++) {
      if (index > 0) this.breakField();
      // Past the budget the rest of the list is one unknown word, not one per element.
      if (this.budget.left <= 0) {
        this.addExpansion({ text: '$@', unknown: BUDGET_SPENT }, true);
        return;
      }
      this.addExpansion(list[index] as Token, quoted);
    }
  }

  /** `value` when the budget still holds it (and charges it), else an unknown word saying why. */
  private spend(value: Token): Token {
    const cost = value.text.length + EXPANSION_OVERHEAD;
    if (cost > this.budget.left) {
      this.budget.left = 0;
      return { text: clipText(value.text), unknown: BUDGET_SPENT };
    }
    this.budget.left -= cost;
    return value;
  }

  /** True once the expansion budget is spent: a value built now would only become unknown. */
  get spent(): boolean {
    return this.budget.left <= 0;
  }

  /** Ends the word being read and returns its fields (none when it never started), leaving the builder empty. */
  takeFields(): Field[] {
    this.breakField();
    const fields = this.fields;
    this.fields = [];
    return fields;
  }

  private addSplitPart(text: string, whole: Token | null): void {
    this.cur.origin = this.cur.origin === undefined && this.cur.text === '' ? whole : null;
    this.cur.allPlain = false;
    this.cur.text += text;
    this.cur.started = true;
  }

  private breakField(): void {
    if (this.cur.started) this.fields.push(this.cur);
    this.cur = newField();
  }
}
