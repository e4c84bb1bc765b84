/** Errors a person can act on: a code for programs, a message that says what and where. */
export type ErrorCode =
  | 'ERR_CONFIG'
  | 'ERR_POLICY'
  | 'ERR_INPUT'
  | 'ERR_USAGE'
  | 'ERR_TLS'
  | 'ERR_KUBE';

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
