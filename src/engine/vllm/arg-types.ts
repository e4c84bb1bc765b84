/** Shapes of validateVllmArgv's input and output (src/engine/vllm/validate-args.ts). */
import type { OptionTable, ReleaseResolution } from './option-table.js';
import type { ParsedValue } from './option-values.js';

export interface ArgToken {
  text: string;
  /** Why the text is not known (valueFrom, command substitution, …); such a token is not judged. */
  unknown?: string;
  /** The container field that holds the token (`args[3]`), when known. */
  at?: string;
}

export type ArgProblemKind =
  | 'unknown-flag'
  | 'missing-value'
  | 'bad-type'
  | 'bad-choice'
  | 'removed'
  | 'deprecated'
  | 'duplicate-model'
  | 'unrecognized-argument'
  /** vLLM cannot load the `--config` file (not .yaml/.yml, not YAML, a missing ConfigMap key). */
  | 'config-file';

export interface ArgProblem {
  kind: ArgProblemKind;
  /** The flag as written (`--tensor-paralel-size`), or `model_tag` for the positional model. */
  flag: string;
  tokenIndex: number;
  /** The container field that holds the flag (`args[3]`), when the token says. */
  at?: string;
  value?: string;
  suggestion?: string;
  replacement?: string;
  /**
   * The flag to write instead when that is certain: the release is known and the suggestion is the
   * only option that close, or the replacement takes the same kind of value as the old flag.
   */
  rename?: string;
  /** The fix in vLLM's own terms, when the generic one ("give --x a value … accepts") would not help. */
  advice?: string;
  /** The values the release accepts (bad-choice). */
  choices?: readonly string[];
  /** Short: what is wrong, in our words (fits a policy message placeholder). */
  summary: string;
  /** What vLLM does, quoting its own message where known (`exits: "unrecognized arguments: --x"`). */
  says: string;
  /** summary and says in one line. */
  message: string;
  /**
   * False when the table cannot settle it for this image (version unknown or newer than the
   * table): policies must not deny on it. `reason` says why.
   */
  verified: boolean;
  reason?: string;
}

export interface VllmArgvResult {
  release: ReleaseResolution;
  problems: ArgProblem[];
  /** Parsed values by option name without dashes (`max-model-len`); lists for nargs options. */
  values: Record<string, ParsedValue | ParsedValue[]>;
  /** Options whose value is unknown, with the reason. */
  unknownValues: Record<string, string>;
  /** Where the model comes from: the positional argument or `--model`. */
  model: { from: 'positional' | 'flag'; value: string | null; tokenIndex: number } | null;
}

export interface ValidateOptions {
  version: string | null;
  table: OptionTable;
  /** `vllm serve` takes a positional model; `python -m vllm.entrypoints.openai.api_server` does not. */
  positionalModel?: boolean;
  /**
   * argparse's unique-prefix abbreviations (`--max-num-seq` for `--max-num-seqs`) are accepted (default
   * true). false for options given as Python keyword arguments (a Ray Serve LLM app's engine_kwargs),
   * where only the exact name exists.
   */
  abbreviations?: boolean;
}
