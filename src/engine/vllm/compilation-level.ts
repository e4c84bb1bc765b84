/**
 * `--compilation-config 3`: a bare optimization level where vLLM wants a JSON object. Public report:
 * kubernetes-sigs/gateway-api-inference-extension#2243 (config/manifests/vllm/gpu-deployment.yaml on
 * vLLM v0.11.0: "argument --compilation-config/-O: 1 validation error for CompilationConfig  Input
 * should be an object [type=dataclass_type, input_value=3, input_type=int]").
 *
 * What vLLM does with the text, at its release tags:
 * - v0.6.5–v0.9.1: `CompilationConfig.from_cli` takes "0".."3" as the level (vllm/config.py).
 * - v0.9.2–v0.10.2: `from_cli` is `TypeAdapter(CompilationConfig).validate_json(cli_value)`, called by
 *   `parse_dataclass` in vllm/engine/arg_utils.py, which turns pydantic's ValidationError into the
 *   argparse error above; v0.11.0–v0.20.1: `parse_dataclass` calls `validate_json` itself.
 * `-O 3` and `-O3` are rewritten by FlexibleArgumentParser before parsing (to `-O.level=3`, and to
 * --optimization-level from v0.12.0), so only the long spelling and `-cc` are refused.
 */
import { compareParts, parseVersion } from './release.js';

const REFUSED_FROM = parseVersion('v0.9.2');
/** CompilationConfig.mode replaced level in v0.11.1 (vllm/config/compilation.py). */
const MODE_FROM = parseVersion('v0.11.1');

function atLeast(release: string, from: ReturnType<typeof parseVersion>): boolean {
  const v = parseVersion(release);
  return v !== null && from !== null && compareParts(v, from) >= 0;
}

/**
 * For a `--compilation-config` value written as `flag`: when `release` (a covered tag) refuses a bare
 * level, vLLM's error and the fix; null when the release takes it, the text is no bare integer, the
 * flag is `-O` (rewritten before parsing), or the release is unknown (never a denial then).
 */
export function bareCompilationLevel(release: string | null, flag: string, text: string): { says: string; fix: string } | null {
  if (release === null || flag === '-O' || !/^\s*-?\d+\s*$/.test(text) || !atLeast(release, REFUSED_FROM)) return null;
  const key = atLeast(release, MODE_FROM) ? 'mode' : 'level';
  return {
    says: 'exits: "1 validation error for CompilationConfig: Input should be an object"',
    fix: `write a JSON object, --compilation-config '{"${key}": ${text.trim()}}', or -O${text.trim()}`,
  };
}
