/**
 * The two readings of a vLLM command line remembered per engine: every pod of a Deployment, and the
 * Deployment and ReplicaSet before them, carry the same argv, and reading it was the largest single
 * step of a review.
 * - validateVllmArgv (validate-args.ts): depends only on the tokens (text, why unknown, the field
 *   holding each), the image's vLLM version, whether a positional model is taken, and the table.
 * - parseVllmArgs (args.ts): depends only on the command's tokens, the env vars in ENV_READ_BY_ARGS
 *   and the config file's status.
 * Bounded (util/memo.ts); answers are frozen, so no caller can change what the next review gets.
 */
import { createMemo, freezeDeep } from '../util/memo.js';
import type { EnvLookup } from '../command/shell.js';
import type { Token, VllmArgs } from '../types.js';
import type { ArgToken, VllmArgvResult } from './arg-types.js';
import { ENV_READ_BY_ARGS, parseVllmArgs } from './args.js';
import type { OptionTable } from './option-table.js';
import { validateVllmArgv } from './validate-args.js';

/** validateVllmArgv with the engine's table: `tokens` after `vllm serve`, `version` of the image (null: unknown). */
export type ArgvValidation = (tokens: readonly ArgToken[], version: string | null, positionalModel: boolean) => VllmArgvResult;

/** Keys longer than this (argv with long JSON values) are checked each time and not stored. */
const MAX_KEY = 4096;

/** One memo for one engine's option table (createEngine). */
export function createArgvValidation(table: OptionTable): ArgvValidation {
  const memo = createMemo<VllmArgvResult>(undefined, MAX_KEY, { storeOnSecondSight: true });
  return (tokens, version, positionalModel) => {
    // Separators that cannot occur in a token's fields' meaning: \u0000 between fields, \u0001 between tokens.
    let key = `${version ?? ''}\u0000${positionalModel ? 1 : 0}`;
    for (const token of tokens) {
      key += `\u0001${token.text}\u0000${token.unknown ?? ''}\u0000${token.at ?? ''}`;
      if (key.length > MAX_KEY) return validateVllmArgv(tokens, { version, table, positionalModel });
    }
    return memo.get(key, () => freezeDeep(validateVllmArgv(tokens, { version, table, positionalModel })));
  };
}

/** parseVllmArgs with the same inputs. */
export type ArgsReading = (command: Token[] | null, env: EnvLookup, configFile?: { status: string; reason: string | null }) => VllmArgs;

function tokenKey(token: Token | undefined): string {
  if (!token) return '\u0002';
  return `${token.text}\u0000${token.unknown ?? ''}\u0000${token.source ?? ''}\u0000${token.at ?? ''}\u0000${token.from ?? ''}`;
}

/** One memo per engine (createEngine). */
export function createArgsReading(): ArgsReading {
  const memo = createMemo<VllmArgs>(undefined, MAX_KEY, { storeOnSecondSight: true });
  return (command, env, configFile) => {
    let key = configFile ? `${configFile.status}\u0000${configFile.reason ?? ''}` : '\u0002';
    for (const name of ENV_READ_BY_ARGS) key += `\u0001${tokenKey(env(name))}`;
    if (command === null) key += '\u0003';
    else {
      for (const token of command) {
        key += `\u0001${tokenKey(token)}`;
        if (key.length > MAX_KEY) return parseVllmArgs(command, env, configFile);
      }
    }
    return memo.get(key, () => freezeDeep(parseVllmArgs(command, env, configFile)));
  };
}
