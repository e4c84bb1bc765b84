/**
 * The two readings of a vLLM command line remembered per engine: every pod of a Deployment, and the
 * Deployment and ReplicaSet before them, carry the same argv, and reading it was the largest single
 * step of a review.
 * - validateVllmArgv (validate-args.ts): depends only on the tokens (text, why unknown, the field
 *   holding each), the image's vLLM version, whether a positional model is taken, and the table.
 * - parseVllmArgs (args.ts): depends only on the command's tokens, the env vars in ENV_READ_BY_ARGS
 *   and the config file's status.
 * Keyed on lists of values (util/values-memo.ts: no key text is built), bounded; answers are frozen,
 * so no caller can change what the next review gets.
 */
import { createValuesMemo, type KeyValue } from '../util/values-memo.js';
import type { EnvLookup } from '../command/shell.js';
import type { Token, VllmArgs } from '../types.js';
import type { ArgToken, VllmArgvResult } from './arg-types.js';
import { ENV_READ_BY_ARGS, parseVllmArgs } from './args.js';
import type { OptionTable } from './option-table.js';
import { validateVllmArgv } from './validate-args.js';

/** validateVllmArgv with the engine's table: `tokens` after `vllm serve`, `version` of the image (null: unknown). */
export type ArgvValidation = (tokens: readonly ArgToken[], version: string | null, positionalModel: boolean) => VllmArgvResult;

/**
 * Readings whose key holds more than 4 KiB of text (argv with long JSON values) or more than 1 024
 * values are made each time and not stored; an answer is stored on its key's second sight (util/memo.ts).
 */
const MEMO_BOUNDS = { maxChars: 4096, maxValues: 1024, storeOnSecondSight: true } as const;

/** One memo for one engine's option table (createEngine). */
export function createArgvValidation(table: OptionTable): ArgvValidation {
  const memo = createValuesMemo<VllmArgvResult>(undefined, MEMO_BOUNDS);
  return (tokens, version, positionalModel) => {
    // Each token is its three fields (text first, always a string): the list reads one way only.
    const key: KeyValue[] = [version, positionalModel];
    for (const token of tokens) key.push(token.text, token.unknown ?? null, token.at ?? null);
    return memo.get(key, () => validateVllmArgv(tokens, { version, table, positionalModel }));
  };
}

/** parseVllmArgs with the same inputs. */
export type ArgsReading = (command: Token[] | null, env: EnvLookup, configFile?: { status: string; reason: string | null }) => VllmArgs;

/** A token's five fields (text first, always a string), or `false` for no token. */
function pushToken(key: KeyValue[], token: Token | undefined): void {
  if (!token) key.push(false);
  else key.push(token.text, token.unknown ?? null, token.source ?? null, token.at ?? null, token.from ?? null);
}

/** One memo per engine (createEngine). */
export function createArgsReading(): ArgsReading {
  const memo = createValuesMemo<VllmArgs>(undefined, MEMO_BOUNDS);
  return (command, env, configFile) => {
    const key: KeyValue[] = configFile ? [configFile.status, configFile.reason] : [false];
    for (const name of ENV_READ_BY_ARGS) pushToken(key, env(name));
    if (command === null) key.push(true);
    else for (const token of command) pushToken(key, token);
    return memo.get(key, () => parseVllmArgs(command, env, configFile));
  };
}
