/**
 * Command assembly for the shell lexer: finished words become simple commands. Reserved words and
 * compound-command headers only separate commands, `case` patterns are dropped, and the prefixes
 * that run another command (`X=y`, `exec`, `nohup`, `env`, `time`) are skipped so the command
 * word comes first. Rules: POSIX.1-2017 XCU 2.4 (Reserved Words), 2.9.1 (Simple Commands),
 * 2.9.4 (Compound Commands) and the XCU pages of `env`, `nohup` and `time`; bash's `function`,
 * `select`, `declare`/`local`/`typeset` and `exec -a` (Bash Reference Manual 3.2.5.2, 3.3, 4.1, 4.2);
 * `env -u` from GNU coreutils.
 */
import type { Field } from './shell-fields.js';
import type { ScriptCommand, Token } from '../types.js';
import { applyCommandEffects, EFFECT_WORDS, type Sourcing } from './sourced-files.js';

/** Words that open or close a compound command: as a command's first word they only separate commands. */
const RESERVED: ReadonlySet<string> = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', 'esac', '!', '{', '}']);
/** Compound headers whose own words are not a command (`for x in a b`, `case $x in`). */
const HEADERS: ReadonlySet<string> = new Set(['for', 'case', 'select', 'function']);
/** Builtins whose `X=y` operands assign variables that later expansions see. */
const DECLARATIONS: ReadonlySet<string> = new Set(['export', 'readonly', 'local', 'declare', 'typeset']);
/** A variable assignment word (XCU 2.9.1): a name, then `=`. */
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;

interface Word {
  token: Token;
  /** Every character came from unquoted literal text, so the word may be a reserved word or prefix. */
  plain: boolean;
  assign?: { name: string; value: Token };
}

function tokenOf(text: string, unknown: string | undefined): Token {
  return unknown ? { text, unknown } : { text };
}

/** A container field an argv token may sit in: a word keeps it only then (not an env entry's). */
const ARGV_FIELD = /^(?:command|args)\[\d+\]$/;

/** The token of a field; a field that is one expansion's whole value keeps its field and origin (`"$1"` is `args[3]`). */
function fieldToken(field: Field): Token {
  const token = tokenOf(field.text, field.unknown);
  const origin = field.origin;
  if (!origin) return token;
  if (origin.at !== undefined && ARGV_FIELD.test(origin.at)) token.at = origin.at;
  if (origin.from !== undefined) token.from = origin.from;
  return token;
}

/** Index of the command word after `X=y`, `exec`, `nohup`, `time` and `env` prefixes. */
function skipPrefixes(words: Word[]): number {
  let i = 0;
  for (;;) {
    while (words[i]?.assign) i++;
    const word = words[i];
    if (!word || !word.plain) return i;
    const text = word.token.text;
    if (text === 'nohup') i++;
    else if (text === 'exec' || text === 'time' || text === 'env') {
      i++;
      while (words[i]?.token.text.startsWith('-')) {
        const option = words[i]?.token.text;
        // `exec -a NAME` and `env -u NAME` take an operand; the other options stand alone.
        i += (text === 'exec' && option === '-a') || (text === 'env' && option === '-u') ? 2 : 1;
      }
    } else return i;
  }
}

/**
 * Collects the words of the command being read and the finished commands of a script. Assignments
 * (`X=y` alone or after a declaration builtin) are written to `vars`, so later expansions see them.
 */
export class CommandAssembler {
  /** Every simple command so far, each as its words with the prefixes removed. */
  readonly commands: Token[][] = [];
  private words: Word[] = [];
  /** Set by a compound header: the rest of its words (`for x in a b`) are not a command. */
  private discarding = false;
  /** Inside `case … in`, the words before `)` after `in` or `;;` are a pattern, not a command. */
  private caseDepth = 0;
  private expectPattern = false;
  /** The command being read follows `|`: it runs in a subshell too. */
  private piped = false;

