/**
 * Shapes of the vLLM option table (src/engine/knowledge/vllm-options/options.json), produced by
 * tools/vllm-options/extract.ts from vLLM's own sources and read by option-table.ts.
 */

/**
 * How argparse turns the text into a value:
 * - int / float: Python's `int()` / `float()`;
 * - human-int: vLLM's `human_readable_int` (`1k` = 1000, `1K` = 1024);
 * - human-int-or-auto: vLLM's `human_readable_int_or_auto` (also `auto` and `-1` → -1);
 * - json: `json.loads` (or a config dataclass validated from JSON);
 * - json-or-str: vLLM's `union_dict_and_str` (JSON when it looks like an object, else text);
 * - kvs: vLLM's `nullable_kvs` (`image=2,video=1`);
 * - json-or-kvs: `parse_type(json.loads)` / `optional_type(json.loads)` of v0.8.5–v0.9.2, which read a text
 *   not matching `^{.*}$` with `nullable_kvs` ("deprecated … will be removed in v0.10.0"): `image=10` or JSON;
 * - str: any text; unknown: the extractor could not tell, so any text is accepted.
 */
export type OptionValueType = 'int' | 'float' | 'str' | 'human-int' | 'human-int-or-auto' | 'json' | 'json-or-str' | 'json-or-kvs' | 'kvs' | 'unknown';

/**
 * argparse actions: store (takes a value), store_true (no value), bool-optional
 * (`argparse.BooleanOptionalAction`: `--x` / `--no-x`), store-boolean (vLLM's `StoreBoolean`: a
 * value `true`/`false`), append (a value, repeatable), custom (an Action class of vLLM's that takes
 * values, e.g. LoRAParserAction).
 */
export type OptionAction = 'store' | 'store_true' | 'bool-optional' | 'store-boolean' | 'append' | 'custom';

export interface OptionSpec {
  action: OptionAction;
  /** For actions that take a value. */
  value?: OptionValueType;
  nargs?: '+' | '*' | '?' | number;
  /** argparse `choices`, as text (ints written as digits, Python None as 'None'). */
  choices?: string[];
  /** Set when vLLM restricts the choices but the extractor could not read them: no choice check. */
  choicesUnknown?: string;
  /** `optional_type`/`nullable_str`: '' and 'None' are read as None before the type applies. */
  acceptsNone?: boolean;
  /** `deprecated=True` on the argument (vLLM logs "argument '…' is deprecated"). */
  deprecated?: boolean;
  /** The option the help text names instead ("use --x instead"), when it names one. */
  replacement?: string;
  /** Other option strings of the same argument (`-tp`, `-q`, …). */
  aliases?: string[];
  /** Repository path the argument was read from. */
  file: string;
  /** Config class and field when the argument comes from `get_kwargs(<class>)`. */
  field?: string;
}

/** One spec valid over a contiguous run of covered releases (`from`..`to`, both inclusive). */
export interface OptionSpan extends OptionSpec {
  from: string;
  to: string;
}

export interface OptionEntry {
  /** Long name with dashes, e.g. `--tensor-parallel-size`. */
  name: string;
  spans: OptionSpan[];
}

export interface CoveredRelease {
  tag: string;
  commit: string;
  date: string;
}

export interface OptionTableData {
  source: {
    repository: string;
    readFrom: string;
    files: string[];
    extractor: string;
    notes: string[];
  };
  releases: CoveredRelease[];
  options: OptionEntry[];
}

export interface EnvVarSpan {
  from: string;
  to: string;
  type: 'bool' | 'int' | 'float' | 'str' | 'unknown';
  choices?: string[];
}

export interface EnvVarEntry {
  name: string;
  spans: EnvVarSpan[];
}

export interface EnvTableData {
  source: { repository: string; readFrom: string; files: string[]; extractor: string; notes: string[] };
  releases: CoveredRelease[];
  variables: EnvVarEntry[];
}
