/** runCli in-process for the hardening tests: what a terminal would show, and the exit status. */
import { runCli } from '../../src/cli/program.js';

export async function runVllmGuard(args: string[], input = ''): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await runCli(['node', 'vllm-guard', ...args], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    readStdin: () => input,
    stdoutIsTty: false,
    stderrIsTty: false,
    colorAllowed: false,
  });
  return { status, stdout, stderr };
}
