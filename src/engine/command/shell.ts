/**
 * A POSIX-ish lexer for the `sh -c` scripts of Kubernetes manifests: it finds every simple command a
 * script may run (all branches, loops, pipelines) with quotes, escapes and parameter expansion
 * applied. It never executes anything; what it cannot know becomes an unknown Token.
 * One pass over the input (plus bounded re-lexing of `${X:-word}` words), so size stays linear.
 */
import type { Token } from '../types.js';

export type EnvLookup = (name: string) => Token | undefined;

/** Words that open or close a compound command: as a command's first word they only separate commands. */
const RESERVED: ReadonlySet<string> = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', 'esac', '!', '{', '}']);
/** Compound headers whose own words are not a command (`for x in a b`, `case $x in`). */
const HEADERS: ReadonlySet<string> = new Set(['for', 'case', 'select', 'function']);
const DECLARATIONS: ReadonlySet<string> = new Set(['export', 'readonly', 'local', 'declare', 'typeset']);
const PLAIN_RUN = /[^\s\\'"$`;&|()<>]+/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;
const REDIRECTION = /^(?:<<<|<<-|<<|<>|<&|<\(|<|>>|>&|>\||>\(|>)/;
const MAX_DEPTH = 8;
const MAX_UNKNOWN_TEXT = 256;

interface Field {
  text: string;
  unknown?: string;
  started: boolean;
  /** Characters at the start that came from unquoted literal text: reserved words and `X=` need them. */
  plain: number;
  allPlain: boolean;
}

interface Word {
  token: Token;
  plain: boolean;
  assign?: { name: string; value: Token };
}

function newField(): Field {
  return { text: '', started: false, plain: 0, allPlain: true };
}

function clip(text: string): string {
  return text.length > MAX_UNKNOWN_TEXT ? `${text.slice(0, MAX_UNKNOWN_TEXT)}…` : text;
}

class ShellLexer {
  private pos = 0;
  private cur = newField();
  private fields: Field[] = [];
  private words: Word[] = [];
  private discarding = false;
  /** Inside `case … in`, the words before `)` after `in` or `;;` are a pattern, not a command. */
  private caseDepth = 0;
  private expectPattern = false;
  private emptyQuotedLists = 0;
  private redirectTarget = false;
  private heredocNext: { strip: boolean } | null = null;
  private heredocs: { delimiter: string; strip: boolean }[] = [];
  readonly commands: Token[][] = [];

  constructor(
    private readonly src: string,
    private readonly lookup: EnvLookup,
    private readonly positional: Token[],
    private readonly vars: Map<string, Token>,
    private readonly depth: number,
  ) {}

  run(): Token[][] {
    const src = this.src;
    while (this.pos < src.length) {
      const c = src[this.pos] as string;
      if (c === ' ' || c === '\t' || c === '\r') {
        this.endWord();
        this.pos++;
      } else if (c === '\n') {
        this.endCommand();
        this.pos++;
        this.skipHeredocs();
      } else if (c === '#' && !this.cur.started && this.fields.length === 0) {
        const end = src.indexOf('\n', this.pos);
        this.pos = end === -1 ? src.length : end;
      } else if (c === '\\') this.readEscape();
      else if (c === "'") this.readSingle();
      else if (c === '"') this.readDouble();
      else if (c === '$') this.readDollar(false);
      else if (c === '`') this.readBackticks();
      else if (c === ';' || c === '|' || c === '&') this.readOperator(c);
      else if (c === '(' || c === ')') {
        if (c === ')' && this.expectPattern) this.dropPattern();
        this.endCommand();
        this.pos++;
      } else if (c === '<' || c === '>') this.readRedirection();
      else this.readPlain();
    }
    this.endCommand();
    return this.commands;
  }

  private readPlain(): void {
    PLAIN_RUN.lastIndex = this.pos;
    const match = PLAIN_RUN.exec(this.src);
    const text = match ? match[0] : (this.src[this.pos] as string);
    this.addLiteral(text, false);
    this.pos += text.length;
  }

  private readEscape(): void {
    const next = this.src[this.pos + 1];
    if (next === '\n') this.pos += 2;
    else if (next === undefined) {
      this.addLiteral('\\', true);
      this.pos++;
    } else {
      this.addLiteral(next, true);
      this.pos += 2;
    }
  }

  private readSingle(): void {
    const end = this.src.indexOf("'", this.pos + 1);
    const stop = end === -1 ? this.src.length : end;
    this.addLiteral(this.src.slice(this.pos + 1, stop), true);
    this.pos = stop + 1;
  }

  private readAnsiC(): void {
    // bash $'…': only the escapes a manifest plausibly uses are decoded.
    const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' };
    let i = this.pos + 2;
    let text = '';
    while (i < this.src.length && this.src[i] !== "'") {
      const c = this.src[i] as string;
      if (c === '\\' && i + 1 < this.src.length) {
        const e = this.src[i + 1] as string;
        text += escapes[e] ?? `\\${e}`;
        i += 2;
      } else {
        text += c;
        i++;
      }
    }
    this.addLiteral(text, true);
    this.pos = i + 1;
  }

  private readDouble(): void {
    const src = this.src;
    const emptyLists = this.emptyQuotedLists;
    this.pos++;
    while (this.pos < src.length && src[this.pos] !== '"') {
      const c = src[this.pos] as string;
      const next = src[this.pos + 1];
      if (c === '\\' && next === '\n') this.pos += 2;
      else if (c === '\\' && next !== undefined && '$`"\\'.includes(next)) {
        this.addLiteral(next, true);
        this.pos += 2;
      } else if (c === '$') this.readDollar(true);
      else if (c === '`') this.readBackticks();
      else {
        let end = this.pos + 1;
        while (end < src.length && !'"\\$`'.includes(src[end] as string)) end++;
        this.addLiteral(src.slice(this.pos, end), true);
        this.pos = end;
      }
    }
    this.pos++;
    // `""` is an empty word, but `"$@"` with no arguments is no word at all.
    if (this.emptyQuotedLists === emptyLists) this.addLiteral('', true);
  }

  private readBackticks(): void {
    let i = this.pos + 1;
    while (i < this.src.length && this.src[i] !== '`') i += this.src[i] === '\\' ? 2 : 1;
    this.addUnknown(this.src.slice(this.pos, i + 1), 'command substitution');
    this.pos = i + 1;
  }

  /** Index just past the `)` that closes the `(` at `open`, skipping quotes and escapes. */
  private closeParen(open: number): number {
    const src = this.src;
    let depth = 0;
    let i = open;
    while (i < src.length) {
      const c = src[i];
      if (c === '\\') i++;
      else if (c === "'" || c === '"') {
        const end = src.indexOf(c, i + 1);
        i = end === -1 ? src.length : end;
      } else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return i + 1;
      i++;
    }
    return src.length;
  }

  /** Index of the `}` closing the `${` at `open`, or -1. */
  private closeBrace(open: number): number {
    const src = this.src;
    let depth = 0;
    for (let i = open; i < src.length; i++) {
      const c = src[i];
      if (c === '\\') i++;
      else if (c === "'") {
        const end = src.indexOf("'", i + 1);
        if (end === -1) return -1;
        i = end;
      } else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) return i;
    }
    return -1;
  }

  private readDollar(quoted: boolean): void {
    const src = this.src;
    const start = this.pos;
    const next = src[start + 1] ?? '';
    if (next === '(') {
      const end = this.closeParen(start + 1);
      const arithmetic = src[start + 2] === '(';
      this.addUnknown(src.slice(start, end), arithmetic ? 'arithmetic expansion' : this.substitutionReason(src.slice(start + 2, end - 1)));
      this.pos = end;
    } else if (next === '{') {
      const end = this.closeBrace(start + 1);
      if (end === -1) {
        this.addUnknown(src.slice(start), 'unterminated ${');
        this.pos = src.length;
      } else {
        this.expandBraced(src.slice(start + 2, end), quoted);
        this.pos = end + 1;
      }
    } else if (next === "'" && !quoted) this.readAnsiC();
    else if (next === '"' && !quoted) this.pos++;
    else {
      NAME.lastIndex = start + 1;
      const name = NAME.exec(src)?.[0] ?? (/[0-9@*#?$!-]/.test(next) ? next : '');
      if (name === '') {
        this.addLiteral('$', quoted);
        this.pos++;
        return;
      }
      this.pos = start + 1 + name.length;
      this.expandParameter(name, quoted);
    }
  }

  /** `$(NAME)` left in a script is usually a kubelet reference the admission could not resolve: say why. */
  private substitutionReason(inner: string): string {
    const reason = /^[A-Za-z_][A-Za-z0-9_]*$/.test(inner) ? this.lookup(inner)?.unknown : undefined;
    return reason ?? 'command substitution';
  }

  private expandParameter(name: string, quoted: boolean): void {
    if (name === '@' || name === '*') {
      const list = this.positional.slice(1);
      if (name === '*' && quoted) this.addExpansion(joinTokens(list, ' '), true);
      else this.addList(list, quoted);
    } else this.addExpansion(this.valueOf(name), quoted);
  }

  private valueOf(name: string): Token {
    if (/^\d+$/.test(name)) {
      const index = Number(name);
      const value = this.positional[index];
      if (value) return value;
      return index === 0 ? { text: '$0', unknown: '$0 is not known' } : { text: '' };
    }
    if (name === '#') return { text: String(Math.max(0, this.positional.length - 1)) };
    if (!/^[A-Za-z_]/.test(name)) return { text: `$${name}`, unknown: `$${name} is only known at run time` };
    const value = this.vars.get(name) ?? this.lookup(name);
    if (value === undefined) return { text: `$${name}`, unknown: `$${name} has no literal value in the container env` };
    return value.unknown ? { text: `$${name}`, unknown: value.unknown } : value;
  }

  private expandBraced(inner: string, quoted: boolean): void {
    const match = /^(#?)([A-Za-z_][A-Za-z0-9_]*|\d+|[@*#?$!-])(?:(:?[-=+?])([\s\S]*))?$/.exec(inner);
    if (!match) {
      this.addUnknown(`\${${inner}}`, `parameter expansion \${${clip(inner)}} is not evaluated`);
      return;
    }
    const [, length = '', name = '', op, word = ''] = match;
    if (length === '#' && op === undefined) {
      const value = this.valueOf(name);
      this.addExpansion(value.unknown ? value : { text: String(value.text.length) }, quoted);
    } else if (length === '#') {
      this.addUnknown(`\${${inner}}`, `parameter expansion \${${clip(inner)}} is not evaluated`);
    } else if (op === undefined) {
      this.expandParameter(name, quoted);
    } else {
      // A quoted default word keeps its spaces: `${X:-"a b"}` is one word.
      this.addExpansion(this.applyOperator(name, op, word), quoted || /["']/.test(word));
    }
  }

  /** `${X:-w}` and friends. A name the pod spec does not set takes the default its author wrote. */
  private applyOperator(name: string, op: string, word: string): Token {
    const raw = this.vars.get(name) ?? (/^[A-Za-z_]/.test(name) ? this.lookup(name) : this.valueOf(name));
    if (raw?.unknown) return { text: `\${${name}${op}…}`, unknown: raw.unknown };
    const set = raw !== undefined && (op.startsWith(':') ? raw.text !== '' : true);
    const kind = op.replace(':', '');
    if (kind === '+') return set ? this.expandWord(word) : { text: '' };
    if (set) return raw;
    if (kind === '?') return { text: `\${${name}}`, unknown: `$${name} is not set (the script exits)` };
    const value = this.expandWord(word);
    if (kind === '=' && /^[A-Za-z_]/.test(name)) this.vars.set(name, value);
    return value;
  }

  private expandWord(word: string): Token {
    if (this.depth >= MAX_DEPTH) return { text: clip(word), unknown: 'parameter expansion nested too deeply' };
    const inner = new ShellLexer(word, this.lookup, this.positional, this.vars, this.depth + 1).run();
    return joinTokens(inner.flat(), ' ');
  }

  private readOperator(c: string): void {
    const next = this.src[this.pos + 1];
    if (c === '&' && next === '>') {
      this.pos++;
      this.readRedirection();
      return;
    }
    this.endCommand();
    if (c === ';' && (next === ';' || next === '&') && this.caseDepth > 0) this.expectPattern = true;
    this.pos += next === c || (c === '|' && next === '&') || (c === ';' && next === '&') ? 2 : 1;
    if (c === ';' && this.src[this.pos] === '&') this.pos++;
  }

  private readRedirection(): void {
    const cur = this.cur;
    // `2>` : the digits are the descriptor, not a word.
    if (this.fields.length === 0 && cur.allPlain && cur.started && /^\d+$/.test(cur.text)) this.cur = newField();
    this.endWord();
    const src = this.src;
    // Called on `<` or `>`, so one of the alternatives always matches.
    const op = (REDIRECTION.exec(src.slice(this.pos, this.pos + 3)) as RegExpExecArray)[0];
    if (op.endsWith('(')) {
      const end = this.closeParen(this.pos + 1);
      this.addUnknown(src.slice(this.pos, end), 'process substitution');
      this.pos = end;
      return;
    }
    this.pos += op.length;
    this.redirectTarget = true;
    if (op === '<<' || op === '<<-') this.heredocNext = { strip: op === '<<-' };
  }

  /** After a newline, drop the bodies of the here-documents opened on that line. */
  private skipHeredocs(): void {
    for (const { delimiter, strip } of this.heredocs) {
      while (this.pos < this.src.length) {
        const end = this.src.indexOf('\n', this.pos);
        const stop = end === -1 ? this.src.length : end;
        let line = this.src.slice(this.pos, stop);
        if (strip) line = line.replace(/^\t+/, '');
        this.pos = stop + 1;
        if (line === delimiter) break;
      }
    }
    this.heredocs = [];
  }

  private addLiteral(text: string, quoted: boolean): void {
    const cur = this.cur;
    if (quoted || !cur.allPlain) cur.allPlain = false;
    else cur.plain += text.length;
    cur.text += text;
    cur.started = true;
  }

  private addUnknown(text: string, reason: string): void {
    this.addExpansion({ text: clip(text), unknown: reason }, true);
  }

  private addExpansion(value: Token, quoted: boolean): void {
    const cur = this.cur;
    cur.allPlain = false;
    if (value.unknown || quoted) {
      cur.text += value.text;
      cur.unknown ??= value.unknown;
      cur.started = true;
      return;
    }
    // Unquoted expansions are split on whitespace, as the shell's default IFS does.
    const parts = value.text.split(/[ \t\n]+/);
    parts.forEach((part, index) => {
      if (index > 0) this.breakField();
      if (part !== '') this.addLiteralPart(part);
    });
  }

  private addLiteralPart(text: string): void {
    this.cur.allPlain = false;
    this.cur.text += text;
    this.cur.started = true;
  }

  private addList(list: Token[], quoted: boolean): void {
    if (list.length === 0 && quoted) this.emptyQuotedLists++;
    list.forEach((token, index) => {
      if (index > 0) this.breakField();
      this.addExpansion(token, quoted);
    });
  }

  private breakField(): void {
    if (this.cur.started) this.fields.push(this.cur);
    this.cur = newField();
  }

  private endWord(): void {
    this.breakField();
    // handleWord may end the command, which ends this word again: hand the fields over first.
    const fields = this.fields;
    this.fields = [];
    for (const field of fields) this.handleWord(field);
  }

  private handleWord(field: Field): void {
    const token: Token = field.unknown ? { text: field.text, unknown: field.unknown } : { text: field.text };
    if (this.redirectTarget) {
      this.redirectTarget = false;
      if (this.heredocNext) this.heredocs.push({ delimiter: field.text, strip: this.heredocNext.strip });
      this.heredocNext = null;
      return;
    }
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
    const word: Word = { token, plain };
    const assign = ASSIGNMENT.exec(field.text);
    if (assign && (assign[0].length <= field.plain || plain)) {
      const value = field.text.slice(assign[0].length);
      word.assign = { name: assign[1] as string, value: field.unknown ? { text: value, unknown: field.unknown } : { text: value } };
    }
    this.words.push(word);
  }

  private dropPattern(): void {
    this.endWord();
    this.words = [];
    this.expectPattern = false;
  }

  private endCommand(): void {
    this.endWord();
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
    this.commands.push(words.slice(start).map((w) => w.token));
  }
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
        i += (text === 'exec' && option === '-a') || (text === 'env' && option === '-u') ? 2 : 1;
      }
    } else return i;
  }
}

function joinTokens(tokens: Token[], separator: string): Token {
  const unknown = tokens.find((t) => t.unknown)?.unknown;
  const text = tokens.map((t) => t.text).join(separator);
  return unknown ? { text, unknown } : { text };
}

/**
 * Every simple command of a shell script, each as its words after quote removal and expansion,
 * with `exec`/`nohup`/`env`/`time`/`X=y` prefixes stripped. `lookup` gives the environment (an
 * undefined answer makes the word unknown); `positional` is `$0`, `$1`, … (`$@` = positional[1..]).
 */
export function splitShellCommands(script: string, lookup: EnvLookup, positional: Token[]): Token[][] {
  return new ShellLexer(script, lookup, positional, new Map(), 0).run();
}
