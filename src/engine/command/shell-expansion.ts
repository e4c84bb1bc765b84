/**
 * Parameter expansion for the shell lexer: `$NAME`, `${NAME}`, `${NAME:-word}` and friends, `${#NAME}`,
 * positional and special parameters (`$0`, `$1`, `$#`, `$@`, `$*`), looked up in what the script
 * assigned so far and then in the container env. Rules: POSIX.1-2017 XCU 2.5 (Parameters and
 * Variables) and 2.6.2 (Parameter Expansion). Anything else becomes an unknown value with a reason.
 */
import { BUDGET_SPENT, clipText, type ExpansionBudget, type FieldBuilder } from './shell-fields.js';
import type { Token } from '../types.js';
import { assignedValue, type Sourcing } from './sourced-files.js';

/** The container env as the script sees it: a name's value, unknown with a reason, or undefined when unset. */
export type EnvLookup = (name: string) => Token | undefined;

/** What expansions read: shared by a script's lexer and the nested lexers of its `${X:-word}` words. */
export interface ShellScope {
  lookup: EnvLookup;
  /** `$0`, `$1`, …; `$@` is positional[1..]. */
  positional: Token[];
  /** Variables the script assigned so far (`X=y`, `export X=y`, `${X:=y}`); they hide the env. */
  vars: Map<string, Token>;
  /** How many `${X:-word}` words enclose the text being read; 0 for the script itself. */
  depth: number;
  /** What expansions may still add, shared by every lexer of one container's reading (shell-fields.ts). */
  budget: ExpansionBudget;
  /** How `.` and `source` read the file they name (sourced-files.ts); absent: every name they may set is unknown. */
  sourcing?: Sourcing;
}

/** Deepest `${X:-${Y:-…}}` nesting evaluated; deeper words become unknown, which bounds the work per script. */
const MAX_DEPTH = 8;
/** `${…}` forms evaluated: optional `#` (length), the parameter, and an optional `-`, `=`, `+` or `?` operator with its word. */
const BRACED = /^(#?)([A-Za-z_][A-Za-z0-9_]*|\d+|[@*#?$!-])(?:(:?[-=+?])([\s\S]*))?$/;

function joinTokens(tokens: Token[], separator: string): Token {
  const unknown = tokens.find((t) => t.unknown)?.unknown;
  const text = tokens.map((t) => t.text).join(separator);
  return unknown ? { text, unknown } : { text };
}

/**
 * Expands parameters into the fields of the word being read. `lexWord` reads an operator's word
 * (`${X:-word}`) as a script one level deeper, so quotes and nested expansions in it apply.
 */
export class ParameterExpander {
  constructor(
    private readonly scope: ShellScope,
    private readonly out: FieldBuilder,
    private readonly lexWord: (word: string) => Token[][],
  ) {}

  /**
   * Expands `$name` for a variable, positional or special parameter name (`@`, `*`, `#`, …).
   * `$@` adds one field per positional parameter, `"$*"` joins them with a space (XCU 2.5.2);
   * an unset variable becomes unknown, since the env given is all the admission can see.
   */
  expandName(name: string, quoted: boolean): void {
    if (name === '@' || name === '*') {
      const list = this.scope.positional.slice(1);
      if (name === '*' && quoted) this.out.addExpansion(this.out.spent ? { text: '$*', unknown: BUDGET_SPENT } : joinTokens(list, ' '), true);
      else this.out.addList(list, quoted);
    } else this.out.addExpansion(this.valueOf(name), quoted);
  }

  /**
   * Expands `${inner}` (`inner` is the text between the braces): `${X}`, `${#X}` and the
   * `-`, `=`, `+`, `?` operators with or without `:` (XCU 2.6.2). Other forms (`${X%y}`,
   * `${X/a/b}`, …) become unknown rather than guessed.
   */
  expandBraced(inner: string, quoted: boolean): void {
    const match = BRACED.exec(inner);
    const [, length = '', name = '', op, word = ''] = match ?? [];
    // `${#X:-w}` is not valid either: the length form takes no operator.
    if (!match || (length === '#' && op !== undefined)) {
      this.out.addUnknown(`\${${inner}}`, `parameter expansion \${${clipText(inner)}} is not evaluated`);
    } else if (length === '#') {
      const value = this.valueOf(name);
      this.out.addExpansion(value.unknown ? value : { text: String(value.text.length) }, quoted);
    } else if (op === undefined) {
      this.expandName(name, quoted);
    } else {
      // A quoted default word keeps its spaces: `${X:-"a b"}` is one word.
      this.out.addExpansion(this.applyOperator(name, op, word), quoted || /["']/.test(word));
    }
  }

  /**
   * Why `$(inner)` is unknown. A `$(NAME)` left in a script is usually a Kubernetes `$(VAR)`
   * reference the kubelet would have expanded but the admission could not: the env's reason says why.
   * Anything else is a command substitution (XCU 2.6.3), which only runs at run time.
   */
  substitutionReason(inner: string): string {
    const reason = /^[A-Za-z_][A-Za-z0-9_]*$/.test(inner) ? this.scope.lookup(inner)?.unknown : undefined;
    return reason ?? 'command substitution';
  }

  private valueOf(name: string): Token {
    const { positional, vars, lookup } = this.scope;
    if (/^\d+$/.test(name)) {
      const index = Number(name);
      const value = positional[index];
      if (value) return value;
      return index === 0 ? { text: '$0', unknown: '$0 is not known' } : { text: '' };
    }
    if (name === '#') return { text: String(Math.max(0, positional.length - 1)) };
    if (!/^[A-Za-z_]/.test(name)) return { text: `$${name}`, unknown: `$${name} is only known at run time` };
    const own = assignedValue(vars, name);
    if (own) return own.unknown ? { text: `$${name}`, unknown: own.unknown } : own;
    const value = lookup(name);
    if (value === undefined) return { text: `$${name}`, unknown: `$${name} has no literal value in the container env` };
    // A value of the container env says so, as `$(NAME)` does (kubelet-expand.ts): `(from env TP)`.
    return value.unknown ? { text: `$${name}`, unknown: value.unknown } : { ...value, from: value.from ?? `env ${name}` };
  }

  /** `${X:-w}` and friends. A name the pod spec does not set takes the default its author wrote. */
  private applyOperator(name: string, op: string, word: string): Token {
    const { vars, lookup } = this.scope;
    const raw = /^[A-Za-z_]/.test(name) ? (assignedValue(vars, name) ?? lookup(name)) : this.valueOf(name);
    if (raw?.unknown) return { text: `\${${name}${op}…}`, unknown: raw.unknown };
    const set = raw !== undefined && (op.startsWith(':') ? raw.text !== '' : true);
    const kind = op.replace(':', '');
    if (kind === '+') return set ? this.expandWord(word) : { text: '' };
    if (set) return raw;
    if (kind === '?') return { text: `\${${name}}`, unknown: `$${name} is not set (the script exits)` };
    const value = this.expandWord(word);
    if (kind === '=' && /^[A-Za-z_]/.test(name)) vars.set(name, value);
    return value;
  }

  private expandWord(word: string): Token {
    if (this.scope.depth >= MAX_DEPTH) return { text: clipText(word), unknown: 'parameter expansion nested too deeply' };
    return joinTokens(this.lexWord(word).flat(), ' ');
  }
}
