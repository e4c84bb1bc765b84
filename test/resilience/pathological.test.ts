/**
 * Drill: inputs built to be slow cannot hang the server or block its event loop. Each
 * pathological review is sent while a second connection probes /healthz; the review must be
 * answered (a review or a 4xx JSON error) and neither it nor the probe may hang. Patterns from the
 * config are included: a pattern that backtracks catastrophically on a long image name would
 * freeze every review.
 *
 * No assertion here is a speed target: HANG_CEILING_MS only tells a hang (minutes, or forever)
 * from an answer, on a 2-core machine shared with the rest of the suite. The 100 ms per-review
 * target is measured by `npm run bench:pathological`, which prints the same cases' times.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { startChildServer } from './child-server.js';
import { BACKTRACKING_PATTERNS, CASES, isWellFormed, longImageReview, pathologicalReview, sendWithProbe, toBody } from './pathological-cases.js';

/** A review or probe still unanswered after this long is hung; answers take well under a second. */
const HANG_CEILING_MS = 10_000;

t.test('pathological reviews are answered and never hang /healthz', async (t) => {
  const server = await startChildServer({ dir: t.testdir() });
  t.teardown(() => server.stop('SIGKILL'));
  for (const [name, mutate] of CASES) {
    const review = pathologicalReview(mutate);
    const body = toBody(review);
    const reply = await sendWithProbe(server, body, HANG_CEILING_MS);
    t.ok(isWellFormed(reply, String(review.request.uid)), `${name} (${(body.length / 1e6).toFixed(2)} MB): a review or a 4xx JSON error (HTTP ${reply.status})`);
    t.ok(reply.probeMaxMs < HANG_CEILING_MS, `${name}: /healthz kept answering`);
    t.notMatch(JSON.stringify(reply.body?.response ?? {}), /could not check/, `${name}: a real review, not the failure mode`);
    t.comment(`${name}: ${reply.callerMs.toFixed(0)} ms at the caller, /healthz ${reply.probeMaxMs.toFixed(0)} ms at most (figures, not limits)`);
  }
  t.equal(server.child.exitCode, null, 'still running');
});

// One server with every backtracking pattern in its config: the image is matched against each.
t.test(`backtracking image patterns from the config (${BACKTRACKING_PATTERNS.join(', ')}) cannot hang a review`, async (t) => {
  const dir = t.testdir();
  const config = path.join(dir, 'config.yaml');
  writeFileSync(config, `detection:\n  images:\n${BACKTRACKING_PATTERNS.map((p) => `    - ${JSON.stringify(p)}\n`).join('')}`);
  const server = await startChildServer({ dir, args: ['--config', config] });
  // A frozen server is killed here, not waited for.
  t.teardown(() => server.stop('SIGKILL'));
  const review = longImageReview();
  const reply = await sendWithProbe(server, review, HANG_CEILING_MS).catch((err: unknown) => err as Error);
  t.notOk(reply instanceof Error, `answered (${reply instanceof Error ? reply.message : `HTTP ${reply.status}`})`);
  if (reply instanceof Error) return;
  t.ok(isWellFormed(reply, String(review.request.uid)), `answered with a review (HTTP ${reply.status})`);
  t.ok(reply.probeMaxMs < HANG_CEILING_MS, `/healthz kept answering (${reply.probeMaxMs.toFixed(0)} ms at most)`);
  t.notMatch(JSON.stringify(reply.body?.response ?? {}), /could not check/, 'a real review, not the failure mode');
});

t.test('a config with a pattern RE2 cannot compile is refused at start, naming the field and the pattern', async (t) => {
  const dir = t.testdir();
  const config = path.join(dir, 'config.yaml');
  writeFileSync(config, 'detection:\n  images:\n    - "(?<=x)vllm"\n');
  const started = await startChildServer({ dir, args: ['--config', config], timeoutMs: 30_000 }).then(
    (server) => server.stop('SIGKILL').then(() => 'started'),
    (err: unknown) => String(err),
  );
  t.match(started, /detection\.images\[0\]: image pattern "\(\?<=x\)vllm" is not an RE2 regular expression/);
});
