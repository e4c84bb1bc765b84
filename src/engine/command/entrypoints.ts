/**
 * Image ENTRYPOINTs the engine knows, so a container that gives only `args` still has a command.
 * A rule may hold for a range of vLLM releases read from the image tag: vLLM's own images ran
 * `python3 -m vllm.entrypoints.openai.api_server` up to v0.11.0 and `vllm serve` from v0.11.1.
 */
import { compileImagePattern, type ImagePattern } from '../vllm/image-pattern.js';
import { parseImageRef } from '../vllm/image-ref.js';
import { parseVersion, releaseInTag, sideOf } from '../vllm/release.js';

export interface EntrypointRule {
  /** Regular expression matched against the image reference. */
  image: string;
  command: string[];
  /**
   * The rule holds only for tags naming a final vLLM release at or after `vllmFrom` and before
   * `vllmBefore` (`0.11.1`); such a match is certain. A rule without them matches any tag, and the
   * command it gives is then a default that may not be the tag's (a floating or unversioned tag).
   */
  vllmFrom?: string;
  vllmBefore?: string;
  /** Where the ENTRYPOINT was read (file, repository, release). */
  source?: string;
}

const VLLM_OPENAI = '(?:^|/)vllm/vllm-openai(?:-rocm|-cpu|-xpu)?(?:[:@]|$)';
const API_SERVER = ['python3', '-m', 'vllm.entrypoints.openai.api_server'];
/** vllm-project/vllm commit d00d65299835 (PR #25967), first released in v0.11.1. */
const SWITCH = 'vllm-project/vllm docker/Dockerfile (also Dockerfile.cpu, Dockerfile.xpu), target vllm-openai';

/**
 * ENTRYPOINTs of common vLLM images, first match wins; callers pass their own table to change it.
 * vllm/vllm-openai tags v0.11.0 and older start the api_server module (docker/Dockerfile at v0.6.0
 * through v0.11.0: `ENTRYPOINT ["python3", "-m", "vllm.entrypoints.openai.api_server"]`); v0.11.1 and
 * newer start `vllm serve` (commit d00d65299, "Replace vllm.entrypoints.openai.api_server entrypoint
 * with vllm serve command", #25967). Tags that name no release (latest, nightly, digests) get
 * `vllm serve`, the current image's, as an uncertain default.
 * rocm/vllm is left out on purpose: AMD's images start a shell, so manifests give the whole command.
 */
export const DEFAULT_ENTRYPOINTS: EntrypointRule[] = [
  { image: VLLM_OPENAI, command: API_SERVER, vllmBefore: '0.11.1', source: `${SWITCH}, v0.6.0–v0.11.0` },
  { image: VLLM_OPENAI, command: ['vllm', 'serve'], vllmFrom: '0.11.1', source: `${SWITCH}, v0.11.1–v0.20.1` },
  { image: VLLM_OPENAI, command: ['vllm', 'serve'] },
  { image: '(?:^|/)vllm-(?:arm64-)?cpu-release-repo(?:[:@]|$)', command: ['vllm', 'serve'] },
  { image: '(?:^|/)lmcache/vllm-openai(?:[:@]|$)', command: ['vllm', 'serve'] },
  // vllm-project/vllm-spyre docker/Dockerfile.amd64 @ fc6b54b9: ENTRYPOINT simple_vllm_serve.sh, which runs `exec vllm serve "$@"`.
  { image: '(?:^|/)ibm-aiu/vllm-spyre(?:[:@]|$)', command: ['vllm', 'serve'], source: 'vllm-project/vllm-spyre docker/Dockerfile.amd64, docker/simple_vllm_serve.sh @ fc6b54b9' },
  { image: '(?:^|/)kserve/huggingfaceserver(?:-gpu)?(?:[:@]|$)', command: ['python', '-m', 'huggingfaceserver'] },
  // HabanaAI/vllm-fork Dockerfile.hpu, as vllm-project/vllm docker/Dockerfile.hpu@06218c0 (knowledge/vllm-images.ts).
  { image: '(?:^|/)opea/vllm-gaudi(?:[:@]|$)', command: ['python3', '-m', 'vllm.entrypoints.openai.api_server'] },
];

/** An entrypoint rule with its image pattern compiled (RE2 for configured ones). */
export interface CompiledEntrypoint {
  readonly pattern: ImagePattern;
  readonly command: readonly string[];
  readonly vllmFrom?: string;
  readonly vllmBefore?: string;
}

const BUILT_IN_ENTRYPOINTS: ReadonlySet<string> = new Set(DEFAULT_ENTRYPOINTS.map((rule) => rule.image));

/**
 * Compiles an entrypoint table once (createEngine does it per config). Throws ERR_CONFIG for a
 * pattern that is not RE2 or is too long.
 */
export function compileEntrypoints(table: readonly EntrypointRule[]): readonly CompiledEntrypoint[] {
  return table.map((rule) => {
    const compiled: { pattern: ImagePattern; command: readonly string[]; vllmFrom?: string; vllmBefore?: string } = {
      pattern: compileImagePattern(rule.image, BUILT_IN_ENTRYPOINTS.has(rule.image)),
      command: rule.command,
    };
    if (rule.vllmFrom !== undefined) compiled.vllmFrom = rule.vllmFrom;
    if (rule.vllmBefore !== undefined) compiled.vllmBefore = rule.vllmBefore;
    return compiled;
  });
}

/**
 * True when the tag's release (read by releaseInTag: v0.10.1.1, 0.8.5.post1, v0.9.2-cu128, v0.11.1-rc1)
 * is settled inside the rule's range; false when it names none, lies outside, or a pre-release or dev
 * build may lie on either side of a bound (sideOf: v0.11.1rc1 against `vllmFrom: 0.11.1`).
 */
function inRange(tagVersion: ReturnType<typeof parseVersion>, rule: CompiledEntrypoint): boolean {
  if (!tagVersion) return false;
  if (rule.vllmFrom !== undefined) {
    const from = parseVersion(rule.vllmFrom);
    if (!from || sideOf(tagVersion, from) !== 'after') return false;
  }
  if (rule.vllmBefore !== undefined) {
    const before = parseVersion(rule.vllmBefore);
    if (!before || sideOf(tagVersion, before) !== 'before') return false;
  }
  return true;
}

/**
 * The ENTRYPOINT the compiled table knows for an image (first matching rule wins), or null.
 * `certain` is true when a release-bounded rule matched the tag's release.
 */
export function resolveEntrypoint(image: string, table: readonly CompiledEntrypoint[]): { command: readonly string[]; certain: boolean } | null {
  let version: ReturnType<typeof parseVersion> | undefined;
  for (const rule of table) {
    if (!rule.pattern.test(image)) continue;
    const bounded = rule.vllmFrom !== undefined || rule.vllmBefore !== undefined;
    if (!bounded) return { command: rule.command, certain: false };
    if (version === undefined) {
      const tag = parseImageRef(image).tag;
      const release = tag === null ? null : releaseInTag(tag);
      version = release === null ? null : parseVersion(release);
    }
    if (inRange(version, rule)) return { command: rule.command, certain: true };
  }
  return null;
}

/** The ENTRYPOINT the compiled table knows for an image (first match wins), or null. */
export function findEntrypoint(image: string, table: readonly CompiledEntrypoint[]): readonly string[] | null {
  return resolveEntrypoint(image, table)?.command ?? null;
}
