/**
 * Is a container a vLLM server, a Ray worker of a vLLM group, or neither? Decided from its image and
 * its effective argv (including the commands inside `sh -c` scripts).
 */
import { basename, effectiveArgv, SHELLS } from '../command/argv.js';
import { MAX_IMAGE_LENGTH } from './image-pattern.js';
import type { CompiledDetection } from './detection-config.js';
import { stringAt } from '../util/json.js';
import { wrapperScriptAt } from './wrapper-scripts.js';
import { runsExampleProxy } from './example-proxies.js';
import { DYNAMO_WORKER_MODULES } from './dynamo.js';
import { isPythonName, pythonModule } from './python-module.js';
import { findLaunchProblem, notExecutableScript, type LaunchProblem } from './launch-problems.js';
import { BATCH_MODULE, subcommandTool } from './cli-commands.js';
import type { EnvLookup } from '../command/shell.js';
import type { ReadScript } from '../command/script-files.js';
import type { EffectiveArgv, JsonObject, ScriptCommand, Token } from '../types.js';
import { WRAPPERS, withPrefixVars } from './wrappers.js';


export interface Classification {
  role: 'server' | 'ray-worker' | null;
  detectedBy: 'image' | 'argv' | null;
  /** The vLLM command, from `vllm` or `python -m …` on; null when no command starts vLLM. */
  command: Token[] | null;
  argvSource: EffectiveArgv['source'];
  /** false when the engine arguments cannot be read (unknown ENTRYPOINT or script, or a wrapper script). */
  argvKnown: boolean;
  unknownReason?: string;
  /** A CPU build of vLLM (image) or `--device cpu`. */
  cpu: boolean;
  /** The command starts with an image ENTRYPOINT known for the tag's vLLM release (not a default). */
  entrypointCertain?: boolean;
  /** The command runs a server that is not vLLM by its own flags (KServe's `--backend=huggingface`, `--disable_vllm`). */
  excluded?: boolean;
  /** A strong signal other than image and command made it a server (workload/signal-select.ts). */
  signal?: string;
  /** A vLLM image whose command, read to the end, never starts the server (launch-problems.ts). */
  launch?: LaunchProblem;
  /** vLLM's offline batch runner (`run-batch`): an engine without an API server, role `ray-worker`. */
  batch?: true;
  /** The same script runs one of vLLM's clients (`vllm bench …`) after starting the server: a self-benchmark. */
  client?: true;
  /** Variables the server's `sh -c` script sets (`export HF_HOME=/lustre`): they override the container's env. */
  scriptVars?: ReadonlyMap<string, Token>;
}


/** The OpenAI server, and the older demo server some images still run. */
const SERVER_MODULES: ReadonlySet<string> = new Set(['vllm.entrypoints.openai.api_server', 'vllm.entrypoints.api_server']);
/**
 * Ray bootstrap scripts of vLLM's and LWS's multi-node examples: `<script> worker --ray_address=…` runs
 * `ray start --address=… --block` (vllm-project/vllm examples/online_serving/multi-node-serving.sh;
 * kubernetes-sigs/lws docs/examples/vllm/build/ray_init.sh), `<script> leader …` starts the Ray head.
 */
export const RAY_SCRIPTS: ReadonlySet<string> = new Set(['multi-node-serving.sh', 'ray_init.sh']);
const LAUNCHERS = (name: string): boolean =>
  name === 'vllm' || name === 'ray' || RAY_SCRIPTS.has(name) || isPythonName(name);

type Found = { kind: 'server' | 'batch'; segment: Token[] } | { kind: 'module'; module: string } | { kind: 'excluded' | 'ray-worker' | 'tool' | 'proxy' | 'none' };

function nameAt(cmd: Token[], i: number): string {
  const token = cmd[i];
  return token && !token.unknown ? basename(token.text) : '';
}

/** The command from token i on; the command itself from 0 (never changed afterwards, so not copied). */
function segmentAt(cmd: Token[], i: number): Token[] {
  return i === 0 ? cmd : cmd.slice(i);
}

