/**
 * The environment variables vllm/envs.py reads: the keys of its `environment_variables` dict, with
 * the type its lambda converts to (bool, int, float, str, or choices via `env_with_choices`).
 */
import type { EnvVarSpan } from '../../src/engine/vllm/option-types.js';
import { matchBracket, parseLiteralList, parseStringLiteral, splitTopLevel } from './python-text.js';

type EnvSpec = Omit<EnvVarSpan, 'from' | 'to'>;

/** Reads the type a getter expression converts the variable to; 'unknown' when it cannot tell. */
export function envType(expr: string): EnvSpec {
  const text = expr.replace(/\s+/g, ' ');
  const choice = /^env_with_choices\(\s*(.+)\)$/s.exec(text);
  if (choice) {
    const args = splitTopLevel(choice[1] as string);
    const list = args[2] ? parseLiteralList(args[2]) : null;
    return list ? { type: 'str', choices: list } : { type: 'str' };
  }
  if (/^env_(?:list|set)_with_choices\(/.test(text)) return { type: 'str' };
  if (/\bbool\(|maybe_convert_bool|in \(\s*["']1["']|== ["']1["']|\.lower\(\) in|== ["']true["']/.test(text)) return { type: 'bool' };
  if (/\bfloat\(/.test(text)) return { type: 'float' };
  if (/\bint\(|maybe_convert_int|get_vllm_port/.test(text)) return { type: 'int' };
  if (/os\.(?:getenv|environ\.get)\(|os\.environ\[/.test(text)) return { type: 'str' };
  return { type: 'unknown' };
}

/** Variable name → spec, in file order. */
export function readEnvs(src: string): Map<string, EnvSpec> {
  const out = new Map<string, EnvSpec>();
  const m = /^environment_variables\s*(?::[^=]+)?=\s*\{/m.exec(src);
  if (!m) return out;
  const open = m.index + m[0].length - 1;
  const close = matchBracket(src, open);
  for (const entry of splitTopLevel(src.slice(open + 1, close))) {
    const colon = entry.indexOf(':');
    const name = colon === -1 ? null : parseStringLiteral(entry.slice(0, colon));
    if (name && /^[A-Z_][A-Z0-9_]*$/.test(name)) out.set(name, envType(entry.slice(colon + 1).trim()));
  }
  return out;
}
