// Finding 5, fuzzed: the byte pre-scan agrees with a parse on depth and value count for JSON
// whose strings are full of brackets, commas, quotes and backslashes.
import t from 'tap';
import fc from 'fast-check';
import { scanJsonBody } from '../../src/admission/body-scan.js';
import { bracketyJsonArb, jsonShape } from '../fuzz/arbitraries.js';

t.test('too-deep and too-many-values exactly when a parse finds them', async (t) => {
  fc.assert(
    fc.property(bracketyJsonArb, fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 30 }), (value, maxDepth, maxValues) => {
      const text = Buffer.from(JSON.stringify(value), 'utf8');
      const shape = jsonShape(value);
      const problem = scanJsonBody(text, { maxDepth, maxValues: 1_000_000 });
      if ((problem?.reason === 'too-deep') !== shape.depth > maxDepth) return false;
      const counted = scanJsonBody(text, { maxDepth: 1_000, maxValues });
      return (counted?.reason === 'too-many-values') === shape.values > maxValues;
    }),
    { numRuns: 2_000 },
  );
  t.pass('2,000 cases agree');
});
