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
import { createKeyScratch, createValuesMemo, pushKey, type KeyScratch } from '../util/values-memo.js';
import type { EnvLookup } from '../command/shell.js';
import type { Token, VllmArgs } from '../types.js';
import type { ArgToken, VllmArgvResult } from './arg-types.js';
import { parseVllmArgs } from './args.js';
import { ENV_READ_BY_ARGS } from './args-env.js';
import type { OptionTable } from './option-table.js';
import { validateVllmArgv } from './validate-args.js';
import { engineFlags, flagsDetail } from './detection-signals.js';

/**
 * validateVllmArgv with the engine's table: `tokens` after `vllm serve`, `version` of the image (null:
 * unknown); `abbreviations` as ValidateOptions says (default true). `reading`, when given, is the
 * frozen answer of this engine's ArgsReading for the very command `tokens` were cut from (see
 * createArgvValidation); absent or not frozen, the tokens are the key.
 */
export type ArgvValidation = (tokens: readonly ArgToken[], version: string | null, positionalModel: boolean, abbreviations?: boolean, reading?: object) => VllmArgvResult;

/** The last validation made for one remembered argv reading, with the other inputs it was made for. */
interface LastValidation {
  readonly tokens: number;
  readonly version: string | null;
  readonly positionalModel: boolean;
  readonly abbreviations: boolean;
  readonly result: VllmArgvResult;
}

/**
 * Readings whose key holds more than 4 KiB of text (argv with long JSON values) or more than 1 024
 * values are made each time and not stored; an answer is stored on its key's second sight (util/memo.ts).
 */
const MEMO_BOUNDS = { maxChars: 4096, maxValues: 1024, storeOnSecondSight: true } as const;

/** One memo for one engine's option table (createEngine). */
export function createArgvValidation(table: OptionTable): ArgvValidation {
  const memo = createValuesMemo<VllmArgvResult>(undefined, MEMO_BOUNDS);
  // The key list is refilled per look-up (util/values-memo.ts KeyScratch): no list grown per review.
  const key = createKeyScratch();
  // A remembered reading (frozen, shared by every review whose command had the same tokens) stands for
  // those tokens: the same reading object means the same command, so the same tokens after `vllm
  // serve` (their count also tells an unknown command's empty list apart). Its last validation is kept
  // beside it, weakly: a Deployment's pods repeat reading, image and launch form, and the tokens' ~100
  // values were hashed and compared a second time after the reading's own key (bench/PROFILE.md S4).
  const byReading = new WeakMap<object, LastValidation>();
  return (tokens, version, positionalModel, abbreviations = true, reading) => {
    const remembered = reading !== undefined && Object.isFrozen(reading);
    if (remembered) {
      const last = byReading.get(reading);
      if (last !== undefined && last.tokens === tokens.length && last.version === version && last.positionalModel === positionalModel && last.abbreviations === abbreviations) return last.result;
    }
    const result = validateBy(tokens, version, positionalModel, abbreviations);
    if (remembered && Object.isFrozen(result)) byReading.set(reading, { tokens: tokens.length, version, positionalModel, abbreviations, result });
    return result;
  };
  function validateBy(tokens: readonly ArgToken[], version: string | null, positionalModel: boolean, abbreviations: boolean): VllmArgvResult {
    // Each token is its three fields (text first, always a string): the list reads one way only.
    key.count = 0;
    pushKey(key, version);
    pushKey(key, positionalModel);
    pushKey(key, abbreviations);
    for (const token of tokens) {
      pushKey(key, token.text);
      pushKey(key, token.unknown ?? null);
      pushKey(key, token.at ?? null);
    }
    return memo.get(key.values, () => validateVllmArgv(tokens, { version, table, positionalModel, abbreviations }), key.count);
  }
}

/** parseVllmArgs with the same inputs. */
export type ArgsReading = (command: Token[] | null, env: EnvLookup, configFile?: { status: string; reason: string | null }) => VllmArgs;

/** A token's four fields after its text. */
function pushFields(key: KeyScratch, token: Token): void {
  pushKey(key, token.unknown ?? null);
  pushKey(key, token.source ?? null);
  pushKey(key, token.at ?? null);
  pushKey(key, token.from ?? null);
}

/**
 * One memo per engine (createEngine). The key: the config file's status, then the texts (each env
 * var of ENV_READ_BY_ARGS: its token's text or `false`; the command's token texts, or `true` for no
 * command), which alone pick the memo's slot, then the other four fields of each token there is, in
 * the same order (compared, not hashed). The layout reads one way only: the env part has a fixed
 * length, and the count of values fixes the command's.
 */
export function createArgsReading(): ArgsReading {
  const memo = createValuesMemo<VllmArgs>(undefined, MEMO_BOUNDS);
  const key = createKeyScratch();
  const envTokens: (Token | undefined)[] = [];
  return (command, env, configFile) => {
    key.count = 0;
    if (configFile) {
      pushKey(key, configFile.status);
      pushKey(key, configFile.reason);
    } else pushKey(key, false);
    for (let i = 0; i < ENV_READ_BY_ARGS.length; i++) {
      const token = env(ENV_READ_BY_ARGS[i] as string);
      envTokens[i] = token;
      pushKey(key, token ? token.text : false);
    }
    if (command === null) pushKey(key, true);
    else for (const token of command) pushKey(key, token.text);
    const hashed = key.count;
    for (let i = 0; i < ENV_READ_BY_ARGS.length; i++) {
      const token = envTokens[i];
      if (token) pushFields(key, token);
    }
    if (command !== null) for (const token of command) pushFields(key, token);
    return memo.get(key.values, () => parseVllmArgs(command, env, configFile), key.count, hashed);
  };
}

/**
 * The engine-flags signal's words (detection-signals.ts flagsDetail of engineFlags) of the first `end`
 * texts of a command, when those texts are the command's own: `reading` is this engine's ArgsReading
 * answer for that command (expanded), so the same reading means the same texts, and the words found
 * for it are kept beside it, weakly. Every review with detection looked for the flags again among the
 * same tokens (bench/PROFILE.md S8).
 */
export type ReadingFlags = (reading: object, texts: readonly string[], end: number) => string | null;

/** One per engine (createEngine). */
export function createReadingFlags(): ReadingFlags {
  const byReading = new WeakMap<object, string | null>();
  return (reading, texts, end) => {
    // A reading nobody stored (not frozen: abbreviations.ts) does not come back: not remembered.
    if (!Object.isFrozen(reading)) return flagsDetail(engineFlags(texts, end));
    let detail = byReading.get(reading);
    if (detail === undefined) {
      detail = flagsDetail(engineFlags(texts, end));
      byReading.set(reading, detail);
    }
    return detail;
  };
}
