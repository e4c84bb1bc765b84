/**
 * A POSIX-ish reader for the `sh -c` scripts of Kubernetes manifests: it finds every simple command a
 * script may run (all branches, loops, pipelines) with quotes, escapes and parameter expansion
 * applied. It never executes anything; what it cannot know becomes an unknown Token.
 * The work is split by stage: shell-lexer.ts reads characters into words, shell-fields.ts builds
 * the fields of a word, shell-expansion.ts expands parameters, shell-commands.ts assembles commands.
 */
import { ShellLexer } from './shell-lexer.js';
import type { EnvLookup } from './shell-expansion.js';
import { newExpansionBudget, type ExpansionBudget } from './shell-fields.js';
import type { Token } from '../types.js';
import type { Sourcing } from './sourced-files.js';

export type { EnvLookup } from './shell-expansion.js';
export { newExpansionBudget, type ExpansionBudget } from './shell-fields.js';

/**
 * Every simple command of a shell script, in script order, each as its words after quote removal
 * and expansion (POSIX.1-2017 XCU 2.2-2.6, with the bash additions listed in shell-lexer.ts), with
 * `exec`/`nohup`/`env`/`time`/`X=y` prefixes stripped. `lookup` gives the environment (an
 * undefined answer makes the word unknown); `positional` is `$0`, `$1`, … (`$@` = positional[1..]).
 * Words that need run time (`$(…)`, unset variables, `${X%y}`) come back as Tokens with `unknown`
 * set to the reason. `assigned` receives the variables the script sets (`X=y`, `export X=y`), in
 * any branch. `budget` bounds what expansions add (shell-fields.ts MAX_EXPANDED_CHARS), shared by the
 * scripts of one container; past it, values are unknown. `sourcing` reads the files `.` and `source`
 * name (sourced-files.ts); without it every name they may set is unknown. Never throws; the work is
 * linear in the script's length plus the budget (and the bounded sourced files).
 */
export function splitShellCommands(script: string, lookup: EnvLookup, positional: Token[], assigned: Map<string, Token> = new Map(), budget: ExpansionBudget = newExpansionBudget(), sourcing?: Sourcing): Token[][] {
  return new ShellLexer(script, sourcing ? { lookup, positional, vars: assigned, depth: 0, budget, sourcing } : { lookup, positional, vars: assigned, depth: 0, budget }).run();
}
