// `vllm-guard audit` tightens V8's heap growth (src/cli/heap-growth.ts) unless node was started with
// its own heap flags: the person starting it decides then.
import t from 'tap';
import { AUDIT_HEAP_GROWING_PERCENT, limitHeapGrowth } from '../../src/cli/heap-growth.js';

const v8Major = Number(process.versions.v8.split('.')[0]);

t.test('set when node was started without heap flags, on a V8 that has the flag', async (t) => {
  t.equal(limitHeapGrowth(AUDIT_HEAP_GROWING_PERCENT, [], ''), v8Major >= 11 && v8Major <= 13);
  t.equal(limitHeapGrowth(AUDIT_HEAP_GROWING_PERCENT, ['--enable-source-maps'], '--no-warnings'), v8Major >= 11 && v8Major <= 13, 'other flags do not count');
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
