/**
 * Which `VLLM_*` names of a vLLM container's environment cannot be called "ignored" (policy vllm-env).
 *
 * vllm-guard knows the names vllm/envs.py reads, release by release. Two things make a name outside
 * that list no settled fault:
 * - the image's release is not known (a `latest` tag, an unknown build): a newer vLLM may read it
 *   (vllm/validate-env.ts marks it verified false);
 * - the platform vLLM runs on is served by code of its own that reads `VLLM_*` variables with
 *   `os.environ` and never lists them in vllm/envs.py: Intel Gaudi, AWS Neuron and Huawei Ascend.
 *   Their guides tell users to set these variables (VLLM_SKIP_WARMUP on Gaudi, VLLM_NEURON_FRAMEWORK
 *   on Neuron), so "vLLM ignores it" would be false there.
 *
 * Such a name is "could not be verified" with the reason (the `vllm.envUnverified` fact, declared
 * unknown), never a finding that claims vLLM ignores it. Names that are settled stay findings.
 * @module
 */
import type { AcceleratorFamily } from '../knowledge/accelerators.js';
import type { EnvProblem } from '../vllm/validate-env.js';
import type { UnknownFact } from '../types.js';

interface PlatformEnv {
  /** Who reads the variables, for messages. */
  readonly reader: string;
  readonly source: string;
}

/** Platforms whose vLLM code reads `VLLM_*` variables vllm/envs.py does not list. */
const PLATFORM_ENV: Partial<Record<AcceleratorFamily, PlatformEnv>> = {
  gaudi: {
    reader: "vLLM's Intel Gaudi support (vllm-gaudi, HabanaAI/vllm-fork)",
    source:
      'vllm-project/vllm-gaudi docs/configuration/env_variables.md and HabanaAI/vllm-hpu-extension docs/configuration/env_vars.md (VLLM_SKIP_WARMUP, VLLM_GRAPH_RESERVED_MEM, VLLM_EXPONENTIAL_BUCKETING, VLLM_{PROMPT,DECODE}_*_BUCKET_*, VLLM_CONTIGUOUS_PA)',
  },
  neuron: {
    reader: "vLLM's AWS Neuron support (vllm/platforms/neuron.py, vllm-neuron)",
    source: 'vllm-project/vllm vllm/platforms/neuron.py get_neuron_framework_to_use (v0.9.x: os.environ.get("VLLM_NEURON_FRAMEWORK"), not in vllm/envs.py)',
  },
  ascend: {
    reader: "vLLM's Huawei Ascend plugin (vllm-ascend)",
    source: 'vllm-project/vllm-ascend vllm_ascend/envs.py (VLLM_ASCEND_* variables of its own)',
  },
};

/** The path of the fact that holds why some env names could not be verified (policies/vllm-env.yaml). */
export const ENV_UNVERIFIED_PATH = 'vllm.envUnverified';

/**
 * Marks the `unknown-env` problems of `problems` that are no settled fault on `family` as verified
 * false, and returns the reason shared by every unverified problem of the container, or null when all
 * are settled. On a platform of PLATFORM_ENV every name outside vllm/envs.py is unverified (its
 * "did you mean" is dropped: the name may be the platform's own). Mutates `problems`; throws nothing.
 */
export function markUnverifiedEnv(problems: EnvProblem[], family: AcceleratorFamily): string | null {
  const platform = PLATFORM_ENV[family];
  let reason: string | null = null;
  for (const [i, p] of problems.entries()) {
    if (p.kind !== 'unknown-env') continue;
    if (platform) {
      const why = `${platform.reader} reads VLLM_ variables of its own that vllm/envs.py does not list`;
      problems[i] = {
        kind: p.kind,
        name: p.name,
        at: p.at,
        summary: `${p.name} is not one of vllm/envs.py's variables`,
        fix: `keep ${p.name} only if ${platform.reader} documents it; remove it otherwise`,
        effect: 'if nothing in the image reads it, the setting never applies',
        message: `${p.name} is not in vllm/envs.py, but ${why}`,
        source: `${p.source}; ${platform.source}`,
        verified: false,
        reason: why,
      };
      reason ??= why;
    } else if (!p.verified) {
      reason ??= p.reason ?? 'a newer vLLM may read it';
    }
  }
  return reason;
}

/**
 * Sets `vllm.envUnverified` to the reason (null when every env problem is settled) and, when there is
 * one, declares it unknown so that vllm-env's rule for unverified names says "could not be verified".
 */
export function addEnvUnverified(vllm: Record<string, unknown>, family: AcceleratorFamily, unknowns: UnknownFact[]): void {
  const problems = vllm.envProblems;
  const reason = Array.isArray(problems) ? markUnverifiedEnv(problems as EnvProblem[], family) : null;
  vllm.envUnverified = reason;
  if (reason !== null && !unknowns.some((u) => u.path === ENV_UNVERIFIED_PATH)) unknowns.push({ path: ENV_UNVERIFIED_PATH, reason, source: 'env' });
}
