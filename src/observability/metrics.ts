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

export function createMetrics(opts: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return {
    registry,
    requests: new Counter({
      name: 'vllm_guard_admission_requests_total',
      help: 'AdmissionReviews answered, by operation, kind (a reviewed kind, else other), decision and whether the request was a dry run.',
      labelNames: ['operation', 'kind', 'decision', 'dry_run'],
      registers,
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
      labelNames: ['policy', 'action'],
      registers,
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
