/**
 * The HTTPS application: admission routes, health routes and the JSON error answers.
 * Built apart from listen() so tests can inject; everything arrives through `deps`. The JSON answers
 * to Fastify's own errors are their own file (error-answers.ts).
 * @module
 */
import type { ServerOptions as HttpsOptions } from 'node:https';
import { performance } from 'node:perf_hooks';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ERRORS, errorBody } from '../errors.js';
import { decideAdmission, type AdmissionContext, type AdmissionOutcome } from '../admission/handler.js';
import { buildReviewResponse, parseAdmissionReview, type AdmissionReviewIn } from '../admission/review.js';
import type { Mode, RelatedSet } from '../engine/api.js';
import type { WorkloadLookup } from '../admission/autoscaler.js';
import { createDecisionLogger, type Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { registerJsonBody, type BodyMeasures } from './body.js';
import { classifyError } from './error-answers.js';
import { bodyWithinObjectBudget } from '../admission/budget.js';
import { guardConnections } from './connections.js';
import { DEFAULT_LIMITS, type BodyLimits, type ConnectionLimits, type ReviewBudget } from './limits.js';
import { recordDecision } from './record.js';
import type { ServingState } from './reload.js';
import { createReviewTurns } from './review-turns.js';

export interface Readiness {
  readonly ready: boolean;
  readonly checks: Record<string, string>;
}

export interface AppDeps {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** The set serving now; a reload swaps what this returns. */
  readonly getState: () => ServingState;
  /** Largest accepted body in bytes (config server.maxBodyBytes). */
  readonly bodyLimit: number;
  /** TLS options; without them the app serves plain HTTP (inject tests). */
  readonly https?: HttpsOptions;
  readonly readiness?: () => Readiness;
  /** Monotonic milliseconds, for durations. */
  readonly clock?: () => number;
  /** Wall clock, for waiver expiry. */
  readonly now?: () => Date;
  /** Timeouts and the connection cap (DEFAULT_LIMITS.connections when absent). */
  readonly connections?: ConnectionLimits;
  /** Depth, value count and in-flight bytes of bodies (DEFAULT_LIMITS.body when absent). */
  readonly body?: BodyLimits;
  /** Per-object review budget (DEFAULT_LIMITS.review when absent). */
  readonly review?: ReviewBudget;
  /** `--lookups`: the related set of a namespace from the lookup cache; absent, related facts are unknown. */
  readonly related?: (namespace: string) => RelatedSet | undefined;
  /** `--lookups`: the cached workload an autoscaler targets (absent: HPAs and ScaledObjects pass silently). */
  readonly workload?: WorkloadLookup;
}

/** Route → mode cap, so namespaceSelectors can route by a namespace label without API calls. */
export const REVIEW_ROUTES: ReadonlyArray<readonly [string, Mode | undefined]> = [
  ['/validate', undefined],
  ['/validate/enforce', 'enforce'],
  ['/validate/warn', 'warn'],
  ['/validate/audit', 'audit'],
];

/** The review paths as a 404 lists them: `/validate, /validate/enforce, …`. */
const REVIEW_PATHS = REVIEW_ROUTES.map(([route]) => route).join(', ');

/**
 * Go's HTTP client (the API server's) keeps idle connections for 90 s; closing ours
 * sooner races with a request sent on the closing connection and fails that call.
 */
export const KEEP_ALIVE_TIMEOUT_MS = DEFAULT_LIMITS.connections.keepAliveTimeoutMs;
/** Below the webhook's timeoutSeconds: the API server has given up on a request still open then. */
export const REQUEST_TIMEOUT_MS = DEFAULT_LIMITS.connections.requestTimeoutMs;

/**
 * Node checks request and header timeouts on an interval (30 s by default, which made a 30 s
 * timeout last 52–90 s); a second keeps them close to what they say.
 */
function serverTimeoutOptions(connections: ConnectionLimits): { requestTimeout: number; headersTimeout: number; connectionsCheckingInterval: number } {
  const requestTimeout = connections.requestTimeoutMs;
  return { requestTimeout, headersTimeout: requestTimeout, connectionsCheckingInterval: Math.min(1_000, Math.max(100, Math.floor(requestTimeout / 2))) };
}

/** A request the route accepted, waiting for its turn (review-turns.ts). */
interface QueuedReview {
  readonly review: AdmissionReviewIn;
  readonly context: AdmissionContext;
  readonly reply: FastifyReply;
  readonly route: string;
  /** clock() when the route got the request: the recorded duration includes the wait. */
  readonly started: number;
}

type Recorder = Parameters<typeof recordDecision>[0];

/**
 * Reviews the queued requests back to back, then answers and records each in order. Never throws
 * (it runs from setImmediate): an error goes to that request's reply, hence to the error handler,
 * as a throw in the route did; after the answer was sent, it is logged.
 */
function reviewInTurn(items: readonly QueuedReview[], recorder: Recorder, clock: () => number, closing: boolean): void {
  const outcomes = items.map((item): AdmissionOutcome | { thrown: unknown } => {
    try {
      return decideAdmission(item.review.request, item.context);
    } catch (thrown: unknown) {
      return { thrown };
    }
  });
  items.forEach((item, i) => {
    const outcome = outcomes[i];
    try {
      if (outcome === undefined || 'thrown' in outcome) throw outcome?.thrown;
      // Accepted before the drain began and answered after: the caller must not send another
      // request on this connection, which Fastify would answer 503 (it only marks the ones it routes while closing).
      if (closing) void item.reply.header('connection', 'close');
      void item.reply.send(buildReviewResponse(item.review, outcome.response));
      recordDecision(recorder, { request: item.review.request, outcome, route: item.route, seconds: (clock() - item.started) / 1000 });
    } catch (error: unknown) {
      if (item.reply.sent) recorder.logger.error({ err: error, route: item.route }, 'request failed');
      else void item.reply.send(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

function registerReviewRoutes(app: FastifyInstance, deps: AppDeps, bodies: BodyMeasures): void {
  const clock = deps.clock ?? (() => performance.now());
  const now = deps.now ?? (() => new Date());
  const review = deps.review ?? DEFAULT_LIMITS.review;
  const recorder = { logger: deps.logger, decisions: createDecisionLogger(deps.logger), metrics: deps.metrics };
  // One queue for every review route: the requests of one turn are reviewed together.
  let closing = false;
  const turns = createReviewTurns<QueuedReview>((items) => reviewInTurn(items, recorder, clock, closing));
  // Answers sent once the drain has begun say `Connection: close` (see reviewInTurn). Reviews
  // queued before the signal are answered before app.close() starts (start.ts waits a turn).
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  for (const [path, modeCap] of REVIEW_ROUTES) {
    app.post(path, (request: FastifyRequest, reply: FastifyReply) => {
      const started = clock();
      const parsed = parseAdmissionReview(request.body);
      if (!parsed.ok) {
        deps.metrics.errors.inc({ reason: parsed.error.reason });
        deps.logger.warn({ reason: parsed.error.reason, route: path }, 'admission review rejected');
        void reply.code(400).send(parsed.error);
        return;
      }
      const state = deps.getState();
      // A body the pre-scan proved small enough cannot hold an object over the review budget:
      // the object is not walked again to count it.
      const measure = bodies.of(request);
      const budgetProven = measure !== undefined && bodyWithinObjectBudget(measure, review);
      const context: AdmissionContext = {
        engine: state.engine,
        settings: state.settings,
        modeCap,
        now: now(),
        budget: budgetProven ? undefined : review,
        related: deps.related,
        workload: deps.workload,
      };
      turns.add({ review: parsed.review, context, reply, route: path, started });
    });
  }
}

function registerHealthRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get('/healthz', (_request, reply) => {
    void reply.send({ status: 'ok' });
  });
  app.get('/readyz', (_request, reply) => {
    const readiness = deps.readiness?.() ?? { ready: true, checks: {} };
    void reply.code(readiness.ready ? 200 : 503).send({ status: readiness.ready ? 'ready' : 'not ready', checks: readiness.checks });
  });
}

/** The Fastify instance, routes registered, not listening. */
export function buildApp(deps: AppDeps): FastifyInstance {
  const connections = deps.connections ?? DEFAULT_LIMITS.connections;
  const timeouts = serverTimeoutOptions(connections);
  const app = Fastify({
    loggerInstance: deps.logger,
    // One decision line per review is the request log; Fastify's two lines would double it.
    logController: new LogController({ disableRequestLogging: true }),
    // No per-request child logger: nothing logs through request.log, and a pino child per request
    // is measurable on this path.
    childLoggerFactory: (logger) => logger,
    bodyLimit: deps.bodyLimit,
    keepAliveTimeout: connections.keepAliveTimeoutMs,
    requestTimeout: connections.requestTimeoutMs,
    // Socket inactivity: closes a connection that finished the TLS handshake and sends nothing.
    // Between requests Node applies keepAliveTimeout instead.
    connectionTimeout: connections.idleTimeoutMs,
    // Our readers check own properties only; dropping the key beats failing the call.
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
    // handshakeTimeout: a connection that never finishes the TLS handshake.
    ...(deps.https ? { https: { ...deps.https, ...timeouts, handshakeTimeout: connections.idleTimeoutMs } } : { http: timeouts }),
  }) as unknown as FastifyInstance;
  // A client that half-closes after its request still gets the answer, which comes a turn later
  // (review-turns.ts); Node's HTTP layer then ends the connection after that answer (the flag is
  // not in its types). On TLS only once the handshake is done: a FIN before it must close the
  // connection at once, or connect-and-close clients would hold slots of the cap until the
  // handshake timeout (test/hardening/connections.test.ts).
  (app.server as { httpAllowHalfOpen?: boolean }).httpAllowHalfOpen = true;
  if (deps.https) {
    app.server.on('secureConnection', (socket: { allowHalfOpen: boolean }) => {
      socket.allowHalfOpen = true;
    });
  }
  guardConnections(app.server, { maxConnections: connections.maxConnections, logger: deps.logger, metrics: deps.metrics });
  const bodies = registerJsonBody(app, { bodyLimit: deps.bodyLimit, limits: deps.body ?? DEFAULT_LIMITS.body });
  // Fastify parses text/plain by default; an AdmissionReview is JSON or it is refused.
  app.removeContentTypeParser('text/plain');

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { status, body } = classifyError(error, deps.bodyLimit);
    const reason = 'reason' in body ? body.reason : 'internal';
    deps.metrics.errors.inc({ reason });
    if (status >= 500) deps.logger.error({ err: error, route: request.url }, 'request failed');
    else deps.logger.warn({ reason, route: request.url }, 'admission review rejected');
    void reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(ERRORS.ERR_NOT_FOUND.httpStatus).send(errorBody('ERR_NOT_FOUND', `no route ${request.method} ${request.url}: POST AdmissionReviews to ${REVIEW_PATHS}; GET /healthz, /readyz`));
  });
  registerReviewRoutes(app, deps, bodies);
  registerHealthRoutes(app, deps);
  return app;
}
