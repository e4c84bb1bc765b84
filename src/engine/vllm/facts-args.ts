/**
 * Facts for the vllm-args-valid and vllm-env policies (policies/facts.schema.json, vllm.version,
 * vllm.argProblems, vllm.argErrors, vllm.argNotices, vllm.argError, vllm.envProblems), built from the
 * container's command, image and env with the option table.
 */
import { basename } from '../command/argv.js';
import { splitWrapperArgs, wrapperScriptAt } from './wrapper-scripts.js';
import { runsDynamoWorker } from './dynamo.js';
import { DEMO_SERVER_MODULE, demoServerProblems, isDemoServerOption } from './demo-server.js';
import { MAX_TOKENS, unverifiedReason } from './argv-tokens.js';
import type { Token } from '../types.js';
import { followsUpstreamReleases, imageVllmVersion, type ImageVersion, type VendorImageData } from './image-version.js';
import type { OptionTable } from './option-table.js';
import type { ParsedValue } from './option-values.js';
import type { ConfigFileFact } from './config-file.js';
import { validateVllmArgv, type ArgProblem, type ArgToken } from './validate-args.js';
import type { ArgsReading, ArgvValidation, ReadingFlags } from './argv-memo.js';
import type { AbbreviationExpansion } from './abbreviations.js';
import { validateVllmEnv, type EnvEntry, type EnvProblem } from './validate-env.js';
import { argFindings, type ArgFindingFact } from './arg-findings.js';

export interface VllmVersionFact {
  /** The vLLM version the image names, or null. */
  value: string | null;
  how: 'official-tag' | 'embedded' | 'vendor-table' | 'unknown';
  /** How it was found, for messages and `explain`. */
  detail: string;
  source: string | null;
  /** The covered release the arguments were judged against, or null (any release). */
  release: string | null;
  judgedAs: 'covered' | 'newer' | 'older' | 'uncovered' | 'unknown';
  /** Readable: `vLLM v0.10.1.1`, or `any vLLM release v0.6.0–v0.20.1 (…why…)`. */
  judgedWith: string;
  /** The releases the table covers, e.g. `v0.6.0–v0.20.1`. */
  table: string;
}

export interface ArgProblemFact extends ArgProblem {
  /** The fix in the release's own option names. */
  fix: string;
  /** The container field to point at: the flag's own (`args[3]`), else the argv field. */
  at: string;
  /** Where the flag or value came from when not written in the container: `ConfigMap c key TP`, `config file /etc/vllm/c.yaml`. */
  origin?: string;
}

export interface VllmArgFacts {
  version: VllmVersionFact;
  argProblems: ArgProblemFact[];
  /** The settled problems that make vLLM exit at start, one item per container field (arg-findings.ts): vllm-args-valid denies each. */
  argErrors: ArgFindingFact[];
  /** Deprecated flags and problems the table cannot settle, one item per container field: vllm-args-valid warns about each. */
  argNotices: ArgFindingFact[];
  /** The first settled problem that makes vLLM exit at start, or null. */
  argError: ArgProblemFact | null;
  /** Values as that release's parser reads them, by option name without dashes. */
  argValues: Record<string, ParsedValue | ParsedValue[]>;
  /** Every environment hazard (validate-env.ts), in env order: vllm-env speaks about each. */
  envProblems: EnvProblem[];
  /**
   * Whether the launch form reads a positional model (`vllm serve`: true; the api_server module, a
   * wrapper script, Dynamo's worker: false); null when the command is unknown or its ENTRYPOINT was
   * guessed from a tag that names no release.
   */
  positionalModel: boolean | null;
}

/** The tables the vLLM argument and env facts need; build once per engine. */
export interface VllmKnowledge {
  readonly table: OptionTable;
  readonly vendors: VendorImageData;
  /** imageVllmVersion with these vendors, remembered per engine (knowledge/image-lookups.ts); absent: computed each time. */
  readonly imageVersion?: (image: string) => ImageVersion;
  /** validateVllmArgv with this table, remembered per engine (argv-memo.ts); absent: checked each time. */
  readonly validateArgv?: ArgvValidation;
  /** parseVllmArgs, remembered per engine (argv-memo.ts); absent: read each time. */
  readonly parseArgs?: ArgsReading;
  /** expandAbbreviations with this table, remembered per reading (abbreviations.ts). */
  readonly expandAbbreviations?: AbbreviationExpansion;
  /** The engine flags of a command's texts, remembered per reading (argv-memo.ts), for detection. */
  readonly engineFlags?: ReadingFlags;
}

