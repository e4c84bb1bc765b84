/**
 * The one error table (fastify's lib/errors.js pattern): every code vllm-guard reports, what it
 * means, the HTTP status the webhook answers with and the exit code the CLI ends with. Server,
 * CLI and audit all take their codes from here.
 */
export const ERRORS = {
  ERR_CONFIG: { summary: 'the config file is not valid', httpStatus: 500, exitCode: 2 },
  ERR_POLICY: { summary: 'a policy file is not valid', httpStatus: 500, exitCode: 2 },
  ERR_INPUT: { summary: 'the input cannot be reviewed', httpStatus: 400, exitCode: 2 },
  ERR_USAGE: { summary: 'the command line is not valid', httpStatus: 400, exitCode: 2 },
  ERR_TLS: { summary: 'the serving certificate or key cannot be used', httpStatus: 500, exitCode: 2 },
  ERR_KUBE: { summary: 'the Kubernetes API could not be reached or refused', httpStatus: 502, exitCode: 2 },
  ERR_NOT_FOUND: { summary: 'no such route', httpStatus: 404, exitCode: 2 },
  ERR_INTERNAL: { summary: 'internal error; see the vllm-guard logs', httpStatus: 500, exitCode: 2 },
} as const satisfies Record<string, { summary: string; httpStatus: number; exitCode: number }>;

export type ErrorCode = keyof typeof ERRORS;

/** The JSON body of an error answer (webhook) or an `errors` entry (CLI JSON). */
export interface ErrorBody {
  readonly error: ErrorCode;
  /** Stable, for metrics and programs: not-an-object, wrong-api-version, too-large, … */
  readonly reason?: string;
  readonly message: string;
}

/** An error answer's body; the message says what and where, never object contents. */
export function errorBody(code: ErrorCode, message: string, reason?: string): ErrorBody {
  return reason === undefined ? { error: code, message } : { error: code, reason, message };
}

/**
 * An expected failure (bad config, policy, input, usage, TLS, Kubernetes API): `code` (a key of ERRORS)
 * picks the HTTP status and exit code; `message` names the file, line or field and is shown as is, one
 * line without a stack; `cause` keeps the underlying error.
 */
export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
}

/** The message of anything thrown, without its stack. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
