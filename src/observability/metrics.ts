/**
 * Prometheus metrics, each set in its own Registry so tests and several servers in one
 * process never collide. Histograms (not summaries) so replicas aggregate.
 * @module
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** From 0.5 ms: a review takes about a millisecond, and the API server's timeout is seconds. */
export const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface Metrics {
  readonly registry: Registry;
  readonly requests: Counter<'operation' | 'kind' | 'decision' | 'dry_run'>;
  /** Adds one to `requests` (label values in its label order); the counter shows it at its next read. */
  countRequest(operation: string, kind: string, decision: string, dryRun: string): void;
  /** Adds one to `findings` (label values in its label order); the counter shows it at its next read. */
  countFinding(policy: string, action: string): void;
  readonly duration: Histogram<string>;
  readonly findings: Counter<'policy' | 'action'>;
  readonly errors: Counter<'reason'>;
  readonly reloads: Counter<'result'>;
  /** 1 when the last reload attempt succeeded, 0 while the last good set is serving after a failure. */
  readonly reloadHealthy: Gauge<string>;
  readonly policiesLoaded: Gauge<string>;
  readonly tlsExpiry: Gauge<string>;
  readonly tlsReloads: Counter<'result'>;
}

export interface MetricsOptions {
  /** Process and Node.js runtime metrics (default true). */
  defaultMetrics?: boolean;
}

interface TallyCell {
  readonly labels: Record<string, string>;
  pending: number;
}

/**
 * Counts for a prom-client Counter kept as plain numbers, one per label set, found through one
 * Map per label, and added to the counter when it is read (its `collect`, run by every scrape
 * and `get()`). A prom-client `inc` validates and hashes its label object on every call, which
 * the admission path paid once or more per request. Series appear in the order they were first
 * counted, as with `inc`, and every read shows every count made before it.
 */
class CounterTally {
  private readonly root = new Map<string, unknown>();
  private readonly cells: TallyCell[] = [];

  constructor(private readonly labelNames: readonly string[]) {}

  /** Adds one to the series with these label values (in labelNames order). */
  add(values: readonly string[]): void {
    let level: Map<string, unknown> = this.root;
    const last = values.length - 1;
    for (let i = 0; i < last; i += 1) {
      const value = values[i] as string;
      let next = level.get(value) as Map<string, unknown> | undefined;
      if (next === undefined) {
        next = new Map<string, unknown>();
        level.set(value, next);
      }
      level = next;
    }
    const leaf = values[last] as string;
    let cell = level.get(leaf) as TallyCell | undefined;
    if (cell === undefined) {
      const labels: Record<string, string> = {};
      this.labelNames.forEach((name, i) => {
        labels[name] = values[i] as string;
      });
      cell = { labels, pending: 0 };
      level.set(leaf, cell);
      this.cells.push(cell);
    }
    cell.pending += 1;
  }

  /** Moves the pending counts into `counter`. */
  flush(counter: Counter<string>): void {
    for (const cell of this.cells) {
      if (cell.pending === 0) continue;
      counter.inc(cell.labels, cell.pending);
      cell.pending = 0;
    }
  }
}

/**
 * The webhook's metrics in a fresh Registry of their own: admission requests, duration (seconds, buckets
 * DURATION_BUCKETS), findings, errors, reloads, policies loaded, TLS expiry (Unix seconds) and reloads,
 * plus prom-client's process metrics unless `defaultMetrics: false`. Never throws.
 */
export function createMetrics(opts: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const requestLabels = ['operation', 'kind', 'decision', 'dry_run'] as const;
  const findingLabels = ['policy', 'action'] as const;
  const requestTally = new CounterTally(requestLabels);
  const findingTally = new CounterTally(findingLabels);
  // Scratch arrays for the label values: one call at a time (JavaScript is single-threaded).
  const requestValues: string[] = ['', '', '', ''];
  const findingValues: string[] = ['', ''];
  return {
    registry,
    countRequest(operation, kind, decision, dryRun) {
      requestValues[0] = operation;
      requestValues[1] = kind;
      requestValues[2] = decision;
      requestValues[3] = dryRun;
      requestTally.add(requestValues);
    },
    countFinding(policy, action) {
      findingValues[0] = policy;
      findingValues[1] = action;
      findingTally.add(findingValues);
    },
    requests: new Counter({
      name: 'vllm_guard_admission_requests_total',
      help: 'AdmissionReviews answered, by operation, kind (a reviewed kind, else other), decision and whether the request was a dry run.',
      labelNames: requestLabels,
      registers,
      collect() {
        requestTally.flush(this);
      },
    }),
    duration: new Histogram({
      name: 'vllm_guard_admission_duration_seconds',
      help: 'Time from a parsed AdmissionReview to its response.',
      buckets: DURATION_BUCKETS,
      registers,
    }),
    findings: new Counter({
      name: 'vllm_guard_policy_findings_total',
      help: 'Policy findings in admission reviews, by policy and final action.',
      labelNames: findingLabels,
      registers,
      collect() {
        findingTally.flush(this);
      },
    }),
    errors: new Counter({
      name: 'vllm_guard_admission_errors_total',
      help: 'Requests that could not be reviewed normally: bad input, or an internal error answered by the failure mode.',
      labelNames: ['reason'],
      registers,
    }),
    reloads: new Counter({
      name: 'vllm_guard_policy_reloads_total',
      help: 'Policy and config reload attempts, by result.',
      labelNames: ['result'],
      registers,
    }),
    reloadHealthy: new Gauge({
      name: 'vllm_guard_policy_last_reload_success',
      help: '1 if the last policy or config reload succeeded, 0 if the last good set is serving after a failed one.',
      registers,
    }),
    policiesLoaded: new Gauge({
      name: 'vllm_guard_policies_loaded',
      help: 'Policies in the set that is serving.',
      registers,
    }),
    tlsExpiry: new Gauge({
      name: 'vllm_guard_tls_certificate_expiry_timestamp_seconds',
      help: 'Expiry (notAfter, Unix seconds) of the serving certificate in use.',
      registers,
    }),
    tlsReloads: new Counter({
      name: 'vllm_guard_tls_reloads_total',
      help: 'Serving certificate reload attempts, by result.',
      labelNames: ['result'],
      registers,
    }),
  };
}
