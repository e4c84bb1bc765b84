/**
 * Whether the kernel can start a script file run as a program, from its text: the first line of a
 * ConfigMap start script (command/script-files.ts) decides it before any shell reads a word.
 *
 * - `execve(2)` runs a text file only as an "interpreter script" whose first two bytes are `#!`;
 *   any other file is "not in a recognized format" (ENOEXEC). man-pages 5.13 man2/execve.2,
 *   "Interpreter scripts" and ENOEXEC; Linux fs/binfmt_script.c `load_script` returns -ENOEXEC
 *   unless `buf[0] == '#' && buf[1] == '!'`. A UTF-8 byte order mark (EF BB BF) before `#!` is such
 *   a file too.
 * - The container runtime does not fall back to `/bin/sh` on ENOEXEC: runc execs the process with
 *   the raw system call (runc v1.5.0 internal/linux/linux.go `Exec` wraps `unix.Exec`, the error
 *   becoming `exec <path>: exec format error`; libcontainer/standard_init_linux.go), and crun with
 *   `execv` (crun 1.29.1 src/libcrun/container.c), which unlike `execvp` has no shell fallback
 *   (man-pages 5.13 man3/exec.3: only the `p` functions "execute the shell (/bin/sh)" on ENOEXEC).
 *   A shell does fall back (POSIX.1-2017 XCU 2.9.1.1 Command Search and Execution; dash src/exec.c
 *   `tryexec`), and so do `env`, `tini`, `nohup` (execvp): a file without `#!` fails only when the
 *   runtime itself runs it.
 * - The interpreter name ends at a space, a tab or the line's `\n` (fs/binfmt_script.c `spacetab`),
 *   so a CRLF line makes the kernel open `/bin/bash\r`: ENOENT, "a script or ELF interpreter does
 *   not exist" (execve(2)), from the runtime and from a shell alike. With `#!/usr/bin/env bash\r`
 *   the argument is `bash\r`, and coreutils env (src/env.c: `execvp`, then `error (0, errno, "%s",
 *   quote (argv[optind]))`, exit 127) says "No such file or directory" for it.
 * @module
 */
import { rendererPlaceholderIn } from './placeholders.js';

/** Why the kernel cannot start a script: its first line, read as execve(2) and the shebang handler do. */
export type ExecFault =
  | { cause: 'no-shebang' | 'bom' }
  /** `missing`: the program looked for, with its CR (`/bin/bash\r`); `viaEnv` when `env` looks for it. */
  | { cause: 'crlf'; missing: string; viaEnv: boolean };

const BOM = '\uFEFF';
/** Characters after `#!` the kernel reads: 255 since Linux 5.1 (man-pages 5.13 man2/execve.2, "Interpreter scripts"). */
const MAX_SHEBANG = 255;
const spaceTab = (c: string | undefined): boolean => c === ' ' || c === '\t';

/**
 * The fault of a script file whose `text` is run as a program; `byRuntime` when the container
 * runtime execs it itself (the container's own argv[0]), not a shell or `env`/`tini`, which run a
 * file without `#!` through /bin/sh. Null when the first line is a good shebang, a renderer
 * placeholder (Helm, envsubst) may still change it, or the file is empty; a `#!` line that no line
 * break ends within the 255 characters the kernel reads after `#!` is not judged. Reads at most 258 characters.
 */
export function execFault(text: string, byRuntime: boolean): ExecFault | null {
  const head = text.slice(0, MAX_SHEBANG + 3);
  const end = head.indexOf('\n');
  const line = end === -1 ? head : head.slice(0, end);
  if (text === '' || rendererPlaceholderIn(line) !== null) return null;
  if (!line.startsWith('#!')) {
    if (!byRuntime) return null;
    return line.startsWith(`${BOM}#!`) ? { cause: 'bom' } : { cause: 'no-shebang' };
  }
  // A #! line longer than the kernel reads (or with no line break at all) is not judged.
  if (end === -1 || !line.endsWith('\r')) return null;
  // The kernel's parse: trailing spaces and tabs dropped (not the CR), the name up to a space or tab, one argument after.
  let last = line.length;
  while (spaceTab(line[last - 1])) last--;
  let start = 2;
  while (spaceTab(line[start])) start++;
  let stop = start;
  while (stop < last && !spaceTab(line[stop])) stop++;
  const name = line.slice(start, stop);
  let argStart = stop;
  while (spaceTab(line[argStart])) argStart++;
  const arg = line.slice(argStart, last);
  if (arg === '') return name === '\r' ? null : { cause: 'crlf', missing: name, viaEnv: false };
  // `env NAME\r`: env runs NAME\r; another interpreter's option (`-e\r`) is its own to refuse, not read here.
  const isEnv = name === 'env' || name.endsWith('/env');
  if (!isEnv || arg.startsWith('-') || /[ \t]/.test(arg)) return null;
  return { cause: 'crlf', missing: arg, viaEnv: true };
}
