/** Phase-0 intent annotations (license, precision, context, cold start) and their cross-checks. */

const PRECISION_DTYPES: Record<string, string[]> = {
  fp16: ['half', 'float16'],
  float16: ['half', 'float16'],
  half: ['half', 'float16'],
  bf16: ['bfloat16'],
  bfloat16: ['bfloat16'],
  fp32: ['float', 'float32'],
  float32: ['float', 'float32'],
};

function toNumber(text: string | undefined): number | null {
  if (text === undefined) return null;
  const n = Number(text.trim().replace(/s$/, ''));
  return Number.isFinite(n) ? n : null;
}

/** An annotation key's intent name (`precision` of `llm-readiness/precision`), or null when the key lacks the prefix. */
export type IntentKeys = (key: string) => string | null;

/** Annotation keys remembered per engine: a cluster's annotations use a few hundred keys. */
const INTENT_KEYS_CAPACITY = 256;
/** Longer keys are answered and not stored (Kubernetes allows 253 + 63 characters). */
const MAX_INTENT_KEY = 320;

/**
 * IntentKeys for one prefix, remembered per engine (createEngine): the cut key is the same string
 * object on every review, so storing it as a property of the intent object finds the name V8 already
 * knows; a key cut afresh on each review was looked up by its characters every time (bench/PROFILE.md S7).
 * Bounded: cleared when full.
 */
export function createIntentKeys(prefix: string): IntentKeys {
  const names = new Map<string, string | null>();
  return (key) => {
    const known = names.get(key);
    if (known !== undefined) return known;
    const name = prefix !== '' && key.startsWith(prefix) ? key.slice(prefix.length) : null;
    if (key.length <= MAX_INTENT_KEY) {
      if (names.size >= INTENT_KEYS_CAPACITY) names.clear();
      names.set(key, name);
    }
    return name;
  };
}

/**
 * The intent annotations (`<prefix>precision`, `<prefix>max-context-tokens`, `<prefix>cold-start-seconds`,
 * …; the config's intentPrefix, default `llm-readiness/`) with the prefix cut off, values as written,
 * plus their cross-checks with the vLLM arguments: precisionMatches (--dtype is an alias of the intended
 * precision, bf16 → bfloat16; for another name, --quantization contains it: awq, fp8…),
 * maxContextMatches (--max-model-len, tokens, between the intended context and twice it) and
 * coldStartSeconds (seconds; a trailing `s` accepted). Each is null when its annotation is missing
 * (maxContextMatches and coldStartSeconds also when a value is not a number). An empty prefix reads no
 * annotation. `keys`, when given, is createIntentKeys(prefix). Never throws.
 */
export function readIntent(
  annotations: Record<string, string>,
  prefix: string,
  vllm: { dtype: string | null; quantization: string | null; maxModelLen: number | string | null },
  keys?: IntentKeys,
): Record<string, unknown> {
  const intent: Record<string, unknown> = {};
  if (prefix) {
    for (const key of Object.keys(annotations)) {
      if (keys) {
        const name = keys(key);
        if (name !== null) intent[name] = annotations[key];
      } else if (key.startsWith(prefix)) intent[key.slice(prefix.length)] = annotations[key];
    }
  }
  const precision = typeof intent.precision === 'string' ? intent.precision.toLowerCase() : null;
  let precisionMatches: boolean | null = null;
  if (precision && PRECISION_DTYPES[precision]) {
    precisionMatches = vllm.dtype !== null && PRECISION_DTYPES[precision].includes(vllm.dtype);
  } else if (precision) {
    // A quantization scheme (awq, gptq, fp8, …) as the intended precision.
    precisionMatches = vllm.quantization !== null && vllm.quantization.toLowerCase().includes(precision);
  }
  const context = toNumber(intent['max-context-tokens'] as string | undefined);
  const modelLen = typeof vllm.maxModelLen === 'number' ? vllm.maxModelLen : null;
  intent.precisionMatches = precisionMatches;
  intent.maxContextMatches = context !== null && modelLen !== null ? modelLen >= context && modelLen <= 2 * context : null;
  intent.coldStartSeconds = toNumber(intent['cold-start-seconds'] as string | undefined);
  return intent;
}
