/**
 * AdmissionReview v1 in and out: checks the shape of what the API server sent and builds
 * the answer. Pure: no HTTP, no engine.
 * @module
 */

import type { ErrorBody } from '../errors.js';
export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';
export const ADMISSION_KIND = 'AdmissionReview';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
const OPERATIONS: ReadonlySet<string> = new Set(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']);

export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** The fields of admission.k8s.io/v1 AdmissionRequest that vllm-guard reads. */
export interface AdmissionRequest {
  readonly uid: string;
  readonly kind: GroupVersionKind;
  readonly operation: Operation;
  readonly namespace: string;
  readonly name: string;
  readonly username: string;
  /** The object as it will be stored; absent for DELETE and some CONNECT requests. */
  readonly object: unknown;
  /** The stored object an UPDATE replaces. */
  readonly oldObject: unknown;
  readonly dryRun: boolean;
}

export interface AdmissionReviewIn {
  readonly apiVersion: string;
  readonly kind: string;
  readonly request: AdmissionRequest;
}

export interface AdmissionStatus {
  readonly code: number;
  readonly reason?: string;
  readonly message: string;
}

export interface AdmissionResponse {
  readonly uid: string;
  readonly allowed: boolean;
  readonly status?: AdmissionStatus;
  readonly warnings?: string[];
}

export interface AdmissionReviewOut {
  readonly apiVersion: string;
  readonly kind: string;
  readonly response: AdmissionResponse;
}

/** What a caller gets back for input we cannot review: HTTP 400 with this JSON body (errors.ts). */
export type InputError = ErrorBody & { readonly error: 'ERR_INPUT'; readonly reason: string };

export type ParseResult = { ok: true; review: AdmissionReviewIn } | { ok: false; error: InputError };

function fail(reason: string, message: string): ParseResult {
  return { ok: false, error: { error: 'ERR_INPUT', reason, message } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function readKind(value: unknown): GroupVersionKind | null {
  if (!isRecord(value) || typeof value.kind !== 'string' || value.kind === '') return null;
  return { group: readString(value.group), version: readString(value.version), kind: value.kind };
}

/**
 * Checks an already JSON-parsed body. `object` may be absent only for DELETE and CONNECT,
 * the operations the API server sends without one.
 */
export function parseAdmissionReview(body: unknown): ParseResult {
  if (!isRecord(body)) return fail('not-an-object', 'the body must be a JSON object: an admission.k8s.io/v1 AdmissionReview');
  if (body.kind !== ADMISSION_KIND) {
    return fail('wrong-kind', `kind must be ${ADMISSION_KIND}, got ${describeValue(body.kind)}`);
  }
  if (body.apiVersion !== ADMISSION_API_VERSION) {
    return fail(
      'wrong-api-version',
      `apiVersion must be ${ADMISSION_API_VERSION}, got ${describeValue(body.apiVersion)}: set admissionReviewVersions: ["v1"] in the webhook configuration`,
    );
  }
  const request = body.request;
  if (!isRecord(request)) return fail('missing-request', 'request is missing: an AdmissionReview to review needs request');
  if (typeof request.uid !== 'string' || request.uid === '') return fail('missing-uid', 'request.uid is missing or not a string');
  const operation = request.operation;
  if (typeof operation !== 'string' || !OPERATIONS.has(operation)) {
    return fail('bad-operation', `request.operation must be CREATE, UPDATE, DELETE or CONNECT, got ${describeValue(operation)}`);
  }
  const kind = readKind(request.kind);
  if (!kind) return fail('missing-kind', 'request.kind.kind is missing');
  const needsObject = operation === 'CREATE' || operation === 'UPDATE';
  if (needsObject && !isRecord(request.object)) {
    return fail('missing-object', `request.object is missing or not an object; ${operation} requests carry the object`);
  }
  const userInfo = isRecord(request.userInfo) ? request.userInfo : {};
  return {
    ok: true,
    review: {
      apiVersion: body.apiVersion,
      kind: body.kind,
      request: {
        uid: request.uid,
        kind,
        operation: operation as Operation,
        namespace: readString(request.namespace),
        name: readString(request.name),
        username: readString(userInfo.username),
        object: request.object,
        oldObject: request.oldObject,
        dryRun: request.dryRun === true,
      },
    },
  };
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  // JSON.stringify gives undefined only for a function or symbol, which parsed JSON never holds.
  const text = JSON.stringify(value) ?? `a ${typeof value}`;
  // The caller sent it, so it is echoed back, but never at length.
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The answer: same apiVersion and kind as the request, uid echoed, never a patch. */
export function buildReviewResponse(review: AdmissionReviewIn, response: Omit<AdmissionResponse, 'uid'>): AdmissionReviewOut {
  return {
    apiVersion: review.apiVersion,
    kind: review.kind,
    response: { uid: review.request.uid, ...response },
  };
}
