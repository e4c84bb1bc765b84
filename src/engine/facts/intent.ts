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

/**
 * The intent annotations (`<prefix>precision`, `<prefix>max-context-tokens`, `<prefix>cold-start-seconds`,
 * …; the config's intentPrefix, default `llm-readiness/`) with the prefix cut off, values as written,
 * plus their cross-checks with the vLLM arguments: precisionMatches (--dtype is an alias of the intended
 * precision, bf16 → bfloat16; for another name, --quantization contains it: awq, fp8…),
 * maxContextMatches (--max-model-len, tokens, between the intended context and twice it) and
 * coldStartSeconds (seconds; a trailing `s` accepted). Each is null when its annotation is missing
 * (maxContextMatches and coldStartSeconds also when a value is not a number). An empty prefix reads no
 * annotation. Never throws.
 */
export function readIntent(
  annotations: Record<string, string>,
  prefix: string,
  vllm: { dtype: string | null; quantization: string | null; maxModelLen: number | string | null },
): Record<string, unknown> {
  const intent: Record<string, unknown> = {};
  if (prefix) {
    for (const key of Object.keys(annotations)) {
      if (key.startsWith(prefix)) intent[key.slice(prefix.length)] = annotations[key];
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
