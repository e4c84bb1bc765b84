// The scorecard page as text: self-contained, every cluster value escaped.
import t from 'tap';
import { buildScorecard } from '../../src/audit/scorecard.js';
import type { AuditResult } from '../../src/audit/scanner.js';
import { escapeHtml, renderHtml, type AuditPage } from '../../src/report/html.js';
import { loadEngine } from './helpers.js';

const engine = loadEngine();
const hostile = '<img src=x onerror=alert(1)>"\'`&';
const pinned = engine.policies.byId.get('image-pinned');
if (!pinned) throw new Error('image-pinned missing');

const results: AuditResult[] = [
  {
    source: 'cluster:ns/Pod/x',
    apiVersion: 'v1',
    kind: 'Pod',
    namespace: `ns${hostile}`,
    name: `pod${hostile}`,
    uid: null,
    team: `team${hostile}`,
    vllm: true,
    notes: [],
    findings: [
      {
        policy: 'image-pinned',
        title: pinned.title,
        action: 'deny',
        configuredAction: 'deny',
        severity: pinned.severity,
        outcome: 'fail',
        message: `image ${hostile} is not pinned`,
        remediation: `pin it </p><script>x()</script>`,
        path: 'spec.containers[0].image',
        container: `c${hostile}`,
        checklist: pinned.checklist,
        owner: pinned.owner,
      },
    ],
  },
];

function page(): AuditPage {
  return {
    title: 'vLLM readiness scorecard',
    generatedAt: new Date('2026-01-15T10:00:00Z'),
    scope: `Cluster prod${hostile}, all namespaces`,
    mode: 'audit',
    teamLabel: 'team',
    figures: { listed: 10, evaluated: 3, namespaces: 1, durationMs: 1234 },
    scorecard: buildScorecard(results, engine.policies.policies, engine.config),
    gaps: [{ kind: 'DaemonSet', namespace: null, message: `cannot list ${hostile}`, hint: 'grant list', incomplete: true }],
    version: '0.1.0',
  };
}

t.test('escapeHtml covers the characters that open markup or attributes', async (t) => {
  t.equal(escapeHtml(`<a href="x" title='y'>&\``), '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#96;');
});

t.test('no cluster value reaches the page unescaped', async (t) => {
  const html = renderHtml(page());
  t.notMatch(html, /<img/, 'no injected element');
  t.notMatch(html, /<script/, 'no script at all');
  t.notMatch(html, /onerror=alert\(1\)>"/);
  t.match(html, /pod&#60;img src=x onerror=alert\(1\)&#62;&#34;&#39;&#96;&#38;/);
  t.match(html, /pin it &#60;\/p&#62;&#60;script&#62;/);
});

t.test('the page is self-contained and carries the scorecard, totals, fixes and gaps', async (t) => {
  const html = renderHtml(page());
  t.notMatch(html, /(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i, 'no external asset or link');
  t.notMatch(html, /@import|url\(/, 'no CSS fetch');
  t.match(html, /Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"/);
  t.match(html, /<table id="scorecard"/);
  t.match(html, /<table id="by-namespace"/);
  t.match(html, /<table id="by-team"/);
  t.match(html, /This audit is incomplete: 1 list could not be read/);
  t.match(html, /<b>Fix:<\/b> pin it/);
  t.match(html, /data-state="fail"/);
  t.match(html, /generated 2026-01-15 10:00:00 UTC in 1\.2 s · mode audit/);
});
