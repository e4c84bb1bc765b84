/**
 * Environment hazards for vLLM containers (policy vllm-env): VLLM_* names vllm/envs.py does not
 * read (vLLM ignores them, or from v0.17.0 logs "Unknown vLLM environment variable detected"),
 * debug switches that slow start-up or serving, and a VLLM_PORT that is not a port.
 */
import { MAX_SUGGESTED_NAMES } from './edit-distance.js';
import type { OptionTable } from './option-table.js';
import { pythonInt } from './option-values.js';

export interface EnvEntry {
  name: string;
  /** The literal value; null when it comes from elsewhere (valueFrom, envFrom). */
  value: string | null;
  /** Why the value is unknown. */
  unknown?: string;
  /** The container field (`env[2]`), when known. */
  at?: string;
}

/** missing-ref: a ConfigMap or Secret key the env references is missing (facts/env-resolved.ts). */
export type EnvProblemKind = 'unknown-env' | 'debug-switch' | 'bad-env-value' | 'missing-ref';

export interface EnvProblem {
  kind: EnvProblemKind;
  name: string;
  value?: string;
  suggestion?: string;
  /** Short, for policy messages. */
  summary: string;
  /** The fix, short. */
  fix: string;
  /** What it does to the pod, short. */
  effect: string;
  message: string;
  source: string;
  verified: boolean;
  reason?: string;
  /** The container field to point at (`env[2]`, else `env`). */
  at: string;
}

interface DebugSwitch {
  name: string;
  /** Whether this value turns the switch on. */
  on: (value: string) => boolean;
  effect: string;
  /** The effect in a few words, for policy messages. */
  short: string;
  source: string;
}

const TROUBLESHOOTING = 'vllm-project/vllm docs/usage/troubleshooting.md ("Enable more logging"), v0.20.1';

/** Switches vLLM's troubleshooting guide lists for debugging only. */
export const DEBUG_SWITCHES: readonly DebugSwitch[] = [
  {
    name: 'VLLM_TRACE_FUNCTION',
    on: (v: string) => pythonInt(v) !== null && pythonInt(v) !== 0,
    // vllm-project/vllm#17386: with it, gemma-3-1b was not ready after 40 minutes and the startupProbe killed it.
    effect: 'records every function call; vLLM\'s guide warns it causes "significant delays in startup time" (a startupProbe or livenessProbe kills the load) and slows token generation "by over 100x"',
    short: 'start-up so slow that probes kill it, generation over 100x slower (vLLM docs)',
    source: `${TROUBLESHOOTING}; docs/usage/troubleshooting.md at 01b88df816 ("it will cause significant delays in startup time")`,
  },
  {
    name: 'CUDA_LAUNCH_BLOCKING',
    on: (v: string) => v.trim() === '1',
    effect: 'makes every CUDA kernel launch synchronous (a debugging aid for locating a failing kernel), slowing model load, warm-up and serving',
    short: 'synchronous CUDA launches slow load and serving',
    source: `${TROUBLESHOOTING}; CUDA Programming Guide, "Asynchronous Concurrent Execution" (CUDA_LAUNCH_BLOCKING=1 disables asynchronous launches)`,
  },
  {
    name: 'NCCL_DEBUG',
    on: (v: string) => ['INFO', 'TRACE'].includes(v.trim().toUpperCase()),
    effect: 'turns on verbose NCCL logging for every collective, slowing multi-GPU start-up and flooding the logs',
    short: 'verbose NCCL logging slows multi-GPU start-up',
    source: `${TROUBLESHOOTING}; NVIDIA NCCL docs, Environment Variables: NCCL_DEBUG (VERSION, WARN, INFO, TRACE)`,
  },
];

const VLLM_PORT_SOURCE = 'vllm-project/vllm vllm/envs.py get_vllm_port (v0.20.1); docs/configuration/env_vars.md warns about Kubernetes services named vllm';

/**
 * Checks a container's environment. `version` is the covered release tag to judge names against,
 * or null (then a name is known if any covered release reads it, and an unknown name that is not a
 * near miss of a known one is reported unverified: a newer vLLM may read it).
 */
export function validateVllmEnv(env: readonly EnvEntry[], options: { table: OptionTable; release: string | null }): EnvProblem[] {
  const problems: EnvProblem[] = [];
  const { table, release } = options;
  let suggestionsLeft = MAX_SUGGESTED_NAMES;
  for (const entry of env.slice(0, 4096)) {
    const { name, value } = entry;
    const at = entry.at ?? 'env';
    if (name.startsWith('VLLM_') && !table.envVar(name, release)) {
      const known = table.envVar(name, null);
      const suggestion = known || suggestionsLeft-- <= 0 ? null : table.suggestEnv(name);
      const where = release ? `vLLM ${release}` : `any vLLM release ${table.oldest}–${table.newest}`;
      const tail = suggestion ? ` (did you mean ${suggestion}?)` : known ? ' (other releases read it)' : '';
      problems.push({
        kind: 'unknown-env',
        name,
        ...(suggestion ? { suggestion } : {}),
        summary: suggestion ? `unknown ${name} (did you mean ${suggestion}?)` : `${name} is not read by ${release ? `vLLM ${release}` : 'vLLM'}${tail}`,
        fix: suggestion ? `rename it to ${suggestion}` : `remove ${name}`,
        effect: 'vLLM ignores it, so the setting never applies',
        message: `${name} is not read by ${where}${tail}: vLLM ignores it, and from v0.17.0 logs "Unknown vLLM environment variable detected: ${name}"`,
        source: 'vllm-project/vllm vllm/envs.py environment_variables and validate_environ',
        at,
        verified: release !== null || suggestion !== null,
        ...(release !== null || suggestion !== null ? {} : { reason: `a vLLM newer than ${table.newest} may read it` }),
      });
    }
    if (value === null) continue;
    const debug = DEBUG_SWITCHES.find((d) => d.name === name);
    if (debug && debug.on(value)) {
      problems.push({
        kind: 'debug-switch',
        name,
        value,
        summary: `${name}=${value} is a debug switch that slows vLLM down`,
        fix: `remove ${name} outside a debugging session`,
        effect: debug.short,
        at,
        message: `${name}=${value} ${debug.effect}; the startup probe budget may not hold`, source: debug.source, verified: true });
    }
    if (name === 'VLLM_PORT' && pythonInt(value) === null) {
      const uri = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value.trim());
      problems.push({
        kind: 'bad-env-value',
        name,
        summary: uri ? 'VLLM_PORT is a URI, not a port' : 'VLLM_PORT is not an integer',
        fix: uri ? 'set enableServiceLinks: false, or rename the Service named vllm' : 'set VLLM_PORT to a port number, or remove it',
        effect: 'vLLM raises ValueError at start',
        at,
        message: uri
          ? `VLLM_PORT is a URI: vLLM raises ValueError "VLLM_PORT '…' appears to be a URI. This may be caused by a Kubernetes service discovery issue"`
          : `VLLM_PORT is not an integer: vLLM raises ValueError "VLLM_PORT '…' must be a valid integer"`,
        source: VLLM_PORT_SOURCE,
        verified: true,
      });
    }
  }
  return problems;
}
