/** VLLM_* variables a container's own command line consumes (`$(VLLM_MODEL)`, `"${VLLM_MODEL}"` in `sh -c`). */
import type { EnvProblem } from '../vllm/validate-env.js';
import type { JsonObject } from '../types.js';

// `$NAME`, `${NAME}`, `${NAME:-x}` (shell) and `$(NAME)` (kubelet): one pass, no nested quantifiers.
const REFERENCE = /\$[({]?(VLLM_[A-Za-z0-9_]*)/g;
/** Bounds the scan: a command line longer than this is read up to here. */
const MAX_TEXT = 65_536;

/** The VLLM_* names the container's `command` and `args` refer to. */
export function argvEnvReferences(container: JsonObject): Set<string> {
  const names = new Set<string>();
  for (const field of ['command', 'args'] as const) {
    const list = container[field];
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      if (typeof item !== 'string' || !item.includes('$')) continue;
      for (const match of item.slice(0, MAX_TEXT).matchAll(REFERENCE)) names.add(match[1] as string);
    }
  }
  return names;
}

/**
 * Drops "VLLM_X is not read by vLLM" for a variable the command line itself reads: the kubelet or the
 * shell puts its value into vLLM's arguments (`--model "${VLLM_MODEL}"`), so the setting does apply.
 * Other env problems stay.
 */
export function withoutArgvConsumed(problems: EnvProblem[], container: JsonObject): EnvProblem[] {
  if (!problems.some((p) => p.kind === 'unknown-env')) return problems;
  const consumed = argvEnvReferences(container);
  return consumed.size === 0 ? problems : problems.filter((p) => !(p.kind === 'unknown-env' && consumed.has(p.name)));
}
