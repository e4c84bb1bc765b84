/** The structured result every model/hardware check returns. */

export type CheckVerdict = 'ok' | 'warn' | 'deny' | 'unknown';

export interface CheckResult {
  verdict: CheckVerdict;
  /** Which situation (bf16-explicit, heads, kv, …): policies pick their message by it; equals verdict when ok/unknown. */
  case: string;
  /** What the user sees: names the model, the GPU and the numbers. */
  message: string;
  /** The fix, never a value that fails on this hardware. */
  remediation: string;
  /** vLLM's own error text where it has one, with the file it comes from. */
  vllmError: string | null;
  vllmSource: string | null;
  /** The inputs the verdict assumed (model, GPU, release, parallelism, formula terms). */
  assumed: Record<string, string | number | boolean | null>;
}

/** Builds a CheckResult; `extra.case` defaults to the verdict. */
export function result(
  verdict: CheckVerdict,
  message: string,
  extra: Partial<Omit<CheckResult, 'verdict' | 'message'>> = {},
): CheckResult {
  return {
    verdict,
    case: extra.case ?? verdict,
    message,
    remediation: extra.remediation ?? '',
    vllmError: extra.vllmError ?? null,
    vllmSource: extra.vllmSource ?? null,
    assumed: extra.assumed ?? {},
  };
}

/** Formats a compute capability number (7.5) as vLLM prints it. */
export function ccText(cc: number): string {
  return cc.toFixed(1);
}

/** GiB for messages: one decimal below 100, none above. */
export function gib(n: number): string {
  return n >= 100 ? n.toFixed(0) : n.toFixed(1);
}
