// A fix's patch path filled as tokens (fix-path.ts) says exactly what the text fill and a split of it
// say (fix.ts before bench/PROFILE.md S6): the same path text, the same tokens, null in the same cases.
import t from 'tap';
import { compileTemplate, fillExactOrNull, type Encoder } from '../../src/engine/evaluate/render.js';
import { escapeToken, pointerTokens } from '../../src/engine/evaluate/json-pointer.js';
import { fillPath, planPath } from '../../src/engine/evaluate/fix-path.js';

/** fix.ts's encoder of a path's placeholders. */
const pathToken: Encoder = (text, at) => (at[0] === 'pointers' ? text : escapeToken(text));

/** What renderWithScope made of a path before: its text (null: no fix) and that text's tokens. */
function byText(template: string, scope: unknown): { path: string; tokens: string[] } | null {
  const path = fillExactOrNull(compileTemplate(template), scope, pathToken);
  if (path === null || (path !== '' && !path.startsWith('/'))) return null;
  return { path, tokens: pointerTokens(path) };
}

const TEMPLATES = [
  '{{pointers.container}}/resources/limits/{{accelerators.resources.0}}',
  '{{pointers.container}}/readinessProbe/{{probes.readiness.type}}/port',
  '{{pointers.pod}}/volumes/-',
  '{{pointers.container}}/env/{{item.index}}',
  '{{pointers.container}}',
  '/spec/{{item.index}}',
  '/spec/{{item.index}}/',
  '/a/{{item.name}}/{{item.index}}',
  '{{pointers.pod}}/x//y',
];
const POINTERS = ['/spec/template/spec/containers/0', '', '/a~1b/0', 'relative', '/ends/', 7, null, undefined];
const VALUES = ['nvidia.com/gpu', 'a~b', '~1', '', 'plain', 0, 3, true, null, undefined, [], ['x'], { k: 'v' }];

t.test('the token plan fills what the text fill and its split give', async (t) => {
  let planned = 0;
  let compared = 0;
  for (const template of TEMPLATES) {
    const plan = planPath(compileTemplate(template));
    if (plan === null) continue;
    planned++;
    for (const pointer of POINTERS) {
      for (const value of VALUES) {
        const scope = {
          pointers: { container: pointer, pod: pointer },
          accelerators: { resources: [value] },
          probes: { readiness: { type: value } },
          item: { index: value, name: value },
        };
        t.same(fillPath(plan, scope), byText(template, scope), `${template} with ${JSON.stringify(pointer)} and ${JSON.stringify(value)}`);
        compared++;
      }
    }
  }
  t.equal(planned, TEMPLATES.length, 'every path of these shapes has a plan');
  t.ok(compared > 500);
});

t.test('shapes the plan does not answer are left to the text fill', async (t) => {
  for (const template of ['/a{{x}}', '{{x}}/a', '/a/{{x}}b', '{{pointers.a}}x/b', '/a~1b/{{x}}', '/a/{{x|d}}', '/a/{{!x}}', '/a/[[{{x}}]]', '/a/{{pointers.b}}']) {
    t.equal(planPath(compileTemplate(template)), null, template);
  }
});
