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
