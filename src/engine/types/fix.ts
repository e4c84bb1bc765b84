/**
 * Fixes as data: the operations a policy rule's fix is written with (templates, argv edits) and the
 * RFC 6902 patch rendered for one finding (evaluate/fix.ts). Their own file: the fix's shapes, from
 * the policy file to `vllm-guard fix`.
 * @module
 */
import type { ValidateFunction } from 'ajv';

/**
 * One operation of a rule's fix, with `{{…}}` templates in its strings: an RFC 6902 operation, or
 * an argv edit (`setFlag`, `renameFlag`) that the engine renders as RFC 6902 operations
 * (evaluate/fix-argv.ts).
 */
export type FixOperation = PatchFixOperation | SetFlagFixOperation | RenameFlagFixOperation;

/** An argv edit of a rule's fix: give the option `flag` (no dashes) the argv text `value` (policy.schema.json `op`). */
export interface SetFlagFixOperation {
  op: 'setFlag';
  flag: string;
  value: string;
  /** Only when the flag has exactly one value token. */
  single?: boolean;
}

/** An argv edit of a rule's fix: rename the flag token written `flag` at container field `at` (`args[3]`) to `to`. */
export interface RenameFlagFixOperation {
  op: 'renameFlag';
  flag: string;
  at: string;
  to: string;
}

/** One RFC 6902 operation of a rule's fix, with `{{…}}` templates in `path` and string values. */
export interface PatchFixOperation {
  op: 'add' | 'remove' | 'replace' | 'test';
  /** JSON Pointer relative to the workload object, e.g. `{{pointers.pod}}/volumes/-`. */
  path: string;
  value?: unknown;
  /** Only emit the operation when the target is present (or absent) in the object. */
  onlyIf?: 'present' | 'absent';
  /** Placeholders render as text even when one fills the whole value (argv tokens are strings). */
  asText?: boolean;
}

/** A rule's fix as written in its policy file (policy.schema.json `fix`). */
export interface RuleFix {
  description: string;
  patch: FixOperation[];
  /** false: the fix is a suggestion a person must accept (`--accept`), like one with `needs`. */
  certain?: boolean;
  /** The human choice the fix needs (which Secret), said instead of guessed; applied only with --accept. */
  needs?: string;
  /** The facts must match this schema for the fix to be offered. */
  when?: ValidateFunction | null;
}

/** A JSON Patch operation as rendered for one finding (RFC 6902). */
export interface PatchOperation {
  op: 'add' | 'remove' | 'replace' | 'test';
  /** JSON Pointer relative to the workload object (a List item's own object, not the List). */
  path: string;
  value?: unknown;
}

/** The fix of one finding: apply `patch` to the workload object. */
export interface FindingFix {
  /** One line saying what the patch does. */
  description: string;
  patch: PatchOperation[];
  /** Present when a person must make a choice first (a Secret's name); `vllm-guard fix` then needs --accept. */
  needs?: string;
}
