// The buffered stdout logger's line batch: lines reach stdout whole and in order, in chunks of
// about the batch size, at the latest after the flush delay, and all of them on flush.
import t from 'tap';
import { createLineBatch, type ChunkSink } from '../../src/observability/line-batch.js';

function fakeSink(): ChunkSink & { chunks: string[]; flushes: number; syncFlushes: number } {
  const sink = {
    chunks: [] as string[],
    flushes: 0,
    syncFlushes: 0,
    write(chunk: string) {
      sink.chunks.push(chunk);
      return true;
    },
    flush(cb: (err?: Error | null) => void) {
      sink.flushes += 1;
      cb(null);
    },
    flushSync() {
      sink.syncFlushes += 1;
    },
  };
  return sink;
}

t.test('lines are written together once they reach the chunk size, in order', async (t) => {
  const sink = fakeSink();
  const batch = createLineBatch(sink, { chunkChars: 30, flushMs: 60_000 });
  batch.write('{"n":1}\n');
  batch.write('{"n":2}\n');
  batch.write('{"n":3}\n');
  t.same(sink.chunks, [], 'under the size: nothing written yet');
  batch.write('{"n":4}\n');
  t.same(sink.chunks, ['{"n":1}\n{"n":2}\n{"n":3}\n{"n":4}\n']);
  batch.write('{"n":5}\n');
  batch.flushSync();
  t.same(sink.chunks, ['{"n":1}\n{"n":2}\n{"n":3}\n{"n":4}\n', '{"n":5}\n'], 'the rest on a synchronous flush (process exit)');
  t.equal(sink.syncFlushes, 1);
});

t.test('a line waits at most the flush delay; flush(cb) hands everything over first', async (t) => {
  const sink = fakeSink();
  const batch = createLineBatch(sink, { chunkChars: 8192, flushMs: 20 });
  batch.write('{"a":1}\n');
  await new Promise((resolve) => setTimeout(resolve, 80));
  t.same(sink.chunks, ['{"a":1}\n'], 'written by the timer');
  batch.write('{"b":2}\n');
  await new Promise<void>((resolve) => batch.flush(() => resolve()));
  t.same(sink.chunks, ['{"a":1}\n', '{"b":2}\n']);
  t.equal(sink.flushes, 1, 'then the sink flushed');
  batch.flush();
  t.equal(sink.chunks.length, 2, 'nothing to write twice');
});
