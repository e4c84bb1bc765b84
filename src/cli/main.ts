#!/usr/bin/env node
/** The vllm-guard executable: wires the process's streams and environment to the command line. */
import { readFileSync } from 'node:fs';
import { runCli } from './program.js';

process.exitCode = await runCli(process.argv, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: () => readFileSync(0, 'utf8'),
  stdoutIsTty: process.stdout.isTTY === true,
  stderrIsTty: process.stderr.isTTY === true,
  colorAllowed: !process.env.NO_COLOR && process.env.TERM !== 'dumb',
});
