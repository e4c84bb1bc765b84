/**
 * The shell lexer: reads a script character by character into words (quotes, escapes, `$`
 * expansions, operators, redirections, here-documents) and hands them to command assembly.
 * One pass over the input (plus bounded re-lexing of `${X:-word}` words), so size stays linear.
 * Rules: POSIX.1-2017 XCU 2.2 (Quoting), 2.3 (Token Recognition), 2.7 (Redirection) and 2.9.2-2.9.3
 * (Pipelines, Lists); bash additions from the Bash Reference Manual: `$'…'` (3.1.2.4), `|&` (3.2.3),
 * `<(…)` `>(…)` (3.5.6), `&>` `&>>` (3.6.4, 3.6.5), `<<<` (3.6.7) and `;&` `;;&` (3.2.5.2).
 */
import { CommandAssembler } from './shell-commands.js';
import { ParameterExpander, type ShellScope } from './shell-expansion.js';
import { FieldBuilder } from './shell-fields.js';
import { closeBrace, closeParen, decodeAnsiC, skipHeredocBodies, type Heredoc } from './shell-spans.js';
import { ANGLE_REASON } from './placeholders.js';
import type { Token } from '../types.js';

/** Redirection operators, longest first (XCU 2.7, bash 3.6); `<(` and `>(` start a process substitution. */
const REDIRECTION = /^(?:<<<|<<-|<<|<>|<&|<\(|<|>>|>&|>\||>\(|>)/;

/**
 * Reads one script, or one `${X:-word}` word, into simple commands. Use once: `run()` consumes
 * the lexer. Nested words get their own lexer one level deeper, sharing the scope's variables.
 */
export class ShellLexer {
  private pos = 0;
  // Sticky patterns keep their position in lastIndex, so each lexer owns its own pair.
  private readonly plainRun = /[^\s\\'"$`;&|()<>]+/y;
  private readonly namePattern = /[A-Za-z_][A-Za-z0-9_]*/y;
  // `<your-model-path>` ending a word: a person's placeholder (placeholders.ts), not two redirections.
  private readonly anglePattern = /<[A-Za-z0-9_.:/-]+>(?=[\s;&|)]|$)/y;
  private readonly out: FieldBuilder;
  private readonly assembler: CommandAssembler;
  private readonly expander: ParameterExpander;
  private redirectTarget = false;
  private heredocNext: { strip: boolean } | null = null;
  private heredocs: Heredoc[] = [];

  constructor(
    private readonly src: string,
    scope: ShellScope,
  ) {
    this.out = new FieldBuilder(scope.budget);
    this.assembler = new CommandAssembler(scope.vars, scope.sourcing);
    this.expander = new ParameterExpander(scope, this.out, (word) => new ShellLexer(word, { ...scope, depth: scope.depth + 1 }).run());
  }

  /**
   * Every simple command of the source, in order, each as its words after quote removal and
   * expansion. Never throws: unterminated quotes run to the end, unknowable parts become unknown.
   */
  run(): Token[][] {
    const src = this.src;
    while (this.pos < src.length) {
      const c = src[this.pos] as string;
      if (c === ' ' || c === '\t' || c === '\r') {
        this.endWord();
        this.pos++;
      } else if (c === '\n') {
        this.endCommand();
        this.pos = skipHeredocBodies(src, this.pos + 1, this.heredocs);
        this.heredocs = [];
      } else if (c === '#' && this.out.atWordStart) {
        const end = src.indexOf('\n', this.pos);
        this.pos = end === -1 ? src.length : end;
      } else if (c === '\\') this.readEscape();
      else if (c === "'") this.readSingle();
      else if (c === '"') this.readDouble();
      else if (c === '$') this.readDollar(false);
      else if (c === '`') this.readBackticks();
      else if (c === ';' || c === '|' || c === '&') this.readOperator(c);
      else if (c === '(' || c === ')') {
        if (c === ')' && this.assembler.expectingPattern) {
          this.endWord();
          this.assembler.dropPattern();
        }
        this.endCommand();
        this.pos++;
      } else if (c === '<' && this.readAnglePlaceholder()) continue;
      else if (c === '<' || c === '>') this.readRedirection();
      else this.readPlain();
    }
    this.endCommand();
    return this.assembler.commands;
  }

  private readPlain(): void {
    this.plainRun.lastIndex = this.pos;
    const match = this.plainRun.exec(this.src);
    const text = match ? match[0] : (this.src[this.pos] as string);
    this.out.addLiteral(text, false);
    this.pos += text.length;
  }

  private readEscape(): void {
    const next = this.src[this.pos + 1];
    if (next === '\n') this.pos += 2;
    else if (next === undefined) {
      this.out.addLiteral('\\', true);
      this.pos++;
    } else {
      this.out.addLiteral(next, true);
      this.pos += 2;
    }
  }

  private readSingle(): void {
    const end = this.src.indexOf("'", this.pos + 1);
    const stop = end === -1 ? this.src.length : end;
    this.out.addLiteral(this.src.slice(this.pos + 1, stop), true);
    this.pos = stop + 1;
  }

  private readAnsiC(): void {
    const { text, end } = decodeAnsiC(this.src, this.pos + 2);
    this.out.addLiteral(text, true);
    this.pos = end;
  }

  private readDouble(): void {
    const src = this.src;
    const emptyLists = this.out.emptyQuotedLists;
    this.pos++;
    while (this.pos < src.length && src[this.pos] !== '"') {
      const c = src[this.pos] as string;
      const next = src[this.pos + 1];
      if (c === '\\' && next === '\n') this.pos += 2;
      else if (c === '\\' && next !== undefined && '$`"\\'.includes(next)) {
        this.out.addLiteral(next, true);
        this.pos += 2;
      } else if (c === '$') this.readDollar(true);
      else if (c === '`') this.readBackticks();
      else {
        let end = this.pos + 1;
        while (end < src.length && !'"\\$`'.includes(src[end] as string)) end++;
        this.out.addLiteral(src.slice(this.pos, end), true);
        this.pos = end;
      }
    }
    this.pos++;
    // `""` is an empty word, but `"$@"` with no arguments is no word at all.
    if (this.out.emptyQuotedLists === emptyLists) this.out.addLiteral('', true);
  }

  private readBackticks(): void {
    let i = this.pos + 1;
    while (i < this.src.length && this.src[i] !== '`') i += this.src[i] === '\\' ? 2 : 1;
    this.out.addUnknown(this.src.slice(this.pos, i + 1), 'command substitution');
    this.pos = i + 1;
  }

  private readDollar(quoted: boolean): void {
    const src = this.src;
    const start = this.pos;
    const next = src[start + 1] ?? '';
    if (next === '(') {
      const end = closeParen(src, start + 1);
      const arithmetic = src[start + 2] === '(';
      this.out.addUnknown(src.slice(start, end), arithmetic ? 'arithmetic expansion' : this.expander.substitutionReason(src.slice(start + 2, end - 1)));
      this.pos = end;
    } else if (next === '{') {
      const end = closeBrace(src, start + 1);
      if (end === -1) {
        this.out.addUnknown(src.slice(start), 'unterminated ${');
        this.pos = src.length;
      } else {
        this.expander.expandBraced(src.slice(start + 2, end), quoted);
        this.pos = end + 1;
      }
    } else if (next === "'" && !quoted) this.readAnsiC();
    else if (next === '"' && !quoted) this.pos++;
    else {
      this.namePattern.lastIndex = start + 1;
      const name = this.namePattern.exec(src)?.[0] ?? (/[0-9@*#?$!-]/.test(next) ? next : '');
      if (name === '') {
        this.out.addLiteral('$', quoted);
        this.pos++;
        return;
      }
      this.pos = start + 1 + name.length;
      this.expander.expandName(name, quoted);
    }
  }

  private readOperator(c: string): void {
    const next = this.src[this.pos + 1];
    if (c === '&' && next === '>') {
      this.pos++;
      this.readRedirection();
      return;
    }
    // `&` runs the command in the background and `|` in a pipeline: a subshell each (XCU 2.9.2, 2.9.3).
    this.endCommand(c === '|' && next !== '|' ? '|' : c === '&' && next !== '&' ? '&' : undefined);
    if (c === ';' && (next === ';' || next === '&')) this.assembler.endCaseArm();
    this.pos += next === c || (c === '|' && next === '&') || (c === ';' && next === '&') ? 2 : 1;
    if (c === ';' && this.src[this.pos] === '&') this.pos++;
  }

  /** A `<name>` placeholder at the cursor becomes an unknown part of the word; false (nothing read) for a redirection. */
  private readAnglePlaceholder(): boolean {
    this.anglePattern.lastIndex = this.pos;
    const match = this.anglePattern.exec(this.src);
    if (!match) return false;
    this.out.addUnknown(match[0], ANGLE_REASON);
    this.pos += match[0].length;
    return true;
  }

  private readRedirection(): void {
    this.out.dropIoNumber();
    this.endWord();
    const src = this.src;
    // Called on `<` or `>`, so one of the alternatives always matches.
    const op = (REDIRECTION.exec(src.slice(this.pos, this.pos + 3)) as RegExpExecArray)[0];
    if (op.endsWith('(')) {
      const end = closeParen(src, this.pos + 1);
      this.out.addUnknown(src.slice(this.pos, end), 'process substitution');
      this.pos = end;
      return;
    }
    this.pos += op.length;
    this.redirectTarget = true;
    if (op === '<<' || op === '<<-') this.heredocNext = { strip: op === '<<-' };
  }

  /** Ends the word being read: a redirection's target is dropped (a here-document's becomes its delimiter). */
  private endWord(): void {
    for (const field of this.out.takeFields()) {
      if (this.redirectTarget) {
        this.redirectTarget = false;
        if (this.heredocNext) this.heredocs.push({ delimiter: field.text, strip: this.heredocNext.strip });
        this.heredocNext = null;
      } else this.assembler.addWord(field);
    }
  }

  private endCommand(operator?: '|' | '&'): void {
    this.endWord();
    this.assembler.endCommand(operator);
  }
}
