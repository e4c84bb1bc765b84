/**
 * The kubelet's `$(VAR)` expansion of command, args and env values (Kubernetes API reference,
 * Container.args), bounded in length. Its own file: used by the container's environment
 * (container-env.ts) and by the argv (argv.ts).
 * @module
 */
import type { EnvLookup } from './shell.js';
import type { Token } from '../types.js';

/**
 * Scripts past this size are not read: lexing is linear, but megabytes of script would hold the
 * admission request past its budget, and no real serving script is that long. Also the bound of
 * one value's `$(VAR)` expansion.
 */
export const MAX_SCRIPT_LENGTH = 64 * 1024;

/**
 * Kubelet `$(VAR)` expansion (Kubernetes API reference, Container.args): `$$` is an escaped `$`, so
 * `$$(VAR)` stays `$(VAR)`; a reference the lookup does not know stays as written; a reference to a
 * value only known at run time makes the token unknown. A text over MAX_SCRIPT_LENGTH (64 KiB), or
 * one whose expansion would grow past it, is returned as written and unknown (the reason says so).
 */
export function expandKubeletRefs(text: string, lookup: EnvLookup, keepUnknown = false): Token {
  if (!text.includes('$')) return { text };
  // Expansion is linear but not free per byte; megabytes of references are not a real manifest.
  if (text.length > MAX_SCRIPT_LENGTH) return { text, unknown: `a value longer than ${MAX_SCRIPT_LENGTH / 1024} KiB with $ references is not expanded` };
  let out = '';
  let unknown: string | undefined;
  let from: string | undefined;
  // The next `)` is searched once per position, so `$($($(` stays linear.
  let close = -2;
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar === -1 || dollar === text.length - 1) break;
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '(') {
      if (close !== -1 && close < dollar) close = text.indexOf(')', dollar);
      if (close === -1) {
        out += '$(';
        i = dollar + 2;
        continue;
      }
      const name = text.slice(dollar + 2, close);
      const value = lookup(name);
      // Each env value is bounded, so a chain of references doubling it (V2=$(V1)$(V1), …) stops
      // here: the value becomes unknown, and so does every value referencing it.
      if (value !== undefined && !value.unknown && out.length + value.text.length > MAX_SCRIPT_LENGTH) {
        return { text, unknown: `$(${name}) expands the value past ${MAX_SCRIPT_LENGTH / 1024} KiB, so it is not expanded` };
      }
      if (value === undefined) out += `$(${name})`;
      else if (value.unknown) {
        out += `$(${name})`;
        if (!keepUnknown) unknown ??= value.unknown;
      } else {
        out += value.text;
        from ??= value.from ?? `env ${name}`;
      }
      i = close + 1;
    } else {
      out += `$${next as string}`;
      i = dollar + 2;
    }
  }
  out += text.slice(i);
  const token: Token = unknown ? { text: out, unknown } : { text: out };
  if (from) token.from = from;
  return token;
}
