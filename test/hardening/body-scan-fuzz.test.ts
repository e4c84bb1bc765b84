// Finding 5, fuzzed: the byte pre-scan agrees with a parse on depth and value count for JSON
// whose strings are full of brackets, commas, quotes and backslashes.
import t from 'tap';
import fc from 'fast-check';
import { scanJsonBody, surveyJsonBody } from '../../src/admission/body-scan.js';
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

t.test('the same answer wherever the body starts in its memory (4-byte words or bytes)', async (t) => {
  const limits = { maxDepth: 1_000, maxValues: 1_000_000 };
  // Long strings too, so that quotes and backslashes fall at every place in a word.
  const longStrings = fc.array(fc.string({ unit: fc.constantFrom('a', '"', '\\', '[', ',', 'é', '_'), maxLength: 80 }), { maxLength: 4 });
  fc.assert(
    fc.property(fc.oneof(bracketyJsonArb, longStrings), fc.integer({ min: 0, max: 7 }), (value, offset) => {
      const text = JSON.stringify(value);
      const alone = surveyJsonBody(Buffer.from(text, 'utf8'), limits);
      // A fresh allocation (4-byte aligned), then the same bytes at each offset into a larger one.
      const memory = new Uint8Array(new ArrayBuffer(offset + Buffer.byteLength(text) + 8));
      const shifted = memory.subarray(offset, offset + Buffer.byteLength(text));
      shifted.set(Buffer.from(text, 'utf8'));
      const survey = surveyJsonBody(shifted, limits);
      const counted = scanJsonBody(shifted, { maxDepth: 1_000, maxValues: jsonShape(value).values });
      return JSON.stringify(survey) === JSON.stringify(alone) && counted === null;
    }),
    { numRuns: 2_000 },
  );
  t.pass('2,000 cases agree');
});
