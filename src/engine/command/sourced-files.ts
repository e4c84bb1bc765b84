/**
 * Variables a script gets from commands that set them without writing `X=y`: a file it sources
 * (`. /etc/vllm/env.sh`, bash's `source FILE`), `eval`, `read NAME`, or `export` of a word known only
 * at run time (`export $(cat /config/env | xargs)`). A sourced file is read when a ConfigMap volume
 * holds it and it only sets variables, one plain `NAME=value` or `export NAME=value` a line; otherwise
 * every variable it could set is unknown, saying which file, so a value it sets can never make a
 * finding fail. Rules: POSIX.1-2017 XCU 2.14 `dot` (the file runs in the current shell; a name without
 * `/` is searched in PATH), `eval`, `export`; XCU `read`; Bash Reference Manual 4.1 and 4.2 (`source`
 * is bash's, absent from dash, the /bin/sh of Debian and Ubuntu images).
 * @module
 */
import type { Token } from '../types.js';
import type { EnvLookup } from './shell-expansion.js';
import type { ReadScript } from './script-files.js';
import { MAX_SCRIPT_LENGTH } from './kubelet-expand.js';

/**
 * The key under which a script's variables record that any name may have been set by something not
 * read (an unread sourced file, `eval`): not a shell name, so no assignment writes it. Its token's
 * `unknown` is the reason, without the variable's name.
 */
export const ANY_NAME = '.';

/** Files sourced per container that are looked up: each one walks the mounts and reads up to 64 KiB. */
const MAX_SOURCED_FILES = 8;
/** Assignments read from one sourced file; a longer file is not read. */
const MAX_ASSIGNMENTS = 256;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** One line `[export ]NAME=rest`; the value is read by hand (no nested quantifier). */
const ASSIGNMENT_LINE = /^(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;
/** Characters of an unquoted value that no expansion or quoting touches (no `~`, `$`, quotes, `\`, blanks). */
const PLAIN_VALUE = /^[A-Za-z0-9_./:,@%+=-]*$/;
/** A declaration's operand that assigns: `NAME=`, however it was quoted. */
const OPERAND_ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;
/** `read` options that take an operand (bash 4.2 `read`). */
const READ_OPERAND: ReadonlySet<string> = new Set(['-a', '-d', '-i', '-n', '-N', '-p', '-t', '-u']);

/** What the script's sourcing may read: one per container, shared by its scripts. */
export interface SourceContext {
  read: ReadScript | undefined;
  /** Files looked up so far in this container. */
  files: number;
}

/** How a script's `.` and `source` are read: the shell that runs it (`bash`, `sh`; null when not known) and the container's context. */
export interface Sourcing {
  shell: string | null;
  context: SourceContext;
}

/** Command words applyCommandEffects acts on: the rest are skipped without a copy of their words. */
export const EFFECT_WORDS: ReadonlySet<string> = new Set(['.', 'source', 'eval', 'read', 'export', 'declare', 'typeset', 'local', 'readonly']);

/** A fresh context for one container's reading. */
export const newSourceContext = (read: ReadScript | undefined): SourceContext => ({ read, files: 0 });

/** `text` without the spaces and tabs around it: the shell's blanks only (a CR or NBSP stays), by index, not by regex. */
function trimBlanks(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text[start] === ' ' || text[start] === '\t')) start++;
  while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return text.slice(start, end);
}

