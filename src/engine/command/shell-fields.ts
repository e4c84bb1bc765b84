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
}

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
  addExpansion(value: Token, quoted: boolean): void {
    const cur = this.cur;
    cur.allPlain = false;
    if (value.unknown || quoted) {
      cur.text += value.text;
      cur.unknown ??= value.unknown;
      cur.started = true;
      return;
    }
    const parts = value.text.split(/[ \t\n]+/);
    parts.forEach((part, index) => {
      if (index > 0) this.breakField();
      if (part !== '') this.addSplitPart(part);
    });
  }

  /**
   * Appends a list expansion (`$@`, `$*`): each element starts a new field, and each is split
   * further when unquoted (XCU 2.5.2).
   */
  addList(list: Token[], quoted: boolean): void {
    if (list.length === 0 && quoted) this.quotedEmptyLists++;
    list.forEach((token, index) => {
      if (index > 0) this.breakField();
      this.addExpansion(token, quoted);
    });
  }

  /** Ends the word being read and returns its fields (none when it never started), leaving the builder empty. */
  takeFields(): Field[] {
    this.breakField();
    const fields = this.fields;
    this.fields = [];
    return fields;
  }

  private addSplitPart(text: string): void {
    this.cur.allPlain = false;
    this.cur.text += text;
    this.cur.started = true;
  }

  private breakField(): void {
    if (this.cur.started) this.fields.push(this.cur);
    this.cur = newField();
  }
}
