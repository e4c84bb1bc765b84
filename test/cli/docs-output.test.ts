// Docs that stay true: every output block in README.md, docs/ and examples/README.md that follows
// a marker comment is what the build prints for that command, compared here.
//   <!-- output: check --quiet FILE -->   the CLI's stdout (no colour, no wrapping)
//   <!-- admission: FILE -->             the webhook's AdmissionReview answer to FILE
//   <!-- kubectl: FILE NAME -->           what kubectl prints for that answer when applying NAME
// In a block, a line `…` stands for any number of lines and a line ending in ` …` for any rest of
// that line, so long outputs can be abridged. `UPDATE_DOCS=1 npx tap test/cli/docs-output.test.ts`
// rewrites the blocks from the build (whole, not abridged) after a deliberate change.
import t from 'tap';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decideAdmission } from '../../src/admission/handler.js';
import { loadEngine } from '../../src/load-engine.js';
import { ROOT, run } from './run.js';

process.chdir(ROOT);
const DOCS = ['README.md', 'examples/README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const MARKED = /^<!-- (output|admission|kubectl): (.+?) -->\n```(\w*)\n([\s\S]*?)^```$/gm;

function answer(file: string) {
  const { engine, config } = loadEngine({ configFile: null, policiesDir: null });
  const review = JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as { request: Parameters<typeof decideAdmission>[0] & { uid: string } };
  const { response } = decideAdmission(review.request, { engine, settings: config.server });
  return { uid: review.request.uid, response };
}

/** What the build prints for a marker. */
async function produce(kind: string, args: string): Promise<string> {
  if (kind === 'output') return (await run(args.split(' '))).stdout;
  const [file = '', ...rest] = args.split(' ');
  const name = rest.join(' ');
  const { uid, response } = answer(file);
  if (kind === 'admission') return `${JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid, ...response } }, null, 2)}\n`;
  // kubectl's own wording for a denial and for warnings (kubectl apply, client-go warning handler).
  if (!response.allowed) return `Error from server (Forbidden): error when creating "${name}": admission webhook "default.vllm-guard.io" denied the request: ${response.status?.message ?? ''}\n`;
  return `${(response.warnings ?? []).map((w) => `Warning: ${w}\n`).join('')}${name}\n`;
}

/** True when the documented block matches the output, with `…` gaps. */
function matches(block: string, actual: string): boolean {
  const want = block.replace(/\n$/, '').split('\n');
  const got = actual.replace(/\n$/, '').split('\n');
  const at = (i: number, j: number): boolean => {
    if (i === want.length) return j === got.length;
    const line = want[i] ?? '';
    if (line === '…') {
      for (let k = j; k <= got.length; k++) if (at(i + 1, k)) return true;
      return false;
    }
    if (j >= got.length) return false;
    const ok = line.endsWith(' …') ? (got[j] ?? '').startsWith(line.slice(0, -1)) : got[j] === line;
    return ok && at(i + 1, j + 1);
  };
  return at(0, 0);
}

t.test('every marked output block is what the build prints', async (t) => {
  let blocks = 0;
  for (const doc of DOCS) {
    const text = readFileSync(path.join(ROOT, doc), 'utf8');
    let updated = text;
    for (const m of text.matchAll(MARKED)) {
      const [whole, kind = '', args = '', lang = '', block = ''] = m;
      blocks += 1;
      const actual = await produce(kind, args);
      if (process.env.UPDATE_DOCS) updated = updated.replace(whole, `<!-- ${kind}: ${args} -->\n\`\`\`${lang}\n${actual}\`\`\``);
      else t.ok(matches(block, actual), `${doc}: ${kind} ${args}`, { diff: `--- documented\n${block}\n--- printed\n${actual}` });
    }
    if (process.env.UPDATE_DOCS && updated !== text) writeFileSync(path.join(ROOT, doc), updated);
  }
  t.ok(blocks >= 5, `${blocks} marked blocks`);
});

t.test('the abridging rules can fail', async (t) => {
  t.ok(matches('a\n…\nd', 'a\nb\nc\nd'));
  t.ok(matches('a long …\nb', 'a long line\nb'));
  t.notOk(matches('a\nd', 'a\nb\nd'), 'no silent gaps');
  t.notOk(matches('a\n…\ne', 'a\nb\nd'), 'the end must match');
  t.notOk(matches('x …', 'y long'), 'the kept start must match');
});

t.test('every count quoted next to a command is what the build prints', async (t) => {
  // examples/README.md quotes the exit status of its two commands.
  const examples = readFileSync(path.join(ROOT, 'examples/README.md'), 'utf8');
  for (const m of examples.matchAll(/^npx vllm-guard (check \S+) +# exit (\d)/gm)) {
    t.equal((await run((m[1] ?? '').split(' '))).status, Number(m[2]), m[0]);
  }
});

t.test("the README's policy table gives each policy the actions `vllm-guard policies` prints", async (t) => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const listed = new Map(
    [...(await run(['policies'])).stdout.matchAll(/^([a-z0-9-]+) +((?:deny|warn|audit|off)(?: \/ (?:deny|warn|audit|off))*) +(yes|no) /gm)].map((m) => [m[1], new Set((m[2] ?? '').split(' / '))]),
  );
  const rows = [...readme.matchAll(/^\| ([a-z0-9-]+) \| ((?:deny|warn|audit)(?: \/ (?:deny|warn|audit))*) \|/gm)];
  t.equal(rows.length, listed.size, 'one README row per policy');
  for (const [, id = '', actions = ''] of rows) t.same(new Set(actions.split(' / ')), listed.get(id), id);
});
