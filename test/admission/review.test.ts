/** AdmissionReview parsing and the response shape, as the API server sends and reads them. */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { buildReviewResponse, parseAdmissionReview } from '../../src/admission/review.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../fixtures/admission/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

function withRequest(change: (request: Record<string, unknown>) => void): unknown {
  const review = fixture('deployment-deny.json');
  change(review.request as Record<string, unknown>);
  return review;
}

t.test('bad input is refused with a reason and a message that says what to send', async (t) => {
  const cases: { name: string; body: unknown; reason: string; mentions: string }[] = [
    { name: 'not an object', body: [1, 2], reason: 'not-an-object', mentions: 'AdmissionReview' },
    { name: 'null', body: null, reason: 'not-an-object', mentions: 'JSON object' },
    { name: 'other kind', body: { ...fixture('deployment-deny.json'), kind: 'Deployment' }, reason: 'wrong-kind', mentions: '"Deployment"' },
    { name: 'v1beta1', body: { ...fixture('deployment-deny.json'), apiVersion: 'admission.k8s.io/v1beta1' }, reason: 'wrong-api-version', mentions: 'admissionReviewVersions' },
    { name: 'no request', body: { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }, reason: 'missing-request', mentions: 'request' },
    { name: 'no uid', body: withRequest((r) => delete r.uid), reason: 'missing-uid', mentions: 'request.uid' },
    { name: 'numeric uid', body: withRequest((r) => (r.uid = 42)), reason: 'missing-uid', mentions: 'request.uid' },
    { name: 'odd operation', body: withRequest((r) => (r.operation = 'PATCH')), reason: 'bad-operation', mentions: '"PATCH"' },
    { name: 'no kind', body: withRequest((r) => delete r.kind), reason: 'missing-kind', mentions: 'request.kind' },
    { name: 'CREATE without object', body: withRequest((r) => delete r.object), reason: 'missing-object', mentions: 'CREATE' },
    { name: 'UPDATE with a string object', body: withRequest((r) => ((r.operation = 'UPDATE'), (r.object = 'x'))), reason: 'missing-object', mentions: 'UPDATE' },
  ];
  for (const c of cases) {
    const result = parseAdmissionReview(c.body);
    t.equal(result.ok, false, c.name);
    if (result.ok) continue;
    t.equal(result.error.reason, c.reason, `${c.name}: reason`);
    t.equal(result.error.error, 'ERR_INPUT', `${c.name}: code`);
    t.match(result.error.message, c.mentions, `${c.name}: message`);
  }
});

t.test('a long wrong value is echoed back shortened', async (t) => {
  const result = parseAdmissionReview({ kind: 'x'.repeat(500) });
  t.equal(result.ok, false);
  if (!result.ok) t.ok(result.error.message.length < 150, result.error.message);
});

t.test('DELETE may come without an object', async (t) => {
  const result = parseAdmissionReview(fixture('delete.json'));
  t.equal(result.ok, true);
  if (result.ok) {
    t.equal(result.review.request.operation, 'DELETE');
    t.equal(result.review.request.object, null);
  }
});

t.test('a CREATE reads identity, user and dryRun', async (t) => {
  const result = parseAdmissionReview(fixture('deployment-deny-dryrun.json'));
  t.equal(result.ok, true);
  if (!result.ok) return;
  const { request } = result.review;
  t.same(
    { uid: request.uid, kind: request.kind.kind, ns: request.namespace, name: request.name, user: request.username, dryRun: request.dryRun },
    { uid: '0f3e8c4a-1d2b-4c6e-9a7f-000000000013', kind: 'Deployment', ns: 'ml', name: 'llama-70b', user: 'alice@example.com', dryRun: true },
  );
});

t.test('the response echoes apiVersion, kind and uid and carries no patch', async (t) => {
  const result = parseAdmissionReview(fixture('deployment-warn.json'));
  if (!result.ok) throw new Error('fixture should parse');
  const out = buildReviewResponse(result.review, { allowed: true, warnings: ['w'] });
  t.same(out, {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: { uid: '0f3e8c4a-1d2b-4c6e-9a7f-000000000002', allowed: true, warnings: ['w'] },
  });
  t.notOk('patch' in out.response);
});
