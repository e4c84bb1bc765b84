import type { OptionTable } from './option-table.js';
import type { ArgProblem } from './validate-args.js';

/**
 * How `vllm serve` treats a positional model together with `--model`, per release range, as read
 * from vLLM's sources (see each rule's source). Releases outside every range: no rule applies.
 */

export interface ServeModelRule {
  from: string;
  to: string;
  /**
   * reject-model-flag: `--model` (any value other than the default) raises ValueError, and the
   * positional model is required; reject-exact-model-token: a `--model` token (not `--model=x`) raises
   * ValueError; move-model-flag: `--model x` becomes the positional model (a second positional is
   * then an unrecognized argument).
   */
  rule: 'reject-model-flag' | 'reject-exact-model-token' | 'move-model-flag';
  /** What vLLM prints. */
  message: string;
  source: string;
}

export const SERVE_MODEL_RULES: readonly ServeModelRule[] = Object.freeze([
  {
    from: 'v0.6.0',
    to: 'v0.8.2',
    rule: 'reject-model-flag',
    message: 'With `vllm serve`, you should provide the model as a positional argument instead of via the `--model` option.',
    source: 'vllm-project/vllm vllm/scripts.py (v0.6.0–v0.7.2), vllm/entrypoints/cli/serve.py (v0.7.3–v0.8.2): serve() / cmd(); model_tag is a required positional',
  },
  {
    from: 'v0.8.3',
    to: 'v0.11.0',
    rule: 'reject-exact-model-token',
    message:
      'With `vllm serve`, you should provide the model as a positional argument or in a config file instead of via the `--model` option.',
    source: 'vllm-project/vllm vllm/utils.py (v0.8.3–v0.9.1), vllm/utils/__init__.py (v0.9.2–v0.11.0): FlexibleArgumentParser.parse_args',
  },
  {
    from: 'v0.11.1',
    to: 'v0.20.1',
    rule: 'move-model-flag',
    message: 'unrecognized arguments',
    source: 'vllm-project/vllm vllm/utils/argparse_utils.py (v0.11.1–v0.20.1): FlexibleArgumentParser.parse_args moves `--model <m>` to the positional slot',
  },
]);

/** A problem before the validator adds `verified` and `message`; `settled` true = verified whatever the version. */
export type ProblemDraft = Omit<ArgProblem, 'verified' | 'message' | 'reason'> & { settled?: boolean };

export interface ServeModelInput {
  table: OptionTable;
  /** The covered release tag, or null (version unknown or outside the table). */
  release: string | null;
  positional: { index: number; text: string | null } | null;
  /** `--model`: exact = written as a token of its own (not `--model=x`). */
  modelFlag: { index: number; exact: boolean; value: string | null } | null;
  /** An unknown word may stand for any arguments. */
  looseUnknown: boolean;
}

function inRange(table: OptionTable, tag: string, rule: ServeModelRule): boolean {
  const i = table.releases.indexOf(tag);
  const from = table.releases.indexOf(rule.from);
  return from !== -1 && i >= from && i <= table.releases.indexOf(rule.to);
}

/** The problems `vllm serve` has with where the model is given, per SERVE_MODEL_RULES. */
export function serveModelProblems(input: ServeModelInput): ProblemDraft[] {
  const { table, release, positional, modelFlag: flag } = input;
  const rule = release ? SERVE_MODEL_RULES.find((r) => inRange(table, release, r)) : undefined;
  const base = { kind: 'duplicate-model' as const, flag: '--model' };
  if (!rule) {
    // Every covered release rejects a positional model with a `--model` token, in one way or another.
    if (!flag?.exact || !positional) return [];
    return [{ ...base, tokenIndex: flag.index, summary: 'a positional model and --model together', says: `exits on it in every release ${table.oldest}–${table.newest}`, settled: true }];
  }
  const out: ProblemDraft[] = [];
  if (rule.rule === 'reject-model-flag') {
    if (flag && flag.value !== 'facebook/opt-125m') {
      out.push({ ...base, tokenIndex: flag.index, summary: `${release} takes the model only as the positional argument`, says: `raises ValueError: "${rule.message}"` });
    }
    if (!positional && !input.looseUnknown) {
      out.push({ kind: 'missing-value', flag: 'model_tag', tokenIndex: 0, summary: `${release} needs the model as the first argument`, says: 'exits: "the following arguments are required: model_tag"' });
    }
  } else if (rule.rule === 'reject-exact-model-token') {
    if (flag?.exact) out.push({ ...base, tokenIndex: flag.index, summary: `${release} refuses --model with vllm serve`, says: `raises ValueError: "${rule.message}"` });
  } else if (flag && positional) {
    const shown = positional.text ?? 'the positional model';
    out.push({ ...base, tokenIndex: flag.index, summary: `--model and the positional ${shown} both name the model`, says: `${release} moves --model first and exits: "unrecognized arguments: ${shown}"` });
  }
  return out;
}
