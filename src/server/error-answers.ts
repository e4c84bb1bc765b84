/**
 * The JSON answers to Fastify's own errors (a body that is not JSON, too large, of the wrong type):
 * 400 with the reason and a sentence, anything else a 500 from the error table. Its own file: the
 * error mapping, apart from the routes (app.ts).
 * @module
 */
import type { FastifyError } from 'fastify';
import { ERRORS, errorBody, type ErrorBody } from '../errors.js';
import type { InputError } from '../admission/review.js';
import { BodyRejected } from './body.js';

function inputError(reason: string, message: string): InputError {
  return { error: 'ERR_INPUT', reason, message };
}

/**
 * Fastify's own body errors, answered as the issue asks: 400 with a clear JSON error (`bodyLimit`
 * in bytes, for the too-large sentence); any other error a 500.
 */
export function classifyError(error: FastifyError, bodyLimit: number): { status: number; body: ErrorBody } {
  if (error instanceof BodyRejected) return { status: error.statusCode, body: inputError(error.reason, error.message) };
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, body: inputError('invalid-json', 'the body is not valid JSON') };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: inputError('empty-body', 'the body is empty: send an admission.k8s.io/v1 AdmissionReview') };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 400, body: inputError('wrong-content-type', 'Content-Type must be application/json') };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 400, body: inputError('too-large', `the body is over the limit of ${bodyLimit} bytes (config maxBodyBytes)`) };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, body: inputError('bad-content-length', 'Content-Length does not match the body') };
    default:
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        return { status: 400, body: inputError('bad-request', error.message) };
      }
      return { status: ERRORS.ERR_INTERNAL.httpStatus, body: errorBody('ERR_INTERNAL', ERRORS.ERR_INTERNAL.summary) };
  }
}
