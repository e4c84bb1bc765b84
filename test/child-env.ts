/**
 * The environment for a child process (the built bin, npm, or TypeScript through tsx) without tap's
 * coverage and process-info hooks: the child's transform or source maps differ from tap's own,
 * and merging the two coverages for the same source file skews the report (modules read 16-60%
 * that the in-process tests cover fully). What children run is covered in-process too.
 *
 * Leaving tap's variables out of the env given to spawn is not enough: @tapjs/processinfo hooks
 * every spawn (process-on-spawn) and puts them back, with `--import=@tapjs/processinfo/import` in
 * NODE_OPTIONS, whatever env the caller gave. Every child then ran processinfo's module hooks on a
 * thread of its own, posting each module it loaded to the main thread, and V8 coverage through
 * the inspector: `vllm-guard check examples/bad/` took 1.7-2.0 s of CPU instead of 0.8, `npm install
 * -g` of the tarball 35 s instead of 12, about 90 s of CPU over `npm test`, for coverage files the
 * report then dropped (dist/ and node_modules are not covered). So the env is marked, and a spawn
 * listener of our own, run after processinfo's (listeners run in the order they were added), takes
 * tap's additions out again for a marked env.
 */
import processOnSpawn from 'process-on-spawn';

/** Set in an env that uninstrumentedEnv made; the listener removes it again before the child starts. */
const MARK = 'VLLM_GUARD_TEST_UNINSTRUMENTED';

/** Whether an env variable is one of tap's hooks into a child: NODE_OPTIONS (its --import), coverage, process info. */
const isTapHook = (key: string): boolean => key === 'NODE_V8_COVERAGE' || key === 'NODE_OPTIONS' || key.startsWith('_TAPJS');

processOnSpawn.addListener((options) => {
  if (options.env[MARK] === undefined) return;
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(options.env)) if (key !== MARK && !isTapHook(key)) env[key] = value;
  options.env = env;
});

/** `process.env` plus `extra`, less tap's hooks, for a child that must run as a user's process would. */
export function uninstrumentedEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra, [MARK]: '1' };
  for (const key of Object.keys(env)) if (isTapHook(key)) delete env[key];
  return env;
}