function inspectAt(cmd: Token[], i: number): Found {
  const name = nameAt(cmd, i);
  const next = cmd[i + 1]?.text;
  if (name === 'vllm') {
    if (next === 'serve') return { kind: 'server', segment: segmentAt(cmd, i) };
    if (next === 'run-batch' && !cmd[i + 1]?.unknown) return { kind: 'batch', segment: segmentAt(cmd, i) };
    return { kind: subcommandTool(cmd[i + 1]) ? 'tool' : 'none' };
  }
  if (RAY_SCRIPTS.has(name)) return { kind: next === 'worker' ? 'ray-worker' : 'none' };
  if (name === 'ray') {
    const rest = cmd.slice(i + 2).map((t) => t.text);
    const worker = next === 'start' && !rest.includes('--head') && rest.some((t) => t === '--address' || t.startsWith('--address='));
    return { kind: worker ? 'ray-worker' : 'none' };
  }
  if (!isPythonName(name)) return { kind: 'none' };
  const python = pythonModule(cmd, i);
  // A wrapper script that runs vLLM's server with vLLM's arguments (wrapper-scripts.ts: KAITO's presets).
  if (!python) {
    if (wrapperScriptAt(cmd, i)) return { kind: 'server', segment: segmentAt(cmd, i) };
    return { kind: runsExampleProxy(cmd, i) ? 'proxy' : 'none' };
  }
  const { module } = python;
  const cliServe = module === 'vllm.entrypoints.cli.main' && cmd[python.next]?.text === 'serve';
  // Dynamo's vLLM worker runs a vLLM engine (not vLLM's HTTP server: facts/vllm.ts says so, dynamo.ts).
  if (SERVER_MODULES.has(module) || cliServe || DYNAMO_WORKER_MODULES.has(module)) return { kind: 'server', segment: segmentAt(cmd, i) };
  if (module === 'vllm.entrypoints.cli.main' && subcommandTool(cmd[python.next])) return { kind: 'tool' };
  if (module === BATCH_MODULE) return { kind: 'batch', segment: segmentAt(cmd, i) };
  if (module.startsWith('vllm.')) return { kind: 'module', module };
  if (module !== 'huggingfaceserver') return { kind: 'none' };
  const texts = cmd.slice(python.next).map((t) => t.text);
  return runsTransformersBackend(texts) ? { kind: 'excluded' } : { kind: 'server', segment: segmentAt(cmd, i) };
}

/** Launcher-named words past a wrapper that are tried before giving up: bounds the work on a long argv. */
const MAX_LAUNCHER_TRIES = 8;

/**
 * What one simple command runs: a vLLM server segment, a Ray worker, KServe's non-vLLM backend, or none.
 * Past a wrapper, a launcher-named word that runs nothing may be the wrapper's own value (`conda run -n
 * vllm vllm serve …`, `uv run --with vllm vllm serve …`: an environment or package called vllm), so the
 * search goes on to the next one (at most MAX_LAUNCHER_TRIES).
 */
export function inspectCommand(cmd: Token[]): Found {
  if (!WRAPPERS.has(nameAt(cmd, 0))) return inspectAt(cmd, 0);
  let tries = 0;
  for (let i = 1; i < cmd.length && tries < MAX_LAUNCHER_TRIES; i++) {
    if (!LAUNCHERS(nameAt(cmd, i))) continue;
    tries++;
    const found = inspectAt(cmd, i);
    if (found.kind !== 'none') return found;
  }
  return { kind: 'none' };
}

/**
 * KServe's Hugging Face server told to serve with transformers instead of vLLM: `--backend huggingface`
 * (`--backend=huggingface`, from KServe v0.13.0) or `--disable_vllm` (v0.12.x), both read in
 * kserve/kserve python/huggingfaceserver/huggingfaceserver/__main__.py at those tags.
 */
export function runsTransformersBackend(texts: readonly string[]): boolean {
  return texts.some((t, k) => t === '--backend=huggingface' || (t === '--backend' && texts[k + 1] === 'huggingface') || t === '--disable_vllm');
}

function declaresCpuDevice(segment: Token[]): boolean {
  return segment.some((t, i) => t.text === '--device=cpu' || (t.text === '--device' && segment[i + 1]?.text === 'cpu'));
}

/**
 * Programs that only keep a container alive or print: a pod of a vLLM image running nothing else
 * (aibrix samples/disaggregation/vllm/router.yaml: `sh -c "sleep 6000"`) is a shell to exec into.
 */
const IDLE: ReadonlySet<string> = new Set(['sleep', 'tail', 'true', ':', 'pause', 'wait', 'echo', 'printf', 'set', 'export', 'trap']);

/** Every simple command is known and idle (IDLE, after exec/nohup-like wrappers), a vLLM tool or an example proxy; false for none. */
function startsNoServer(commands: Token[][] | null): boolean {
  if (commands === null || commands.length === 0) return false;
  return commands.every((cmd) => {
    const kind = inspectCommand(cmd).kind;
    if (kind === 'tool' || kind === 'proxy') return true;
    let i = 0;
    while (i < cmd.length - 1 && !cmd[i]?.unknown && WRAPPERS.has(basename(cmd[i]?.text ?? '')) && !SHELLS.has(basename(cmd[i]?.text ?? ''))) i++;
    const first = cmd[i];
    return first !== undefined && !first.unknown && IDLE.has(basename(first.text));
  });
}

/** Two commands with the same known words; any unknown word makes them differ (a value known only at run time may). */
function sameWords(a: readonly Token[], b: readonly Token[]): boolean {
  return a.length === b.length && a.every((t, i) => t.text === b[i]?.text && t.unknown === undefined && b[i]?.unknown === undefined);
}

/** Why the arguments of a script that starts the server in `count` different ways are unknown. */
function severalServers(count: number): string {
  return `the script starts the vLLM server with different arguments in ${count} places (branches or fallbacks), and which one runs is known only at run time`;
}


/** Why the engine arguments of a container recognized as vLLM but not started by a command vllm-guard reads are unknown. */
export const NOT_DIRECT = 'the container does not start vLLM directly (a wrapper script?), so its engine arguments are not visible';