  /** `sourcing` reads the files `.` and `source` name (sourced-files.ts); without it, they set every name unknown. */
  constructor(
    private readonly vars: Map<string, Token>,
    private readonly sourcing?: Sourcing,
  ) {}

  /** True after `case … in` or a `;;`, `;&`, `;;&` arm terminator: a `)` next closes a pattern. */
  get expectingPattern(): boolean {
    return this.expectPattern;
  }

  /**
   * Adds a finished field as the next word. An unquoted `{` or `}` ends the command (brace
   * groups); a reserved word or compound header in command position adds nothing (XCU 2.4).
   */
  addWord(field: Field): void {
    const plain = field.allPlain;
    if (plain && (field.text === '{' || field.text === '}')) {
      this.endCommand();
      return;
    }
    if (this.discarding) return;
    if (this.words.length === 0 && plain && HEADERS.has(field.text)) {
      this.discarding = true;
      if (field.text === 'case') this.caseDepth++;
      return;
    }
    if (this.words.length === 0 && plain && RESERVED.has(field.text)) {
      if (field.text === 'esac') {
        this.caseDepth = Math.max(0, this.caseDepth - 1);
        this.expectPattern = false;
      }
      return;
    }
    const word: Word = { token: fieldToken(field), plain };
    const assign = ASSIGNMENT.exec(field.text);
    // `X="a b"` assigns (the name and `=` are unquoted); `"X=y"` is an ordinary word.
    if (assign && (assign[0].length <= field.plain || plain)) {
      word.assign = { name: assign[1] as string, value: tokenOf(field.text.slice(assign[0].length), field.unknown) };
    }
    this.words.push(word);
  }

  /**
   * A `;;`, `;&` or `;;&` was read: inside a `case`, the next words up to `)` are a pattern
   * (`;;` XCU 2.9.4; `;&` and `;;&` Bash Reference Manual 3.2.5.2).
   */
  endCaseArm(): void {
    if (this.caseDepth > 0) this.expectPattern = true;
  }

  /** A `)` closed a `case` pattern: its words are dropped, not run. */
  dropPattern(): void {
    this.words = [];
    this.expectPattern = false;
  }

  /**
   * Ends the command being read: records it without its prefixes, or, when it has only
   * assignments, applies them to `vars` (XCU 2.9.1: assignments without a command affect the shell).
   * `operator`: the command ends in `|` or `&`, so it runs in a subshell.
   */
  endCommand(operator?: '|' | '&'): void {
    // A pipeline's commands all run in subshells: the one after `|` as the one before it.
    const own = operator === undefined && !this.piped;
    if (operator !== undefined || this.words.length > 0) this.piped = operator === '|';
    const words = this.words;
    this.words = [];
    this.discarding = false;
    const start = skipPrefixes(words);
    const first = words[start];
    if (first === undefined) {
      for (const word of words) if (word.assign) this.vars.set(word.assign.name, word.assign.value);
      return;
    }
    if (first.plain && DECLARATIONS.has(first.token.text)) {
      for (const word of words.slice(start + 1)) if (word.assign) this.vars.set(word.assign.name, word.assign.value);
    }
    const command: ScriptCommand = words.slice(start).map((w) => w.token);
    // `VLLM_API_KEY=k vllm serve …`: the assignments before the command are in its environment only (XCU 2.9.1).
    const prefixVars = new Map<string, Token>();
    for (let k = 0; k < start; k++) {
      const assign = words[k]?.assign;
      if (assign) prefixVars.set(assign.name, assign.value);
    }
    if (prefixVars.size > 0) command.prefixVars = prefixVars;
    // `. FILE`, `eval`, `read X`: what they set is seen by the words read after them.
    if (own && first.plain && EFFECT_WORDS.has(first.token.text)) applyCommandEffects(command, true, this.vars, this.sourcing);
    this.commands.push(command);
  }
}
