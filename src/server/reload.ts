/**
 * The serving state (engine + server settings) and its live reload: watch the config file
 * and the policies directory, debounce, load a complete new set, swap it in one assignment.
 * A set that fails to load is logged (file and field) and counted; the last good one keeps
 * serving, so a bad ConfigMap can never take the webhook down.
 * @module
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { AuditSettings, ServerSettings } from '../config/load.js';
import { loadEngine, type EngineSources } from '../load-engine.js';
import { describeError } from '../errors.js';
import type { Engine } from '../engine/api.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { BUNDLED_POLICY_DIR } from '../policy/load.js';
import { checkSourceFiles, fingerprintBytes, SOURCE_LIMITS } from './source-files.js';
import { watchDirectories } from './watch.js';

export interface ServingState {
  readonly engine: Engine;
  readonly settings: ServerSettings;
  /** Background audit settings, read with the rest of the config (and reloaded with it). */
  readonly audit: AuditSettings;
  readonly loadedAt: Date;
  /** Files in the watched directories that were skipped (FIFOs, sockets, devices), to log. */
  readonly sourceWarnings?: readonly string[];
}

export type StateSources = EngineSources;

/** Loads config then policies (load-engine.ts); throws AppError (ERR_CONFIG / ERR_POLICY) naming file and field. */
export function loadServingState(sources: StateSources, now: Date = new Date()): ServingState {
  // Before any read: a FIFO would block the reload forever, a huge file would hold the event loop.
  const sourceWarnings = checkSourceFiles(sources.configFile, sources.policiesDir);
  const { engine, config } = loadEngine(sources);
  return { engine, settings: config.server, audit: config.audit, loadedAt: now, ...(sourceWarnings.length > 0 ? { sourceWarnings } : {}) };
}

export interface ReloaderOptions {
  readonly sources: StateSources;
  readonly initial: ServingState;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Quiet time after the last file event before reloading (default 300 ms). */
  readonly debounceMs?: number;
  /** Fallback check for missed events and re-watching a recreated directory (default 30 s). */
  readonly pollMs?: number;
  /** Injectable for tests; loadServingState by default. */
  readonly load?: (sources: StateSources) => ServingState;
}

export interface Reloader {
  /** The state serving now. */
  get(): ServingState;
  /** Reloads if any watched file changed; true when a new set was swapped in. */
  check(): boolean;
  close(): void;
}

/** Contents of the watched files, so a touch or a re-sent event does not recompile. */
function fingerprintOf(sources: StateSources): string {
  const hash = createHash('sha256');
  try {
    if (sources.configFile !== null) hash.update(fingerprintBytes(sources.configFile, SOURCE_LIMITS.maxConfigBytes));
  } catch (err: unknown) {
    hash.update(`config unreadable: ${describeError(err)}`);
  }
  const dir = sources.policiesDir ?? BUNDLED_POLICY_DIR;
  try {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      // Special files count by their type only (reading a FIFO never returns); directories not at all.
      const bytes = fingerprintBytes(path.join(dir, name), SOURCE_LIMITS.maxPolicyFileBytes);
      if (bytes === 'a directory') continue;
      hash.update(name).update('\0').update(bytes).update('\0');
    }
  } catch (err: unknown) {
    hash.update(`policies unreadable: ${describeError(err)}`);
  }
  return hash.digest('hex');
}

function watchedDirs(sources: StateSources): string[] {
  const dirs = [sources.policiesDir ?? BUNDLED_POLICY_DIR];
  // The file's directory, not the file: a ConfigMap update swaps the ..data symlink beside it.
  if (sources.configFile !== null) dirs.push(path.dirname(path.resolve(sources.configFile)));
  return [...new Set(dirs.map((dir) => path.resolve(dir)))];
}

/**
 * Watches the config file's directory and the policies directory (debounceMs, default 300 ms; a poll
 * every pollMs, default 30 s) and swaps in a new serving state when their contents change; a load that
 * fails is logged and counted, and the last good state keeps serving. Throws RangeError (from
 * watchDirectories) only when debounceMs or pollMs is outside Node's timer range.
 */
export function createReloader(opts: ReloaderOptions): Reloader {
  const { sources, logger, metrics } = opts;
  const load = opts.load ?? ((s: StateSources) => loadServingState(s));
  let current = opts.initial;
  let fingerprint = fingerprintOf(sources);
  let closed = false;
  metrics.policiesLoaded.set(current.engine.policies.policies.length);
  metrics.reloadHealthy.set(1);

  function reload(): boolean {
    try {
      const next = load(sources);
      if (next.settings.maxBodyBytes !== current.settings.maxBodyBytes) {
        logger.warn({ maxBodyBytes: next.settings.maxBodyBytes }, 'maxBodyBytes changes take effect after a restart');
      }
      current = next;
    } catch (err: unknown) {
      metrics.reloads.inc({ result: 'error' });
      metrics.reloadHealthy.set(0);
      logger.error({ error: describeError(err), policies: current.engine.policies.source }, 'reload rejected; the last good policy set keeps serving');
      return false;
    }
    metrics.reloads.inc({ result: 'success' });
    metrics.reloadHealthy.set(1);
    metrics.policiesLoaded.set(current.engine.policies.policies.length);
    logger.info({ policies: current.engine.policies.policies.length, source: current.engine.policies.source, mode: current.engine.config.mode }, 'policies reloaded');
    for (const warning of current.engine.warnings) logger.warn({ warning }, 'policy set warning');
    for (const warning of current.sourceWarnings ?? []) logger.warn({ warning }, 'file in a watched directory skipped');
    return true;
  }

  function check(): boolean {
    if (closed) return false;
    const next = fingerprintOf(sources);
    if (next === fingerprint) return false;
    fingerprint = next;
    // A directory deleted and recreated leaves a dead inotify watch behind: watch afresh.
    watcher.rewatch();
    return reload();
  }

  const watcher = watchDirectories({ dirs: watchedDirs(sources), onChange: check, debounceMs: opts.debounceMs ?? 300, pollMs: opts.pollMs ?? 30_000, logger });

  return {
    get: () => current,
    check,
    close() {
      closed = true;
      watcher.close();
    },
  };
}