/**
 * Where the vLLM server's own arguments start in a command, and whether it takes a positional model.
 * `dynamo`: Dynamo's vLLM worker, whose arguments mix vLLM's engine arguments with Dynamo's own flags.
 */
export function serveArguments(command: readonly Token[]): { tokens: ArgToken[]; positionalModel: boolean; dynamo?: true; demo?: true } | null {
  if (runsDynamoWorker(command)) {
    const at = command.findIndex((t, k) => k > 0 && (t.text === '-m' || t.text.startsWith('-m')));
    return { tokens: command.slice(at + (command[at]?.text === '-m' ? 2 : 1)), positionalModel: false, dynamo: true };
  }
  for (let i = 0; i < command.length; i++) {
    const text = command[i]?.text ?? '';
    if (basename(text) === 'vllm' && command[i + 1]?.text === 'serve') return { tokens: command.slice(i + 2), positionalModel: true };
    const wrapper = /^python(?:\d+(?:\.\d+)*)?$/.test(basename(text)) ? wrapperScriptAt(command, i) : null;
    // A wrapper script (KAITO's) takes the api_server's arguments; its own flags are not vLLM's to judge.
    if (wrapper) return { tokens: splitWrapperArgs(command.slice(wrapper.next), wrapper.script).vllm, positionalModel: false };
    if (text !== '-m') continue;
    const module = command[i + 1]?.text;
    if (module === 'vllm.entrypoints.openai.api_server') return { tokens: command.slice(i + 2), positionalModel: false };
    if (module === DEMO_SERVER_MODULE) return { tokens: command.slice(i + 2), positionalModel: false, demo: true };
    if (module === 'vllm.entrypoints.cli.main' && command[i + 2]?.text === 'serve') return { tokens: command.slice(i + 3), positionalModel: true };
  }
  return null;
}

function fixFor(p: ArgProblem, release: string): string {
  if (p.advice) return p.advice;
  switch (p.kind) {
    case 'unknown-flag':
      return p.suggestion ? `use ${p.suggestion}` : `remove ${p.flag}, or use an option ${release} has (vllm serve --help)`;
    case 'missing-value':
      return p.flag === 'model_tag' ? 'give the model as the first argument after vllm serve' : `give ${p.flag} a value`;
    case 'bad-choice':
      return p.choices ? `use one of ${p.choices.filter((c) => c !== 'None').join(', ')}` : `give ${p.flag} a value ${release} accepts`;
    case 'bad-type':
      return `give ${p.flag} a value ${release} accepts`;
    case 'removed':
      return p.replacement ? `use ${p.replacement}` : `remove ${p.flag}`;
    case 'deprecated':
      return p.replacement ? `use ${p.replacement}` : `plan to remove ${p.flag}`;
    case 'duplicate-model':
      return 'give the model once, as the first argument after vllm serve, and drop --model';
    default:
      return `remove ${p.flag}`;
  }
}

function unjudgedWhy(r: ReturnType<OptionTable['resolveRelease']>): string {
  switch (r.kind) {
    case 'newer':
      return `${r.version} is newer than the table`;
    case 'older':
      return `${r.version} is older than the table`;
    case 'uncovered':
      return r.reason;
    case 'unknown':
      return 'the image does not name its vLLM version';
    default:
      return 'covered';
  }
}

/** Says where a flag or its value came from when not written in the container (`from ConfigMap c key TP`, `from config file /etc/vllm/c.yaml`). */
function withOrigin(p: ArgProblemFact, tokens: readonly Token[]): ArgProblemFact {
  const origin = tokens[p.tokenIndex]?.from ?? (p.value !== undefined ? tokens[p.tokenIndex + 1]?.from : undefined);
  if (!origin) return p;
  return { ...p, origin, message: `${p.message} (from ${origin})` };
}

/**
 * The facts for one container. `command` is the effective command (null when unknown); `env` its
 * literal and referenced variables (value null when not literal).
 */
