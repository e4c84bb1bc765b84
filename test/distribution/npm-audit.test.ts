/**
 * The production dependencies at the pinned versions have no high or critical advisory.
 * Needs the registry's audit endpoint; where it cannot be reached (offline CI, a mirror without
 * the bulk advisory API) the test is skipped with the reason, not failed.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import t from 'tap';
import { uninstrumentedEnv } from '../child-env.js';

const REPO = path.resolve(import.meta.dirname, '../..');

interface AuditReport {
  metadata?: { vulnerabilities?: Record<string, number> };
  vulnerabilities?: Record<string, { severity: string; name: string }>;
  message?: string;
}

t.test('npm audit --omit=dev: no high or critical finding', (t) => {
  const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { cwd: REPO, encoding: 'utf8', timeout: 60_000, env: uninstrumentedEnv() });
  let report: AuditReport | null = null;
  try {
    report = JSON.parse(run.stdout) as AuditReport;
  } catch {
    report = null;
  }
  const counts = report?.metadata?.vulnerabilities;
  if (!counts) {
    const why = report?.message ?? (run.error ? String(run.error) : run.stderr.split('\n').find((l) => l.trim() !== '') ?? `exit ${run.status}`);
    t.pass(`skipped: the npm audit endpoint could not be used from here, so the audit did not run: ${why}`, { skip: `npm audit unavailable: ${why}` });
    t.end();
    return;
  }
  const serious = Object.values(report?.vulnerabilities ?? {})
    .filter((v) => v.severity === 'high' || v.severity === 'critical')
    .map((v) => `${v.name} (${v.severity})`);
  t.same(serious, [], `no high or critical advisory (${JSON.stringify(counts)})`);
  t.end();
});
