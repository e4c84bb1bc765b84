/**
 * Masks credentials in finding text. A denial message goes to the API server's audit log, kubectl,
 * every report and the logs, so a value that is (or came from) a credential must never appear in
 * one: literal values of secret-named env vars (the config's secretEnv, and names that say TOKEN,
 * SECRET, PASSWORD, API_KEY, ACCESS_KEY or CREDENTIAL), values of --api-key and --hf-token, values
 * expanded from them through $(VAR), and the user-info of URLs (`https://user:pass@host`).
 */
import type { EnvFact } from '../facts/env.js';
import type { VllmArgs } from '../types.js';
import { CREDENTIAL_FLAGS } from '../facts/credential-values.js';

export const MASK = '***';
const SECRET_NAME = /TOKEN|SECRET|PASSW(?:OR)?D|API_?KEY|ACCESS_?KEY|CREDENTIAL/i;
/** scheme://user[:password]@ — bounded: finding text is short (values are cut at 80 characters). */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]{0,30}:\/\/)[^\s/@]{1,256}@/gi;
/** Shorter values are not masked: they would mask ordinary words. */
const MIN_SECRET = 4;

/** A function that masks what `collectSecrets` found; identity apart from URL user-info when nothing was. */
export type Redactor = (text: string) => string;

/** The credential values of one container: env literals of secret names and secret flags' values. */
export function collectSecrets(env: Readonly<Record<string, EnvFact>>, secretNames: ReadonlySet<string>, args: VllmArgs): string[] {
  const values: string[] = [];
  for (const name of Object.keys(env)) {
    const value = env[name]?.value;
    if (value && value.length >= MIN_SECRET && (secretNames.has(name) || SECRET_NAME.test(name))) values.push(value);
  }
  for (const flag of CREDENTIAL_FLAGS) {
    const value = args.values[flag];
    if (typeof value === 'string' && value.length >= MIN_SECRET && !(flag in args.unknown)) values.push(value);
  }
  // Longest first, so a value that contains another is masked whole.
  return values.sort((a, b) => b.length - a.length);
}

/** Builds the masking function for one container's findings. */
export function createRedactor(secrets: readonly string[]): Redactor {
  return (text: string): string => {
    // The pattern needs `://`; most text has none, and skipping the scan is the same answer.
    let out = text.includes('://') ? text.replace(URL_USERINFO, `$1${MASK}@`) : text;
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(MASK);
    return out;
  };
}
