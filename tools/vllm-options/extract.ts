/**
 * Builds src/engine/knowledge/vllm-options/{options,envs}.json from vLLM's sources at its release
 * tags, read with git from a local clone (no code of vLLM's is copied: only option names, types
 * and choices, with the tag and path each came from).
 *
 *   node --import tsx tools/vllm-options/extract.ts <git-dir> [--from-minor 6] [--mirror owner/name]
 *
 * The git dir must hold vLLM's release tags (vllm-project/vllm or a fork that carries them; name
 * the fork with --mirror so the data says where the tags were read).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CoveredRelease, EnvTableData, EnvVarEntry, OptionEntry, OptionSpec, OptionTableData } from '../../src/engine/vllm/option-types.js';
import { readEnvs } from './read-envs.js';
import { readRelease, type SourceFile } from './read-release.js';

const OUT_DIR = join(import.meta.dirname, '../../src/engine/knowledge/vllm-options');
const RELEASE_TAG = /^v0\.(\d+)\.(\d+)(?:\.(\d+))?$/;

function git(gitDir: string, args: string[]): string {
  return execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
}

function show(gitDir: string, tag: string, path: string): SourceFile | null {
  try {
    return { path, text: git(gitDir, ['show', `${tag}:${path}`]) };
  } catch {
    return null;
  }
}

function versionKey(tag: string): number[] {
  const m = RELEASE_TAG.exec(tag) as RegExpExecArray;
  return [0, Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

export function compareTags(a: string, b: string): number {
  const x = versionKey(a);
  const y = versionKey(b);
  for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return 0;
}

function releases(gitDir: string, fromMinor: number): CoveredRelease[] {
  return git(gitDir, ['tag'])
    .split('\n')
    .filter((t) => RELEASE_TAG.test(t) && Number((RELEASE_TAG.exec(t) as RegExpExecArray)[1]) >= fromMinor)
    .sort(compareTags)
    .map((tag) => {
      const [commit, date] = git(gitDir, ['log', '-1', '--format=%H %ad', '--date=short', tag]).trim().split(' ');
      return { tag, commit: commit as string, date: date as string };
    });
}

function typeModules(gitDir: string, tag: string): SourceFile[] {
  const paths = git(gitDir, ['ls-tree', '-r', '--name-only', tag, '--', 'vllm/config.py', 'vllm/config'])
    .split('\n')
    .filter((p) => p.endsWith('.py'));
  paths.push('vllm/model_executor/layers/quantization/__init__.py');
  return paths.map((p) => show(gitDir, tag, p)).filter((f): f is SourceFile => f !== null);
}

/** Folds per-release values into spans over consecutive covered releases with equal values. */
function toSpans<T>(tags: string[], perTag: (Map<string, T> | null)[], name: string): (T & { from: string; to: string })[] {
  const spans: (T & { from: string; to: string })[] = [];
  let last: string | null = null;
  tags.forEach((tag, i) => {
    const value = perTag[i]?.get(name);
    if (value === undefined) {
      last = null;
      return;
    }
    const key = JSON.stringify(value);
    const prev = spans[spans.length - 1];
    if (prev && last === key && tags[i - 1] === prev.to) prev.to = tag;
    else spans.push({ ...value, from: tag, to: tag });
    last = key;
  });
  return spans;
}

function main(): void {
  const gitDir = process.argv[2];
  if (!gitDir) {
    process.stderr.write('usage: extract.ts <git-dir-with-vllm-tags> [--from-minor 6]\n');
    process.exit(2);
  }
  const fromIdx = process.argv.indexOf('--from-minor');
  const fromMinor = fromIdx === -1 ? 6 : Number(process.argv[fromIdx + 1]);
  const mirrorIdx = process.argv.indexOf('--mirror');
  const mirror = mirrorIdx === -1 ? null : process.argv[mirrorIdx + 1];
  const covered = releases(gitDir, fromMinor);
  const tags = covered.map((r) => r.tag);
  const perTag: (Map<string, OptionSpec> | null)[] = [];
  const envPerTag: (Map<string, ReturnType<typeof readEnvs> extends Map<string, infer V> ? V : never> | null)[] = [];
  for (const tag of tags) {
    const argUtils = show(gitDir, tag, 'vllm/engine/arg_utils.py');
    const cliArgs = show(gitDir, tag, 'vllm/entrypoints/openai/cli_args.py');
    const serve = show(gitDir, tag, 'vllm/entrypoints/cli/serve.py') ?? show(gitDir, tag, 'vllm/scripts.py');
    perTag.push(argUtils ? readRelease({ argUtils, cliArgs, serve, typeModules: typeModules(gitDir, tag) }) : null);
    const envs = show(gitDir, tag, 'vllm/envs.py');
    envPerTag.push(envs ? readEnvs(envs.text) : null);
    process.stderr.write(`${tag}: ${perTag.at(-1)?.size ?? 0} options, ${envPerTag.at(-1)?.size ?? 0} env vars\n`);
  }
  const names = [...new Set(perTag.flatMap((m) => [...(m?.keys() ?? [])]))].sort();
  const options: OptionEntry[] = names.map((name) => ({ name, spans: toSpans(tags, perTag, name) }));
  const source = {
    repository: 'vllm-project/vllm',
    readFrom:
      `release tags of vllm-project/vllm (tag commits listed under releases), read with git show <tag>:<path>` +
      (mirror ? ` from ${mirror}, a fork that carries upstream's tags` : ''),
    files: [
      'vllm/engine/arg_utils.py',
      'vllm/entrypoints/openai/cli_args.py',
      'vllm/entrypoints/cli/serve.py (vllm/scripts.py before it existed)',
      'vllm/config.py or vllm/config/*.py',
      'vllm/model_executor/layers/quantization/__init__.py',
    ],
    extractor: 'tools/vllm-options/extract.ts',
  };
  const table: OptionTableData = {
    source: {
      ...source,
      notes: [
        'Types follow get_kwargs/_compute_kwargs of each release for dataclass-derived options and the explicit type=/action=/nargs=/choices= of add_argument calls.',
        'value "unknown" and choicesUnknown mean the extractor could not read the type or the choices as text: such values are not judged.',
        'deprecated comes from deprecated=True or a help text saying the option is deprecated; replacement from "use --x" in that help text.',
        'Only final release tags are covered; releases newer than the last one listed are not in this table.',
      ],
    },
    releases: covered,
    options,
  };
  writeFileSync(join(OUT_DIR, 'options.json'), JSON.stringify(table) + '\n');
  const envNames = [...new Set(envPerTag.flatMap((m) => [...(m?.keys() ?? [])]))].sort();
  const variables: EnvVarEntry[] = envNames.map((name) => ({ name, spans: toSpans(tags, envPerTag, name) }));
  const envTable: EnvTableData = {
    source: {
      ...source,
      files: ['vllm/envs.py'],
      notes: ['Names are the keys of environment_variables in vllm/envs.py; type is what the getter converts the text to (unknown when the extractor cannot tell).'],
    },
    releases: covered,
    variables,
  };
  writeFileSync(join(OUT_DIR, 'envs.json'), JSON.stringify(envTable) + '\n');
}

main();
