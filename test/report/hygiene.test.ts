// Output hygiene: a manifest's names, images and messages reach a person's terminal, CI log,
// code-scanning UI and browser. Terminal escapes (clear screen, retitle, fake green "PASS") and
// bidi overrides (U+202E) must arrive as visible escapes in every human-facing format.
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { escapeControl } from '../../src/report/sanitize.js';
import { wrapLine } from '../../src/report/wrap.js';
import { ROOT, run } from '../cli/run.js';

process.chdir(ROOT);
const ANSI = readFileSync(path.join(ROOT, 'test/fixtures/cases/inputs/ansi.yaml'), 'utf8');
// The same pod with a right-to-left override in its name and a bell and bidi isolate in its namespace.
const BIDI = ANSI.replace('{name: esc, namespace: x}', '{name: "evil\u202Elmay.vllm", namespace: "x\u2066\u0007"}');
const INPUT = `${ANSI}---\n${BIDI}`;
// Anything a terminal or a browser would act on: C0/C1 controls and the bidi controls.
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

t.test('escapeControl makes every unsafe character visible and leaves the rest alone', async (t) => {
  t.equal(escapeControl('\u001b[2Jok\u202Efdp.exe\u0007'), '\\x1b[2Jok\\u202efdp.exe\\x07');
  t.equal(escapeControl('Grüße, 東京 — ok: 4 × 2'), 'Grüße, 東京 — ok: 4 × 2');
  t.equal(escapeControl('a\tb\nc\u0085'), 'a\\x09b\\x0ac\\x85');
});

for (const output of ['table', 'junit', 'sarif', 'github'] as const) {
  t.test(`${output}: no raw escape or bidi override from the manifest`, async (t) => {
    const { status, stdout: raw } = await run(['check', '-o', output, '-'], { input: INPUT });
    t.equal(status, 1, 'the pods are still checked');
    // SARIF is JSON: what a code-scanning UI shows is the decoded message text.
    const stdout =
      output === 'sarif'
        ? (JSON.parse(raw) as { runs: { results: { message: { text: string } }[] }[] }).runs[0]?.results.map((r) => r.message.text).join('\n') ?? ''
        : raw;
    const lines = stdout.split('\n');
    t.same(lines.filter((l) => UNSAFE.test(l)), [], 'every line is free of control and bidi characters');
    t.match(stdout, /\\x1b\[2J/, 'the escape shows as text');
    t.match(stdout, /evil\\u202elmay/, 'the override shows as text');
    if (output === 'table') t.notMatch(stdout, /^ {2}PASS/m, 'the fake PASS line cannot appear as a line of its own');
  });
}

t.test('json keeps the raw value for programs (JSON.stringify escapes C0)', async (t) => {
  const { stdout } = await run(['check', '-o', 'json', '-'], { input: INPUT });
  const report = JSON.parse(stdout) as { results: { name: string }[] };
  t.equal(report.results[1]?.name, 'evil\u202Elmay.vllm');
  t.notMatch(stdout, /\u001b/);
});

t.test('html: the scorecard page (check --html) neutralizes the same characters', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vllm-guard-hygiene-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const page = path.join(dir, 'page.html');
  const { status } = await run(['check', '--html', page, '-'], { input: INPUT });
  t.equal(status, 1);
  const html = readFileSync(page, 'utf8');
  t.notMatch(html, UNSAFE);
  t.match(html, /evil\\u202elmay\.vllm/);
  t.match(html, /\\x1b\[2J/);
});

t.test('wrapLine keeps colour codes out of the width and never splits a word', async (t) => {
  t.same(wrapLine('  \u001b[1mDENY\u001b[22m one two three four five six seven eight nine ten', 24, 8), [
    '  \u001b[1mDENY\u001b[22m one two three',
    '        four five six',
    '        seven eight nine',
    '        ten',
  ]);
  t.same(wrapLine(`  at ${'x'.repeat(40)} y`, 24, 8), ['  at', `        ${'x'.repeat(40)}`, '        y']);
  t.same(wrapLine('short', 80, 8), ['short']);
  t.same(wrapLine('no width given at all, however long this line is', undefined, 8), ['no width given at all, however long this line is']);
});
