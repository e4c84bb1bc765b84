/**
 * Runs the CLI in-process as a user would see it: stdout, stderr and the exit status. Options
 * stand in for the terminal (tty, width) and the environment (PATH finds kubectl).
 */
import path from 'node:path';
import { runCli } from '../../src/cli/program.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface RunOptions {
  input?: string;
  tty?: boolean;
  columns?: number;
  env?: Record<string, string | undefined>;
  /** Pass a stdoutDrained that resolves at once, as a pipe reader keeping up would. */
  drained?: boolean;
}

export async function run(args: string[], options: RunOptions = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await runCli(['node', 'vllm-guard', ...args], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    readStdin: () => options.input ?? '',
    stdoutIsTty: options.tty ?? false,
    stderrIsTty: false,
    colorAllowed: false,
    ...(options.columns !== undefined ? { columns: options.columns } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.drained ? { stdoutDrained: () => Promise.resolve() } : {}),
  });
  return { status, stdout, stderr };
}
