/**
 * Whether vLLM's OpenAI server requires an API key on its /v1 routes: `args.api_key or
 * envs.VLLM_API_KEY` (vllm/entrypoints/openai/api_server.py, v0.6.0–v0.20.1; empty keys are dropped
 * from v0.10.1), checked by AuthenticationMiddleware on paths starting with /v1 only (api_server.py;
 * server_utils.py in v0.20.1). A probe of a /v1 path without an Authorization header then gets 401.
 */
import type { ArgValue } from '../types.js';
import type { EnvFact } from './env.js';

/**
 * The fact `apiKey`: set (true), or not (false); `from` names the setting. `certain` is false when the
 * key comes from a Secret or ConfigMap: an empty value there would set no key. Not an unknown fact:
 * VLLM_API_KEY from a Secret is the recommended setup, and an unknown on every such review would cost
 * the policy screen (evaluate/screen.ts) its shortcut; rules read `certain` instead.
 */
export interface ApiKeyFact {
  set: boolean;
  certain: boolean;
  from: string | null;
}

/**
 * The key vLLM would require. `--api-key` wins over VLLM_API_KEY. `flagUnknown`: the --api-key value is
 * not known at admission (`$(VAR)` from a Secret); the caller makes the fact unknown then (`unknown`).
 * `demoServer`: vLLM's demo server (vllm/demo-server.ts) reads neither, so it requires no key.
 */
export function readApiKey(args: Record<string, ArgValue>, env: Record<string, EnvFact>, flagUnknown: boolean, demoServer = false): ApiKeyFact & { unknown?: string } {
  if (demoServer) return { set: false, certain: true, from: null };
  if (flagUnknown) return { set: true, certain: false, from: '--api-key', unknown: '--api-key is not known at admission (an empty value sets no key)' };
  const flag = args['api-key'];
  const flagValues = Array.isArray(flag) ? flag : typeof flag === 'string' ? [flag] : [];
  if (flagValues.some((v) => v.trim() !== '')) return { set: true, certain: true, from: '--api-key' };
  const fact = env['VLLM_API_KEY'];
  if (!fact) return { set: false, certain: true, from: null };
  if (fact.source === 'literal') return fact.empty ? { set: false, certain: true, from: null } : { set: true, certain: true, from: 'VLLM_API_KEY' };
  return { set: true, certain: false, from: `VLLM_API_KEY (${fact.source})` };
}
