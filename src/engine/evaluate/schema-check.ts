/**
 * A rule's schema as a plain yes/no check, next to its ajv validator. The build writes one for
 * every built-in schema made of simple keywords (policy/check-code.ts) and hangs it on the
 * validator under CHECK_PROPERTY (policy/precompiled.ts); a validator compiled at run time (a
 * team's policy, an edited built-in) has none, and ajv answers alone as before.
 *
 * The check answers exactly as the validator does but builds no error objects: the evaluator uses
 * it first and runs the validator only when it needs a failure's errors (evaluate.ts).
 */
import type { ValidateFunction } from 'ajv';

/** Whether `data` is valid against the schema; pure, allocates nothing. */
export type SchemaCheck = (data: unknown) => boolean;

/** The property of a validator that holds its plain check (a registered symbol: no name clash with ajv's). */
export const CHECK_PROPERTY: unique symbol = Symbol.for('vllm-guard.schemaCheck') as never;

/** The plain check hung on a validator, or null when it has none. */
export function schemaCheckOf(validator: ValidateFunction): SchemaCheck | null {
  const check: unknown = (validator as unknown as Record<symbol, unknown>)[CHECK_PROPERTY];
  return typeof check === 'function' ? (check as SchemaCheck) : null;
}
