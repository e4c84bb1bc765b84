/**
 * The environment for a child process (the built bin, or TypeScript through tsx) without tap's
 * coverage and process-info hooks: the child's transform or source maps differ from tap's own,
 * and merging the two coverages for the same source file skews the report (modules read 16-60%
 * that the in-process tests cover fully). What children run is covered in-process too.
 */
export function uninstrumentedEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const key of Object.keys(env)) if (key === 'NODE_V8_COVERAGE' || key === 'NODE_OPTIONS' || key.startsWith('_TAPJS')) delete env[key];
  return env;
}