/**
 * Classifies one container of a pod template. Pure; the pattern cost is bounded by the image length cap.
 * `env` is the container's environment, when the caller already built it; `readScript` reads the
 * script files its command runs from ConfigMap volumes (command/script-files.ts).
 */
export function classifyContainer(container: JsonObject, detection: CompiledDetection, env?: EnvLookup, readScript?: ReadScript): Classification {
  const image = (stringAt(container, 'image') ?? '').slice(0, MAX_IMAGE_LENGTH);
  const { vllm: imageMatch, cpu: cpuImage } = detection.readImage(image);
  const argv = effectiveArgv(container, detection.entrypoints, env, readScript);
  let server: Token[] | null = null;
  // Every command that starts the server: a script without an execute bit stops it only if it holds them all.
  const serverCommands: Token[][] = [];
  let excluded = false;
  let rayWorker = false;
  let module: string | undefined;
  let batch: Token[] | null = null;
  let client = false;
  // Server commands with other words than the first: branches (`if …; then vllm serve A; else vllm serve B; fi`) or fallbacks.
  let servers = 1;
  const commands = argv.commands ?? [];
  for (let c = 0; c < commands.length; c++) {
    const found = inspectCommand(commands[c] as Token[]);
    if (found.kind === 'server') {
      server = found.segment;
      serverCommands.push(commands[c] as Token[]);
      // `vllm serve … &` then `vllm bench serve …`: the pod benchmarks its own server on localhost.
      for (let k = c + 1; k < commands.length; k++) {
        const next = inspectCommand(commands[k] as Token[]);
        client ||= next.kind === 'tool';
        servers += next.kind === 'server' && !sameWords(next.segment, server) ? 1 : 0;
        if (next.kind === 'server') serverCommands.push(commands[k] as Token[]);
      }
      break;
    }
    if (found.kind === 'batch') batch ??= found.segment;
    excluded ||= found.kind === 'excluded';
    rayWorker ||= found.kind === 'ray-worker';
    if (found.kind === 'module') module ??= found.module;
  }
  const argvSource = argv.source;
  const cpu = cpuImage || (server !== null && declaresCpuDevice(server));
  // One literal per outcome (no spreads of a shared base): this runs for every container.
  if (server && servers > 1) {
    // Which one runs is decided at run time: judging the first would deny what another branch may fix.
    return { argvSource, cpu, role: 'server', detectedBy: 'argv', command: null, argvKnown: false, unknownReason: severalServers(servers) };
  }
  if (server) {
    const found: Classification = argv.entrypointCertain
      ? { argvSource, cpu, role: 'server', detectedBy: 'argv', command: server, argvKnown: true, entrypointCertain: true }
      : { argvSource, cpu, role: 'server', detectedBy: 'argv', command: server, argvKnown: true };
    if (client) found.client = true;
    const first = serverCommands[0] as ScriptCommand;
    const vars = withPrefixVars(argv.scriptVars, first, first.length - server.length);
    if (vars) found.scriptVars = vars;
    // The server is read from a script that cannot run: its arguments are judged, and so is that.
    const launch = argv.notExecutable ? notExecutableScript(argv, serverCommands) : null;
    if (launch) found.launch = launch;
    return found;
  }
  if (excluded) return { argvSource, cpu, role: null, detectedBy: null, command: null, argvKnown: true, excluded: true };
  // Only on a vLLM build: elsewhere run_batch stays a tool nobody reviews (signal-select.ts runsVllmTool).
  if (batch && imageMatch) return { argvSource, cpu: cpu || declaresCpuDevice(batch), role: 'ray-worker', detectedBy: 'image', command: batch, argvKnown: true, batch: true };
  if (rayWorker) return { argvSource, cpu, role: 'ray-worker', detectedBy: imageMatch ? 'image' : 'argv', command: null, argvKnown: true };
  const unknownReason = argv.unknownReason;
  // A vLLM image kept alive to exec into (`sleep 6000`), running vLLM's client tools (`vllm bench serve`) or an example proxy starts no server.
  if (imageMatch && startsNoServer(argv.commands)) return { argvSource, cpu, role: null, detectedBy: null, command: null, argvKnown: true };
  if (imageMatch) {
    // A command that never starts the server is a known fault (vllm-args-valid), not an unknown one.
    const launch = argv.commands === null ? null : findLaunchProblem(argv);
    if (launch) {
      return { argvSource, cpu, role: 'server', detectedBy: 'image', command: null, argvKnown: false, unknownReason: `the command never starts the vLLM server: ${launch.summary}`, launch };
    }
    const reason = unknownReason ?? (module === undefined ? NOT_DIRECT : `the container runs the vLLM module ${module}, which vllm-guard does not read as a server, so its engine arguments are not visible`);
    return { argvSource, cpu, role: 'server', detectedBy: 'image', command: null, argvKnown: false, unknownReason: reason };
  }
  const argvKnown = argv.commands !== null;
  if (unknownReason) return { argvSource, cpu, role: null, detectedBy: null, command: null, argvKnown, unknownReason };
  return { argvSource, cpu, role: null, detectedBy: null, command: null, argvKnown };
}
