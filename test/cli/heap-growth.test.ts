// `vllm-guard audit` tightens V8's heap growth (src/cli/heap-growth.ts) unless node was started with
// its own heap flags: the person starting it decides then.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { AUDIT_HEAP_GROWING_PERCENT, HEAP_GROWTH_V8_BY_NODE, limitHeapGrowth } from '../../src/cli/heap-growth.js';

const v8Major = Number(process.versions.v8.split('.')[0]);
const known = Object.values(HEAP_GROWTH_V8_BY_NODE).includes(v8Major);

t.test('set when node was started without heap flags, on a V8 that has the flag', async (t) => {
  t.equal(limitHeapGrowth(AUDIT_HEAP_GROWING_PERCENT, [], ''), known);
  t.equal(limitHeapGrowth(AUDIT_HEAP_GROWING_PERCENT, ['--enable-source-maps'], '--no-warnings'), known, 'other flags do not count');
});

t.test('left alone when the command line or NODE_OPTIONS sizes the heap', async (t) => {
  t.equal(limitHeapGrowth(AUDIT_HEAP_GROWING_PERCENT, ['--max-old-space-size=512'], ''), false);
  t.equal(limitHeapGrowth(AUDIT_HEAP_GROWING_PERCENT, [], '--max-semi-space-size=8 --no-warnings'), false);
  t.equal(limitHeapGrowth(AUDIT_HEAP_GROWING_PERCENT, ['--heap-growing-percent=50'], ''), false);
  t.equal(limitHeapGrowth(AUDIT_HEAP_GROWING_PERCENT, [], '--optimize-for-size'), false);
});

t.test('a percent that is not a positive whole number is not set', async (t) => {
  t.equal(limitHeapGrowth(0, [], ''), false);
  t.equal(limitHeapGrowth(12.5, [], ''), false);
});

t.test('the V8 of every supported Node major gets the limit, a V8 nobody checked does not', async (t) => {
  // Node 26's V8 (the image's runtime): the flag exists there and must be set (it was not until 2026-12-01).
  t.equal(limitHeapGrowth(AUDIT_HEAP_GROWING_PERCENT, [], '', '14.6.202.34-node.40'), true);
  t.equal(limitHeapGrowth(AUDIT_HEAP_GROWING_PERCENT, [], '', '13.6.233.10-node.28'), true);
  t.equal(limitHeapGrowth(AUDIT_HEAP_GROWING_PERCENT, [], '', '99.0.1'), false, 'an unchecked V8 would print "unrecognized flag"');
});

t.test("the image's Node major is one whose V8 has the flag", async (t) => {
  const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
  const version = /^ARG NODE_VERSION=(\d+)\./m.exec(dockerfile)?.[1];
  t.ok(version, 'the Dockerfile pins NODE_VERSION');
  t.ok(Number(version) in HEAP_GROWTH_V8_BY_NODE, `Node ${version} is listed in HEAP_GROWTH_V8_BY_NODE (check its \`node --v8-options\` for --heap-growing-percent)`);
});