export function readVllmArgFacts(
  input: {
    command: readonly Token[] | null;
    image: string;
    env: readonly EnvEntry[];
    argvField?: string;
    entrypointCertain?: boolean;
    /** The `--config` file as read from the related set (vllm/config-file.ts); an error makes vLLM exit. */
    configFile?: ConfigFileFact | null;
    /** The options are Python keyword arguments (Ray Serve LLM engine_kwargs): no argparse abbreviations. */
    keywordArguments?: boolean;
    /** The engine's reading of this very command (its ArgsReading's answer), which the validation memo may key on (argv-memo.ts). */
    reading?: object;
  },
  knowledge: VllmKnowledge,
): VllmArgFacts {
  const { table, vendors } = knowledge;
  const image = knowledge.imageVersion ? knowledge.imageVersion(input.image) : imageVllmVersion(input.image, vendors);
  const serve = input.command ? serveArguments(input.command) : null;
  const tokens = serve?.tokens ?? [];
  const positionalModel = serve?.positionalModel ?? false;
  const abbreviations = input.keywordArguments !== true;
  const result = knowledge.validateArgv
    ? knowledge.validateArgv(tokens, image.version, positionalModel, abbreviations, input.reading)
    : validateVllmArgv(tokens, { version: image.version, table, positionalModel, abbreviations });
  const resolution = result.release;
  const release = resolution.kind === 'covered' ? resolution.tag : null;
  const releaseText = release ? `vLLM ${release}` : 'vLLM';
  const field = input.argvField ?? 'args';
  // When `vllm serve` came from the ENTRYPOINT table's default for a tag that names no release (latest,
  // a digest), the image may run `vllm serve` (which refuses `--model` in some releases) or the older
  // api_server module (which wants `--model`): the positional-model rules then give no verdict, so a
  // working `--model` is never denied. A release tag settles it (command/entrypoints.ts).
  const entrypointGuessed = input.command?.[0] !== undefined && input.command[0].at === undefined && input.entrypointCertain !== true;
  const modelRule = (p: { kind: string; flag: string }): boolean => p.kind === 'duplicate-model' || p.flag === 'model_tag';
  // Dynamo's worker takes its own flags beside vLLM's, and they change from release to release: a flag
  // vLLM does not know (and the word after it) may be Dynamo's, so it is never a reason to deny (dynamo.ts).
  const dynamoOwn = (p: { kind: string }): boolean => serve?.dynamo === true && (p.kind === 'unknown-flag' || p.kind === 'unrecognized-argument');
  let kept = entrypointGuessed || serve?.dynamo ? result.problems.filter((p) => !modelRule(p) && !dynamoOwn(p)) : result.problems;
  // An option removed upstream, on an image of unknown release (validate-flag.ts removedSince): named only
  // when the image follows vLLM's releases; a vendor fork (Neuron, Gaudi) may keep the option.
  if (kept.some((p) => p.kind === 'removed' && !p.verified) && !followsUpstreamReleases(input.image, vendors)) kept = kept.filter((p) => p.kind !== 'removed' || p.verified);
  // The demo server's parser: the engine's options and a few of its own (demo-server.ts).
  if (serve?.demo) kept = [...kept.filter((p) => p.kind !== 'unknown-flag' || !isDemoServerOption(p.flag)), ...demoServerProblems(tokens, table, release, unverifiedReason(resolution, table), MAX_TOKENS)].sort((a, b) => a.tokenIndex - b.tokenIndex);
  const argProblems: ArgProblemFact[] = serve ? kept.map((p) => withOrigin({ ...p, fix: fixFor(p, releaseText), at: p.at ?? field }, serve.tokens)) : [];
  const config = input.configFile;
  if (serve && config?.status === 'error' && config.reason) {
    argProblems.unshift({
      kind: 'config-file', flag: '--config', tokenIndex: -1, summary: `the --config file ${config.path} cannot be loaded`, says: `exits: ${config.reason}`,
      message: `the --config file ${config.path} cannot be loaded: ${config.reason}`, verified: true, fix: `mount a YAML file of option names to values at ${config.path}`, at: config.at ?? field,
    });
  }
  const envProblems = validateVllmEnv(input.env, { table, release });
  const findings = argFindings(argProblems); // its three members by name: a spread copied them generically, per review
  return {
    version: {
      value: image.version,
      how: image.how,
      detail: image.detail,
      source: 'source' in image && image.source ? image.source : null,
      release,
      judgedAs: resolution.kind,
      judgedWith: release ? `vLLM ${release}` : `any vLLM release ${table.oldest}–${table.newest} (${unjudgedWhy(resolution)})`,
      table: `${table.oldest}–${table.newest}`,
    },
    argProblems,
    argErrors: findings.argErrors,
    argNotices: findings.argNotices,
    argError: findings.argError,
    argValues: serve ? result.values : {},
    envProblems,
    positionalModel: serve && !entrypointGuessed ? positionalModel : null,
  };
}
