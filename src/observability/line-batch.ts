/**
 * Log lines gathered in memory and handed to the real destination as one chunk. pino's
 * asynchronous destination (sonic-boom 4) can gather lines itself (`minLength`), but on every
 * line it measures the UTF-8 length of everything gathered so far (`Buffer.byteLength` of the
 * pending string, which also flattens it): about 3–5 µs a line at 8 KiB, once per admission
 * review. Here a line costs an array push; the chunk is joined and measured once.
 * @module
 */

/** Where chunks go: pino.destination's stream (write, flush, flushSync). */
export interface ChunkSink {
  write(chunk: string): unknown;
  flush(cb: (err?: Error | null) => void): void;
  flushSync(): void;
}

/** What pino needs of a destination: `write`, and `flush` for `logger.flush(cb)`. */
export interface LineBatch {
  write(line: string): void;
  /** Hands the gathered lines to the sink, then the sink's own flush. */
  flush(cb?: (err?: Error | null) => void): void;
  /** Hands the gathered lines to the sink and writes everything synchronously (process exit). */
  flushSync(): void;
}

/**
 * Gathers lines; hands them to `sink` as one chunk once they reach `chunkChars` characters, or
 * `flushMs` milliseconds after the first of them (an unref'd timer: it never keeps the process
 * alive), and on flush. Lines keep their order. The timer is the only state besides the lines.
 */
export function createLineBatch(sink: ChunkSink, opts: { chunkChars: number; flushMs: number }): LineBatch {
  let lines: string[] = [];
  let chars = 0;
  let timer: NodeJS.Timeout | undefined;
  const drain = (): void => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (lines.length === 0) return;
    const chunk = lines.length === 1 ? (lines[0] as string) : lines.join('');
    lines = [];
    chars = 0;
    sink.write(chunk);
  };
  return {
    write(line: string): void {
      lines.push(line);
      chars += line.length;
      if (chars >= opts.chunkChars) {
        drain();
      } else if (timer === undefined) {
        timer = setTimeout(drain, opts.flushMs);
        timer.unref();
      }
    },
    flush(cb?: (err?: Error | null) => void): void {
      drain();
      sink.flush(cb ?? (() => {}));
    },
    flushSync(): void {
      drain();
      sink.flushSync();
    },
  };
}
