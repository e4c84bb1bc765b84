/**
 * A container's command line as the engine reads it: argv tokens after kubelet and shell expansion
 * (command/argv.ts) and the vLLM engine arguments parsed from them (vllm/args.ts). Their own file:
 * the shapes between the command stage and the vLLM stage.
 * @module
 */
import type { NotExecutable } from '../command/script-files.js';

/**
 * One argv token after kubelet and shell expansion. `unknown` holds the reason
 * when the token's value cannot be known at admission (Secret, $(cmd), …).
 */
export interface Token {
  text: string;
  unknown?: string;
  /**
   * For env lookups only: where the value comes from (literal, secretKeyRef, configMapKeyRef,
   * fieldRef, resourceFieldRef, envFrom when it may come from an envFrom source, injected).
   */
  source?: string;
  /** The container field that holds the token (`command[2]`, `args[3]`); absent for an image ENTRYPOINT. */
  at?: string;
  /** Where an expanded value came from (`env TP` for `$(TP)`), for messages. */
  from?: string;
}

/** A container's effective command line (command/argv.ts effectiveArgv). */
export interface EffectiveArgv {
  /** command + args (or ENTRYPOINT + args) after `$(VAR)` expansion; null when the ENTRYPOINT is not known. */
  tokens: Token[] | null;
  /** The container's args after `$(VAR)` expansion, known even when the ENTRYPOINT is not. */
  args: Token[];
  /**
   * Candidate commands: `[tokens]` for a plain argv, every simple command of the script for
   * `sh -c` (all branches); null when they cannot be known (unknown ENTRYPOINT or script).
   */
  commands: Token[][] | null;
  /** command, args (args without a known ENTRYPOINT), entrypoint (image default + args) or shell (`sh -c`). */
  source: 'command' | 'args' | 'entrypoint' | 'shell';
  unknownReason?: string;
  /** The ENTRYPOINT came from a rule bounded by the vLLM release the image tag names (not a default). */
  entrypointCertain?: boolean;
  /** Variables a `sh -c` script sets (`export HF_HOME=/data`), in any branch; absent when it sets none. */
  scriptVars?: ReadonlyMap<string, Token>;
  /** A script file run as a program without an execute bit (command/script-files.ts): it never runs. */
  notExecutable?: NotExecutable;
}

/**
 * A simple command of a script, with the assignments written before it (`VLLM_API_KEY=k vllm serve …`,
 * `env HF_HOME=/data vllm serve …`): POSIX XCU 2.9.1 puts them in that command's environment only.
 */
export type ScriptCommand = Token[] & { prefixVars?: ReadonlyMap<string, Token> };

/** A vLLM option's value: a number or text by the option's type, `true`/`false` for switches, a list for nargs+ options. */
export type ArgValue = string | number | boolean | string[];

/** The vLLM engine arguments of a command (vllm/args.ts parseVllmArgs). */
export interface VllmArgs {
  /** Long option names without dashes, `_` folded to `-`, aliases resolved; the last occurrence wins. */
  values: Record<string, ArgValue>;
  /** Option name → reason, for options whose value could not be known. */
  unknown: Record<string, string>;
  model: string | null;
  modelFrom: 'positional' | 'flag' | 'env' | null;
  /** Mistakes vLLM refuses at parse time (an option without its value, a stray positional). */
  problems: string[];
  /** Option name → the env var that sets it when the flag is absent (api-key ← VLLM_API_KEY); its value is then `true`. */
  fromEnv: Record<string, string>;
  /** Option name → the container field holding the flag (`args[3]`, `command[2]` for a script). */
  at: Record<string, string>;
  /** Option name → where its value was expanded from (`env TP`). */
  from: Record<string, string>;
}