/** The value of one line's assignment, or null when it is more than plain text. */
function plainValue(raw: string): string | null {
  let rest = raw;
  let value: string;
  const quote = rest[0];
  if (quote === "'" || quote === '"') {
    const end = rest.indexOf(quote, 1);
    if (end === -1) return null;
    value = rest.slice(1, end);
    if (quote === '"' && /[$`\\]/.test(value)) return null;
    rest = rest.slice(end + 1);
  } else {
    const blank = rest.search(/[ \t]/);
    value = blank === -1 ? rest : rest.slice(0, blank);
    if (!PLAIN_VALUE.test(value)) return null;
    rest = blank === -1 ? '' : rest.slice(blank);
  }
  const tail = trimBlanks(rest);
  return tail === '' || tail.startsWith('#') ? value : null;
}

/**
 * The assignments of a sourced file when it has nothing else: blank lines, `#` comments and one
 * `NAME=value` or `export NAME=value` a line, the value unquoted plain text or quoted without
 * expansions. Else the 1-based line that is more, or 0 when it sets more than MAX_ASSIGNMENTS names.
 */
export function plainAssignments(text: string): Map<string, string> | { line: number } {
  const vars = new Map<string, string>();
  let start = 0;
  for (let line = 1; start <= text.length; line++) {
    const end = text.indexOf('\n', start);
    const raw = trimBlanks(text.slice(start, end === -1 ? text.length : end));
    start = end === -1 ? text.length + 1 : end + 1;
    if (raw === '' || raw.startsWith('#')) continue;
    // `export TP` after `TP=2`: exporting changes no value.
    if (/^export[ \t]/.test(raw) && trimBlanks(raw.slice(6)).split(/[ \t]+/).every((w) => NAME.test(w))) continue;
    const match = ASSIGNMENT_LINE.exec(raw);
    const value = match ? plainValue(match[2] as string) : null;
    if (!match || value === null) return { line };
    vars.set(match[1] as string, value);
    if (vars.size > MAX_ASSIGNMENTS) return { line: 0 };
  }
  return vars;
}

/**
 * Every variable may have been set by something not read: those set so far and any other name. The
 * names set so far are dropped, so ANY_NAME answers for them too (assignedValue); each assignment is
 * dropped at most once, so a script of many `eval`s costs no more than its assignments.
 */
function anyName(vars: Map<string, Token>, reason: string): void {
  vars.clear();
  vars.set(ANY_NAME, { text: '', unknown: reason });
}

/** Why the file `path` (as the script writes it) sets variables vllm-guard cannot know, or its assignments. */
function readSourced(path: Token, builtin: string, shell: string | null, context: SourceContext): Map<string, Token> | string {
  if (path.unknown) return `may be set by a file the script sources, whose path is not known (${path.unknown})`;
  const which = `may be set by ${path.text}, which the script sources`;
  if (builtin === 'source' && shell !== 'bash' && shell !== 'zsh') return `${which} with source, a bash builtin ${shell ?? 'the shell'} may not have (dash has none)`;
  if (!path.text.startsWith('/')) return `${which}: a relative path, found from PATH or the working directory at run time`;
  if (context.files >= MAX_SOURCED_FILES) return `${which}, and vllm-guard reads at most ${MAX_SOURCED_FILES} sourced files per container`;
  context.files++;
  const file = context.read?.(path.text) ?? null;
  if (file === null) return `${which}: it is in the image, which vllm-guard cannot read`;
  if ('unknown' in file) return `${which}: it ${file.unknown}`;
  const of = `may be set by ${path.text} (${file.from}), which the script sources`;
  if (file.text.length > MAX_SCRIPT_LENGTH) return `${of}, longer than ${MAX_SCRIPT_LENGTH / 1024} KiB`;
  const parsed = plainAssignments(file.text);
  if (!(parsed instanceof Map)) return `${of}, and which ${parsed.line === 0 ? `sets more than ${MAX_ASSIGNMENTS} variables` : `does more than set variables (line ${parsed.line})`}`;
  const vars = new Map<string, Token>();
  for (const [name, text] of parsed) vars.set(name, { text, from: file.from });
  return vars;
}

/**
 * Applies to `vars` what command `words` (its command word first, prefixes removed) sets besides
 * `X=y`: a sourced file's assignments, or, when they cannot be known, every name unknown (ANY_NAME);
 * `read`'s names unknown; `eval` and `export`/`declare` of an unknown word: every name unknown.
 * `plain`: the command word is unquoted literal text. `shell` names the shell running the script
 * (`bash`, `sh`), null when not known. Bounded by MAX_SOURCED_FILES per container; never throws.
 */
export function applyCommandEffects(words: readonly Token[], plain: boolean, vars: Map<string, Token>, sourcing: Sourcing | undefined): void {
  const first = words[0];
  if (!first || !plain) return;
  const shell = sourcing?.shell ?? null;
  const context = sourcing?.context;
  const name = first.text;
  if (name === '.' || name === 'source') {
    const path = words[1];
    if (!path) return;
    const read = readSourced(path, name, shell, context ?? newSourceContext(undefined));
    if (typeof read === 'string') anyName(vars, read);
    else for (const [key, token] of read) vars.set(key, token);
  } else if (name === 'eval' && words.length > 1) {
    anyName(vars, 'may be set by eval at run time');
  } else if (name === 'read') {
    for (let i = 1; i < words.length; i++) {
      const word = words[i] as Token;
      if (READ_OPERAND.has(word.text)) i++;
      else if (NAME.test(word.text) && !word.unknown) vars.set(word.text, { text: '', unknown: `$${word.text} is read at run time (read)` });
    }
  } else {
    // A declaration builtin (EFFECT_WORDS' rest): `export "TP=2"` assigns though its `=` is quoted,
    // which the command assembly does not take as an assignment; a word known only at run time may set any name.
    for (let i = 1; i < words.length; i++) {
      const word = words[i] as Token;
      const assign = OPERAND_ASSIGNMENT.exec(word.text);
      if (assign) vars.set(assign[1] as string, word.unknown ? { text: '', unknown: word.unknown } : { text: word.text.slice(assign[0].length) });
      else if (word.unknown) anyName(vars, `may be set by ${name} of a word known only at run time`);
    }
  }
}

/**
 * The value a script's variables give `name`: its own assignment, else unknown when something not
 * read may have set any name (ANY_NAME), else undefined (the environment decides).
 */
export function assignedValue(vars: ReadonlyMap<string, Token> | undefined, name: string): Token | undefined {
  const own = vars?.get(name);
  if (own) return own;
  const any = vars?.get(ANY_NAME);
  return any ? { text: `$${name}`, unknown: `$${name} ${any.unknown ?? ''}` } : undefined;
}

/**
 * The environment a script file run by another script sees: `lookup` (the container's), except that a
 * name the running script assigned, or may have (ANY_NAME), is unknown. Whether it was exported is
 * not followed, so its value is not given either. `script` is the file's path, for the reason.
 */
export function inheritedLookup(parentVars: ReadonlyMap<string, Token>, lookup: EnvLookup, script: string): EnvLookup {
  if (parentVars.size === 0) return lookup;
  return (name) => {
    const set = assignedValue(parentVars, name);
    if (!set) return lookup(name);
    return { text: '', unknown: set.unknown ?? `$${name} may be exported by the script that runs ${script}` };
  };
}
