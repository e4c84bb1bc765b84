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

/**
 * A plain check's source, for inlining the checks of one container role into one function
 * (screen.ts). The build writes it next to the check (policy/precompile.ts).
 */
export interface CheckSource {
  /**
   * A boolean JavaScript expression over `data` and `root` (both the facts, a plain object),
   * temporaries `t1`…`t<temps>` (each assigned before it is read), and for each member `key` of
   * `reads`, `r_<key>` (the value of `data[key]`) and `o_<key>` (whether it is a plain object).
   */
  readonly expression: string;
  readonly temps: number;
  /** Members of the facts the expression reads as `r_<key>`/`o_<key>` (identifiers; never `params` or `item`). */
  readonly reads: readonly string[];
  /** Function declarations the expression calls, named uniquely within the build; may be empty. */
  readonly helpers: string;
  /**
   * Compiles JavaScript assembled from the parts of this build's checks: `source` is the body of a
   * function of `P` (the argument `params`) and of the functions the parts call by name (`every`,
   * `equal`…), and its result is returned. One function per build (the build's generated module).
   */
  readonly link: (source: string, params: readonly unknown[]) => unknown;
}

/** The property of a validator that holds its check's source (a registered symbol, as CHECK_PROPERTY). */
export const CHECK_SOURCE_PROPERTY: unique symbol = Symbol.for('vllm-guard.checkSource') as never;

/** The check source hung on a validator, or null when it has none (a validator compiled at run time). */
export function checkSourceOf(validator: ValidateFunction): CheckSource | null {
  const source: unknown = (validator as unknown as Record<symbol, unknown>)[CHECK_SOURCE_PROPERTY];
  return typeof source === 'object' && source !== null ? (source as CheckSource) : null;
}
