/**
 * Wrapper scripts that start vLLM's OpenAI server themselves and pass vLLM's own arguments through,
 * each with the flags it keeps for itself. Data with sources: detect.ts makes a container that runs one
 * a vLLM server (an `argv` signal), args.ts and facts-args.ts read the vLLM arguments after the script
 * with the wrapper's own flags left out.
 * @module
 */
import type { Token } from '../types.js';
import { pythonScript } from './python-module.js';

export interface WrapperScript {
  /** The script path exactly as the wrapper's pods run it (`python3 <path> …`). */
  path: string;
  /** For people: whose wrapper it is. */
  name: string;
  /** The wrapper's own flags start with this; each of them takes a value. */
  ownFlagPrefix: string;
  /**
   * The wrapper's flag naming a file whose contents are appended as vLLM arguments: they may set or
   * override any option, and cannot be read at admission.
   */
  configFlag?: string;
  /** vLLM options the wrapper gives another default (option name without dashes → value). */
  defaults?: Readonly<Record<string, string>>;
  source: string;
}

export const VLLM_WRAPPER_SCRIPTS: readonly WrapperScript[] = [
  {
    path: '/workspace/vllm/inference_api.py',
    name: 'KAITO vLLM preset',
    ownFlagPrefix: '--kaito-',
    configFlag: '--kaito-config-file',
    // _reset_vllm_defaults: port 5000 + LOCAL_RANK (0 in a preset pod).
    defaults: { port: '5000' },
    source:
      'kaito-project/kaito presets/workspace/inference/vllm/inference_api.py (KAITOArgumentParser: vLLM api_server.make_arg_parser ' +
      'plus --kaito-adapters-dir, --kaito-config-file, --kaito-max-probe-steps, --kaito-kv-cache-cpu-memory-utilization; the config ' +
      "file's vllm: map is appended as --key value) and pkg/workspace/inference/preset_inferences_test.go (the preset command " +
      '`/bin/sh -c python3 /workspace/vllm/inference_api.py --tensor-parallel-size=2 … --kaito-config-file=/mnt/config/inference_config.yaml`)',
  },
];

/**
 * The wrapper script that the python at `cmd[python]` runs, skipping interpreter options (`-u`, `-X dev`),
 * or null (a module with `-m`, `-c`, any other script). `next` is the index of the script's first argument.
 */
export function wrapperScriptAt(cmd: readonly Token[], python: number): { script: WrapperScript; next: number } | null {
  const run = pythonScript(cmd, python);
  const script = run ? VLLM_WRAPPER_SCRIPTS.find((s) => s.path === run.script) : undefined;
  return run && script ? { script, next: run.next } : null;
}

/**
 * The vLLM arguments among a wrapper's arguments: its own flags (`--kaito-x=v`, `--kaito-x v`) left out.
 * `configFile` when its config flag is given: more vLLM arguments come from that file.
 */
export function splitWrapperArgs<T extends { text: string }>(tokens: readonly T[], script: WrapperScript): { vllm: T[]; configFile: boolean } {
  const vllm: T[] = [];
  let configFile = false;
  for (let i = 0; i < tokens.length; i++) {
    const text = (tokens[i] as T).text;
    if (!text.startsWith(script.ownFlagPrefix)) {
      vllm.push(tokens[i] as T);
      continue;
    }
    const name = text.includes('=') ? text.slice(0, text.indexOf('=')) : text;
    if (name === script.configFlag) configFile = true;
    if (!text.includes('=')) i++;
  }
  return { vllm, configFile };
}
