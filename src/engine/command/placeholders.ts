/** Renderer placeholders in an exec-form argv: values the kubelet never expands, unknown at review. */
import type { Token } from '../types.js';

/**
 * `${VAR}`, a whole-word `$VAR` and `{{ … }}` in an exec-form argv: the kubelet expands only `$(VAR)`,
 * so these are placeholders a renderer (envsubst, Helm) fills before the manifest is applied.
 */
const RENDERER_PLACEHOLDER = /\$\{[A-Za-z_][A-Za-z0-9_]*\}|^\$[A-Za-z_][A-Za-z0-9_]*$|\{\{[^{}]*\}\}/;
// Not ending in a parenthesis: it is read inside "could not be verified (…)".
const RENDERER_REASON = 'a placeholder for a renderer such as envsubst or Helm to fill: the kubelet expands only $(VAR) references';

/**
 * `<your-model-path>`, `--model=<your-model-path>`: the angle-bracket marker that documentation writes for a
 * value a person fills in before applying (vLLM's docs/deployment/frameworks/lws.md `value: <your-hf-token>`,
 * vllm-project/tpu-inference examples/offload/gke `--model=<your-model-path>`). Whole value or an option's
 * `=` value, no space or bracket inside: `a<b` or a sentence with brackets is not one.
 */
const ANGLE_PLACEHOLDER = /^(?:--?[A-Za-z][A-Za-z0-9_.-]*=)?<[^<>\s]+>$/;
/** Why a `<…>` placeholder is unknown; not ending in a parenthesis, as it is read inside "could not be verified (…)". */
export const ANGLE_REASON = 'a placeholder in angle brackets for a person to replace before the manifest is applied';

/** `${VAR}` or `{{ … }}` anywhere in a value: what a renderer fills, never a value a process should see. */
const RENDERED_IN_VALUE = /\$\{[A-Za-z_][A-Za-z0-9_]*\}|\{\{[^{}]*\}\}/;

/**
 * Why a literal env value is unknown when it holds a renderer placeholder (`value: "${INFERENCE_MODEL}"`
 * in an envsubst template): the kubelet passes it as written, so a script expanding the variable gets
 * the placeholder, not a model. Null for any other value (`$(VAR)` is the kubelet's own and expanded).
 */
export function rendererPlaceholderIn(value: string): string | null {
  if (value.startsWith('<') && ANGLE_PLACEHOLDER.test(value)) return ANGLE_REASON;
  return (value.includes('${') || value.includes('{{')) && RENDERED_IN_VALUE.test(value) ? RENDERER_REASON : null;
}

/** Why one argv word is a placeholder to be replaced (`<your-model-path>`, `--model=<…>`), or null. */
export function anglePlaceholderIn(word: string): string | null {
  return word.endsWith('>') && ANGLE_PLACEHOLDER.test(word) ? ANGLE_REASON : null;
}

/**
 * The argv with its renderer placeholders unknown (docs/recognition.md: a placeholder is an unknown
 * value, never a reason to deny); the same array when it has none. Tokens are copied, never changed.
 */
export function markRendererPlaceholders(argv: Token[]): Token[] {
  let out: Token[] | null = null;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as Token;
    if (token.unknown) continue;
    const reason = (token.text.includes('$') || token.text.includes('{{')) && RENDERER_PLACEHOLDER.test(token.text) ? RENDERER_REASON : anglePlaceholderIn(token.text);
    if (reason === null) continue;
    out ??= argv.slice();
    out[i] = { ...token, unknown: reason };
  }
  return out ?? argv;
}
