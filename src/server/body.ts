/**
 * How a request body becomes JSON on the review routes, with its costs bounded before the
 * parse: the byte limit (Fastify's, from Content-Length and while reading), a one-pass scan
 * of nesting depth and value count (admission/body-scan.ts), and a budget on the bytes of
 * bodies being received at once across all connections, so many slow uploads cannot hold
 * the pod's memory. Prototype-poisoning keys are still removed by Fastify's own JSON parser
 * (secure-json-parse): the scan tells whether a body may hold one, and a body that cannot is
 * parsed by JSON.parse alone, without the parser's two regular-expression passes over the text
 * (the same object: they only decide whether the filter runs, and it would remove nothing).
 * @module
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { surveyJsonBody } from '../admission/body-scan.js';
import type { BodyLimits } from './limits.js';

/** A body refused before or instead of parsing; the error handler answers it as JSON. */
export class BodyRejected extends Error {
  readonly reason: string;
  readonly statusCode: number;

  constructor(reason: string, message: string, statusCode: number) {
    super(message);
    this.name = 'BodyRejected';
    this.reason = reason;
    this.statusCode = statusCode;
  }
}

/** What the pre-scan counted in a body it passed: its bytes and its values (admission/body-scan.ts). */
export interface BodyMeasure {
  readonly bytes: number;
  readonly values: number;
}

/** The measure of each request whose JSON body was scanned and handed to the parser. */
export interface BodyMeasures {
  of(request: FastifyRequest): BodyMeasure | undefined;
}

const NOT_PARSED = Symbol('not parsed');

/**
 * JSON.parse of a text the scan proved holds no key a prototype-poisoning filter removes, or
 * NOT_PARSED when it is not JSON (Fastify's parser then gives the answer it always gave).
 */
function parseWithoutPrototypeKeys(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_PARSED;
  }
}

/** Bytes a request's body may occupy while it is received: its Content-Length, or the limit when chunked. */
function expectedBytes(request: FastifyRequest, bodyLimit: number): number {
  const header = request.headers['content-length'];
  if (header !== undefined) {
    const length = Number(header);
    // Over the limit: Fastify refuses it before reading a byte, so it holds nothing.
    return Number.isSafeInteger(length) && length >= 0 && length <= bodyLimit ? length : 0;
  }
  return request.headers['transfer-encoding'] !== undefined ? bodyLimit : 0;
}

/**
 * Replaces the application/json parser and installs the in-flight byte budget.
 * Rejections: 400 too-deep / too-many-values (the API server then applies the webhook's
 * failurePolicy and shows the message), 503 busy when the in-flight budget is spent.
 * Returns what the scan counted in each body it passed, for the route's review budget.
 */
export function registerJsonBody(app: FastifyInstance, opts: { bodyLimit: number; limits: BodyLimits }): BodyMeasures {
  const { bodyLimit, limits } = opts;
  const parseJson = app.getDefaultJsonParser('remove', 'remove');
  const measures = new WeakMap<FastifyRequest, BodyMeasure>();
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    const bytes = body as Buffer;
    const survey = surveyJsonBody(bytes, limits);
    if ('reason' in survey) {
      done(new BodyRejected(survey.reason, survey.message, 400), undefined);
      return;
    }
    measures.set(request, { bytes: bytes.length, values: survey.values });
    const text = bytes.toString('utf8');
    if (!survey.prototypeKeys && bytes.length > 0) {
      const parsed = parseWithoutPrototypeKeys(text);
      if (parsed !== NOT_PARSED) {
        done(null, parsed);
        return;
      }
    }
    // Fastify's parser (secure-json-parse, prototype keys removed) takes the text, and answers
    // the empty and the malformed body (a byte-order mark too, which it strips) as it always did.
    void parseJson(request, text, done);
  });

  let pending = 0;
  const reserved = new WeakMap<FastifyRequest, number>();
  const release = (request: FastifyRequest): void => {
    const bytes = reserved.get(request);
    if (bytes === undefined) return;
    reserved.delete(request);
    pending -= bytes;
  };
  app.addHook('preParsing', (request, _reply, payload, done) => {
    const bytes = expectedBytes(request, bodyLimit);
    if (bytes > 0) {
      if (pending + bytes > limits.maxPendingBytes) {
        done(new BodyRejected('busy', `too many request bodies in flight (over ${limits.maxPendingBytes} bytes, --max-pending-body-bytes); retry`, 503), payload);
        return;
      }
      pending += bytes;
      reserved.set(request, bytes);
    }
    done(null, payload);
  });
  app.addHook('onResponse', (request, _reply, done) => {
    release(request);
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    release(request);
    done();
  });
  return { of: (request) => measures.get(request) };
}
