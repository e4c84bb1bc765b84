/**
 * The per-object review budget: what an object may hold before the engine looks at it.
 * The engine parses every container's command and args (shell scripts included), so their
 * total size is what a review costs: a legal 1.4 MB Deployment with 32 containers of 44 KB
 * `sh -c` scripts took 1.2 s of a single-threaded server. The engine is synchronous and
 * cannot be stopped half-way, so the budget is measured first, in one bounded pass, and an
 * object over it is answered by the failure mode with the reason (see overBudgetAnswer).
 * Pure: no engine, no I/O. Callers: the admission handler; the engine may call it too.
 * @module
 */

export interface ObjectBudgetLimits {
  /** Total UTF-8 bytes of the strings in every `command` and `args` array of the object. */
  readonly maxArgvBytes: number;
  /** Deepest nesting of objects and arrays (default: unlimited). */
  readonly maxDepth?: number;
  /** Most objects, arrays and scalars in the object (default: unlimited). */
  readonly maxNodes?: number;
}

export interface ObjectMeasure {
  /** Bytes counted so far (all of them when within budget). */
  readonly argvBytes: number;
  readonly nodes: number;
  readonly depth: number;
}

export type BudgetExceeded = 'argv-bytes' | 'depth' | 'nodes';

export type BudgetResult =
  | { readonly ok: true; readonly measure: ObjectMeasure }
  | { readonly ok: false; readonly measure: ObjectMeasure; readonly exceeded: BudgetExceeded; readonly limit: number; readonly message: string };

/** Keys whose string arrays hold a process's argv: containers, init and ephemeral containers, exec probes and hooks. */
const ARGV_KEYS: ReadonlySet<string> = new Set(['command', 'args']);

function argvBytesOf(value: unknown): number {
  if (!Array.isArray(value)) return 0;
  let bytes = 0;
  for (const item of value) if (typeof item === 'string') bytes += Buffer.byteLength(item, 'utf8');
  return bytes;
}

function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/**
 * Measures `object` against `limits` in one iterative pass (no recursion: the object may be
 * deep), stopping at the first limit passed, so the work is bounded by the limits and not by
 * the object. Values are never read into the message, only sizes: commands and args may hold
 * secrets. Returns { ok: false, exceeded, limit, message } when over budget.
 */
export function measureObjectBudget(object: unknown, limits: ObjectBudgetLimits): BudgetResult {
  const maxDepth = limits.maxDepth ?? Number.POSITIVE_INFINITY;
  const maxNodes = limits.maxNodes ?? Number.POSITIVE_INFINITY;
  let argvBytes = 0;
  let nodes = 0;
  let deepest = 0;
  // Two parallel stacks, not an object per entry: this runs on every review, allocation-free per node.
  const values: unknown[] = [object];
  const depths: number[] = [1];
  const over = (exceeded: BudgetExceeded, limit: number, message: string): BudgetResult => ({
    ok: false,
    measure: { argvBytes, nodes, depth: deepest },
    exceeded,
    limit,
    message,
  });
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop()!;
    nodes += 1;
    if (nodes > maxNodes) return over('nodes', maxNodes, `the object holds more than ${maxNodes} values (review budget, --max-object-values)`);
    if (typeof value !== 'object' || value === null) continue;
    if (depth > deepest) deepest = depth;
    if (depth > maxDepth) return over('depth', maxDepth, `the object nests deeper than ${maxDepth} levels (review budget)`);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i += 1) {
        values.push(value[i]);
        depths.push(depth + 1);
      }
      continue;
    }
    for (const key in value) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      const child = (value as Record<string, unknown>)[key];
      if (ARGV_KEYS.has(key)) {
        argvBytes += argvBytesOf(child);
        if (argvBytes > limits.maxArgvBytes) {
          return over(
            'argv-bytes',
            limits.maxArgvBytes,
            `its commands and args total over ${describeBytes(limits.maxArgvBytes)} (review budget, --max-argv-bytes)`,
          );
        }
      }
      values.push(child);
      depths.push(depth + 1);
    }
  }
  return { ok: true, measure: { argvBytes, nodes, depth: deepest } };
}

/**
 * True when a body of `bytes` bytes in which the pre-scan counted `values` values
 * (admission/body-scan.ts surveyJsonBody) cannot hold an object over `limits`, so that
 * measureObjectBudget on any part of its parse would answer ok: a part of the parse holds at
 * most `values + 1` values, and the strings of its commands and args decode to at most three
 * UTF-8 bytes per byte of body (an invalid byte becomes U+FFFD, three bytes; an escape never
 * grows). Never true with a depth limit, which the scan does not bound.
 */
export function bodyWithinObjectBudget(body: { readonly bytes: number; readonly values: number }, limits: ObjectBudgetLimits): boolean {
  if (limits.maxDepth !== undefined) return false;
  return body.values + 1 <= (limits.maxNodes ?? Number.POSITIVE_INFINITY) && body.bytes * 3 <= limits.maxArgvBytes;
}

/**
 * The answer text for an object over budget, following the failure mode: open allows with a
 * warning, closed denies. `workload` is as describeWorkload prints it (`Deployment ml/llama`);
 * `why` is BudgetResult.message. Names the budget, never a value.
 */
export function overBudgetMessage(workload: string, why: string, failureMode: 'open' | 'closed'): string {
  const verdict = failureMode === 'open' ? 'allowed unchecked because failureMode is open' : 'denied because failureMode is closed';
  return `vllm-guard did not check ${workload}: ${why}; ${verdict}`;
}
