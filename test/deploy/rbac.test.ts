// deploy/base/rbac.yaml, read as a file (no kubectl needed): the ClusterRole lets the audit read every
// kind it lists, the serving CRDs included, and nothing else; both sides come from src/audit/kinds.ts.
import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from './kustomize-helpers.js';
import { auditReadGrants, readGrants, type Rule } from './rbac-grants.js';
import { SERVING_KINDS } from '../../src/engine/api.js';

const documents = parseAllDocuments(readFileSync(path.join(REPO_ROOT, 'deploy/base/rbac.yaml'), 'utf8')).map((d) => d.toJS() as { kind: string; rules?: Rule[] });
const clusterRole = documents.find((d) => d.kind === 'ClusterRole');
const read = ['get', 'list', 'watch'];

t.test('the ClusterRole reads exactly what the audit lists', async (t) => {
  const rules = (clusterRole?.rules ?? []).filter((r) => r.verbs.join() === read.join());
  const granted = readGrants(rules);
  const needed = auditReadGrants();
  t.same(needed.filter((g) => !granted.includes(g)), [], 'nothing the audit lists is missing');
  t.same(granted.filter((g) => !needed.includes(g)), [], 'nothing is granted that the audit does not list');
  for (const kind of SERVING_KINDS) t.ok(granted.includes(`${kind.group}/${kind.resource}`), `${kind.kind} (${kind.resource}.${kind.group})`);
});
