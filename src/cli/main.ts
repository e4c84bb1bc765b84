#!/usr/bin/env node
/** The vllm-guard executable: wires the process's streams and environment to the command line. */
import { once } from 'node:events';
import { runCli } from './program.js';

/** Reads stdin until its end or maxBytes + 1 bytes, whichever comes first (the caller refuses more). */
async function readStdin(maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of process.stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    chunks.push(buffer);
    length += buffer.length;
    if (length > maxBytes) break; // leaving the loop destroys the stream: no more is read
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * process.stdout as the commands write to it. A reader that goes away early (`vllm-guard check … | head`)
 * ends the output, not the command: what is left is dropped, nothing is printed about it (as cat and
 * grep do), and the exit status stays the command's own, so a CI gate still fails on a denial. Without
 * a listener Node threw the EPIPE with a stack trace. Any other write error is one line on stderr.
 */
function stdoutSink(): { stdout: (text: string) => void; stdoutDrained: () => Promise<void> } {
  let open = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    open = false;
    if (err.code !== 'EPIPE') process.stderr.write(`vllm-guard: cannot write to stdout: ${err.code ?? err.message}\n`);
  });
  return {
    stdout: (text) => {
      if (open) process.stdout.write(text);
    },
    // 'error' rejects once(): a closed pipe ends the wait instead of hanging it.
    stdoutDrained: async () => {
      if (open && process.stdout.writableNeedDrain) await once(process.stdout, 'drain');
    },
  };
}

process.exitCode = await runCli(process.argv, {
  ...stdoutSink(),
  stderr: (text) => process.stderr.write(text),
  readStdin,
  stdoutIsTty: process.stdout.isTTY === true,
  stderrIsTty: process.stderr.isTTY === true,
  colorAllowed: !process.env.NO_COLOR && process.env.TERM !== 'dumb',
  ...(process.stdout.isTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
  env: process.env,
});
