/**
 * --max-model-len vs the model's context, as vllm/config _get_and_verify_max_len derives it:
 * max_position_embeddings, times rope_scaling.factor unless the rope type is su/longrope/llama3 (for
 * yarn, original_max_position_embeddings × factor). Above it vLLM raises unless
 * VLLM_ALLOW_LONG_MAX_MODEL_LEN=1.
 */
import type { ModelEntry } from '../types.js';
import { result, type CheckResult } from '../verdict.js';
import type { CheckInputs } from './inputs.js';

const SOURCE = 'vllm/config _get_and_verify_max_len';

/** The longest context vLLM accepts for the model without the override variable. */
export function derivedMaxModelLen(m: ModelEntry): number {
  let derived = m.maxPositionEmbeddings;
  const rope = m.ropeScaling;
  if (rope && !['su', 'longrope', 'llama3', 'default'].includes(rope.type)) {
    const factor = rope.factor ?? 1;
    if (rope.type === 'yarn' && rope.originalMaxPositionEmbeddings) derived = rope.originalMaxPositionEmbeddings;
    derived *= factor;
  }
  return Math.floor(derived);
}

/** context-within-model: --max-model-len vs the derived maximum; unknown without the model or with rope overrides. */
export function checkContext(inp: CheckInputs): CheckResult {
  if (!inp.model.known) return result('unknown', `model could not be verified: ${inp.model.reason}`);
  const m = inp.model.model.entry;
  const name = inp.model.model.displayName;
  const derived = derivedMaxModelLen(m);
  const len = inp.maxModelLen;
  const assumed = { model: m.id, maxPositionEmbeddings: m.maxPositionEmbeddings, ropeScaling: m.ropeScaling?.type ?? null, derivedMaxModelLen: derived, maxModelLen: typeof len === 'number' ? len : null };
  if (inp.configOverridden) return result('unknown', '--rope-scaling or --hf-overrides changes the model context: config.json no longer says it', { assumed });
  if (len === null) return result('ok', `no --max-model-len: vLLM uses ${name}'s ${derived} tokens`, { assumed });
  if (typeof len !== 'number') return result('unknown', `--max-model-len ${len} is resolved by vLLM at start`, { assumed });
  if (len <= derived) return result('ok', `--max-model-len ${len} is within ${name}'s ${derived} tokens`, { assumed });
  const vllmError = `User-specified max_model_len (${len}) is greater than the derived max_model_len (max_position_embeddings=${derived} or model_max_length=None in model's config.json). To allow overriding this maximum, set the env var VLLM_ALLOW_LONG_MAX_MODEL_LEN=1.`;
  if (inp.allowLongMaxModelLen === null) return result('unknown', `--max-model-len ${len} is above ${name}'s ${derived} tokens and VLLM_ALLOW_LONG_MAX_MODEL_LEN comes from a source whose value cannot be known`, { assumed });
  if (inp.allowLongMaxModelLen) {
    return result('warn', `--max-model-len ${len} is above ${name}'s ${derived} tokens, allowed by VLLM_ALLOW_LONG_MAX_MODEL_LEN: positions past ${derived} give NaN or degraded output with RoPE`, {
      case: 'over-max-allowed', remediation: `keep --max-model-len at most ${derived}, or use the model's documented rope scaling`, vllmSource: SOURCE, assumed,
    });
  }
  return result('deny', `--max-model-len ${len} is above ${name}'s maximum of ${derived} tokens: vLLM exits at start`, {
    case: 'over-max', remediation: `set --max-model-len ${derived} or less`, vllmError, vllmSource: SOURCE, assumed,
  });
}
