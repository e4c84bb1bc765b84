/**
 * Whether a value written in a manifest is a credential as written (not a reference a Secret fills,
 * not a placeholder someone replaces), and whether a URL carries a password in its user-info.
 * Shared by no-literal-secrets' script, URL and probe-header entries. Linear scans, no regex on the
 * value beyond the bounded placeholder patterns of env.ts and command/placeholders.ts.
 * @module
 */
import { anglePlaceholderIn, rendererPlaceholderIn } from '../command/placeholders.js';
import { REFERENCE_ONLY } from './env.js';

/**
 * The credential options and the variable their value belongs in: vLLM's --api-key (VLLM_API_KEY,
 * vllm/entrypoints/openai/cli_args.py and api_server.py `args.api_key or envs.VLLM_API_KEY`) and
 * --hf-token (vllm/engine/arg_utils.py; huggingface_hub reads HF_TOKEN, src/huggingface_hub/constants.py).
 * Shared by the argv reading (written-secret-flags.ts) and the script reading (script-secrets.ts).
 */
export const FLAG_ENV: Readonly<Record<string, string>> = { 'api-key': 'VLLM_API_KEY', 'hf-token': 'HF_TOKEN' };

/** The credential options (FLAG_ENV's keys, in its order): what the argv, script and redaction readings look for. */
export const CREDENTIAL_FLAGS: readonly string[] = Object.keys(FLAG_ENV); // not frozen: filter on a frozen array takes V8's slow path (bench/PROFILE.md F2)

/**
 * A written value that is a credential: non-empty; no `$` (a `$(VAR)` the kubelet expands, a `$VAR`
 * or `$(cat /secret)` a shell expands: a Secret may fill them; unknown, never a denial); no
 * placeholder a renderer or a person replaces (`${KEY}`, `{{ .Values.key }}`, `<your-token>`: the
 * same tests as the env values, env.ts REFERENCE_ONLY, command/placeholders.ts); not a mask such as
 * `hf_***` (huggingface_hub's own docs write `--token=hf_***`, src/huggingface_hub/cli/auth.py).
 */
export function isLiteralCredential(value: string): boolean {
  if (value.trim() === '' || value.includes('$') || value.includes('{{') || value.includes('***')) return false;
  return !REFERENCE_ONLY.test(value) && anglePlaceholderIn(value) === null && rendererPlaceholderIn(value) === null;
}

/** Characters that end a URL's authority (RFC 3986 §3.2: `/`, `?`, `#`), or the word the URL sits in. */
function endsAuthority(c: string): boolean {
  return c === '/' || c === '?' || c === '#' || c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '"' || c === "'" || c === ';' || c === ',';
}

/** URLs looked at per value: a value holds one or two. */
const MAX_URLS = 8;

/**
 * Whether `text` holds a URL whose user-info has a password: `scheme://user:PASSWORD@host`
 * (`postgres://app:p4ss@db/x`, `redis://:pw@cache:6379`, `https://user:token@huggingface.co/…`).
 * RFC 3986 §3.2.1 (User Information): `userinfo = *( unreserved / pct-encoded / sub-delims / ":" )`,
 * and "Use of the format "user:password" in the userinfo field is deprecated" because it puts the
 * password in the text. Not one: `user@host` (no password), `user:@host` (empty), a password that is
 * a reference or placeholder (isLiteralCredential: `$(DB_PASSWORD)`, `${PW}`, `<password>`). Linear:
 * at most MAX_URLS authorities, each scanned once.
 */
export function urlPasswordIn(text: string): boolean {
  let from = 0;
  for (let n = 0; n < MAX_URLS; n++) {
    const sep = text.indexOf('://', from);
    if (sep < 0) return false;
    const start = sep + 3;
    let end = start;
    let at = -1;
    for (; end < text.length && !endsAuthority(text[end] as string); end++) if (text[end] === '@') at = end;
    if (at > start && sep > 0) {
      const colon = text.indexOf(':', start);
      if (colon >= 0 && colon < at && isLiteralCredential(text.slice(colon + 1, at))) return true;
    }
    from = end;
  }
  return false;
}
