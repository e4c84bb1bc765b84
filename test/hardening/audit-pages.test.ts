// Finding 9 (audit): a misbehaving API server cannot keep the audit paging forever. A repeated
// continue token, the page ceiling per kind and the object ceiling per audit each stop the loop
// with a gap that says what was cut; what was listed before is still reported.
import t from 'tap';
import { ListFailure, type ListPage, type Lister, type ListRequest } from '../../src/audit/lister.js';
import { auditKind, type AuditKind } from '../../src/audit/kinds.js';
import { DEFAULT_PAGE_BOUNDS } from '../../src/audit/page-bounds.js';
import { scanCluster } from '../../src/audit/scanner.js';
import type { JsonObject } from '../../src/engine/types.js';
import { loadEngine } from '../audit/helpers.js';

const engine = loadEngine();
const DEPLOYMENT: AuditKind = auditKind('Deployment');
const POD: AuditKind = auditKind('Pod');

function deployment(i: number): JsonObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `web-${i}`, namespace: 'web', uid: `uid-${i}` }, spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } };
}

/**
 * A lister that never stops sending continue tokens. After `runaway` calls it fails, so a loop
 * with no bound ends as a 'failed' gap instead of hanging the test.
 */
function endlessLister(token: (call: number) => string, itemsPerPage = 2, runaway = 20_000): Lister & { calls: number } {
  const lister = {
    calls: 0,
    async list(kind: AuditKind, _request: ListRequest): Promise<ListPage> {
      lister.calls += 1;
      if (lister.calls > runaway) throw new ListFailure('failed', null, 'runaway loop');
      if (kind.kind !== 'Deployment') return { items: [] };
      const items = Array.from({ length: itemsPerPage }, (_, i) => deployment(lister.calls * itemsPerPage + i));
      return { items, continueToken: token(lister.calls) };
    },
  };
  return lister;
}

t.test('the same continue token twice stops the listing of that kind, with a gap; the other kinds are still listed', async (t) => {
  const lister = endlessLister(() => 'same-token');
  const run = await scanCluster(engine, lister, { pageSize: 2, kinds: [DEPLOYMENT, POD] });
  t.equal(lister.calls, 3, 'two Deployment pages, then Pods');
  t.equal(run.gaps.length, 1);
  const gap = run.gaps[0]!;
  t.equal(gap.kind, 'Deployment');
  t.equal(gap.reason, 'truncated');
  t.equal(gap.message, 'listing Deployment cluster-wide was cut short: the same continue token came back after 2 pages; 4 Deployment objects were checked');
  t.match(gap.hint, /continue token it had sent before/);
  t.equal(run.stats.listed, 4, 'what was listed is kept');
  t.match(run.report.errors[0]?.message, /cut short/, 'the report says so');
});

t.test('ever-new tokens stop at the page ceiling per kind', async (t) => {
  const lister = endlessLister((call) => `token-${call}`);
  const run = await scanCluster(engine, lister, { pageSize: 2, kinds: [DEPLOYMENT, POD], bounds: { maxPagesPerKind: 25, maxObjects: 1_000_000 } });
  t.equal(run.stats.pages, 26, '25 Deployment pages and one of Pods');
  t.equal(run.gaps[0]?.message, 'listing Deployment cluster-wide was cut short: stopped after 25 pages, the limit per kind; 50 Deployment objects were checked');
  t.equal(run.gaps[0]?.incomplete, true);
});

t.test('the object ceiling stops the whole audit, a page larger than asked for included', async (t) => {
  const lister = endlessLister((call) => `token-${call}`, 40);
  const run = await scanCluster(engine, lister, { pageSize: 2, kinds: [DEPLOYMENT, POD], bounds: { maxPagesPerKind: 1_000, maxObjects: 100 } });
  t.equal(run.stats.listed, 100, 'exactly the ceiling');
  t.equal(lister.calls, 3, 'Pods were not listed');
  t.match(run.gaps[0]?.message, /stopped at 100 objects in all, the limit per audit, and the kinds after it were not listed; 100 Deployment objects were checked/);
});

t.test('the defaults bound a runaway server long before it runs out of memory', async (t) => {
  t.ok(DEFAULT_PAGE_BOUNDS.maxPagesPerKind <= 10_000);
  t.ok(DEFAULT_PAGE_BOUNDS.maxObjects <= 1_000_000);
  const lister = endlessLister((call) => `token-${call}`, 1, 100_000);
  const run = await scanCluster(engine, lister, { pageSize: 500, kinds: [DEPLOYMENT] });
  t.equal(run.gaps[0]?.reason, 'truncated', 'cut by the ceiling, not by the runaway guard');
  t.equal(lister.calls, DEFAULT_PAGE_BOUNDS.maxPagesPerKind);
});
