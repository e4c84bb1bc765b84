// Reading Ray Serve LLM apps out of a RayService's serveConfigV2 (src/engine/workload/ray-serve-llm.ts):
// which import paths are Ray Serve LLM, the vLLM command each LLMConfig amounts to, and what stays unread.
import t from 'tap';
import { MAX_SERVE_CONFIG_CHARS, rayLlmBuilder, readRayServeLlm } from '../../../src/engine/workload/ray-serve-llm.js';

const texts = (config: { command: { text: string }[] } | undefined): string[] => (config?.command ?? []).map((c) => c.text);

t.test('the builders of ray.serve.llm, as module:attr or module.attr; other import paths are not', async (t) => {
  t.equal(rayLlmBuilder('ray.serve.llm:build_openai_app'), 'build_openai_app');
  t.equal(rayLlmBuilder('ray.serve.llm.build_openai_app'), 'build_openai_app');
  t.equal(rayLlmBuilder('ray.serve.llm:build_pd_openai_app'), 'build_pd_openai_app');
  t.equal(rayLlmBuilder('vllm_serve:deployment'), null);
  t.equal(rayLlmBuilder('ray.serve.llm:LLMServer'), null);
  t.equal(rayLlmBuilder('my.ray.serve.llm:build_openai_app'), null);
});

t.test('an llm_config is the vLLM command Ray hands the engine, each value saying where it is written', async (t) => {
  const apps = readRayServeLlm(`applications:
- name: llms
  import_path: ray.serve.llm:build_openai_app
  args:
    llm_configs:
    - model_loading_config: {model_id: qwen, model_source: Qwen/Qwen2.5-7B-Instruct}
      accelerator_type: A10G
      engine_kwargs:
        tensor_parallel_size: 2
        enable_prefix_caching: true
        enforce_eager: false
        max_model_len: null
        hf_overrides: {rope_scaling: {type: yarn}}
        model: ignored
    - model_loading_config: {model_id: meta-llama/Llama-3.1-8B-Instruct}
      placement_group_config: {bundles: [{GPU: 1}, {GPU: 1}]}
`);
  t.same(apps.notes, []);
  t.equal(apps.configs.length, 2);
  const [first, second] = apps.configs;
  t.same(texts(first), ['vllm', 'serve', 'Qwen/Qwen2.5-7B-Instruct', '--tensor_parallel_size', '2', '--enable_prefix_caching', '--hf_overrides', '{"rope_scaling":{"type":"yarn"}}']);
  t.equal(first?.command[4]?.from, 'serveConfigV2 llm_configs[0].engine_kwargs.tensor_parallel_size');
  t.equal(first?.command[2]?.from, 'serveConfigV2 llm_configs[0].model_loading_config.model_source');
  t.equal(first?.acceleratorType, 'A10G');
  t.same(first?.refused.map((r) => r.key), ['model'], 'Ray refuses model in engine_kwargs');
  t.same(texts(second), ['vllm', 'serve', 'meta-llama/Llama-3.1-8B-Instruct'], 'model_id when there is no model_source');
  t.match(second?.devicesUnknown, /placement_group_config/);
});

t.test('the dp and pd builders, and apps beside a custom one, are named by their place', async (t) => {
  const apps = readRayServeLlm(`applications:
- name: custom
  import_path: my_app:deployment
- name: dp
  import_path: ray.serve.llm:build_dp_openai_app
  args: {llm_config: {model_loading_config: {model_id: a/b}, engine_kwargs: {data_parallel_size: 2}}}
- name: pd
  import_path: ray.serve.llm:build_pd_openai_app
  args:
    prefill_config: {model_loading_config: {model_id: c/d}}
    decode_config: {model_loading_config: {model_id: c/d}, engine_kwargs: {tensor_parallel_size: "\${TP}"}}
`);
  t.same(apps.configs.map((c) => c.at), ['applications[1].args.llm_config', 'applications[2].args.prefill_config', 'applications[2].args.decode_config']);
  t.match(apps.configs[2]?.command.at(-1)?.unknown, /placeholder/, 'a placeholder is an unknown value');
});

t.test('what cannot be read is a note, never an exception', async (t) => {
  t.match(readRayServeLlm('applications: [{import_path: ray.serve.llm:build_openai_app\n').notes[0], /spec\.serveConfigV2 is not valid YAML/);
  t.same(readRayServeLlm('applications: [{import_path: my_app:app\n').notes, [], 'a text naming no Ray Serve LLM module is not parsed');
  t.match(readRayServeLlm(`#${'x'.repeat(MAX_SERVE_CONFIG_CHARS)}`).notes[0], /longer than 256 KiB/);
  t.match(readRayServeLlm('applications:\n- import_path: ray.serve.llm:build_openai_app\n  args: {llm_configs: [/conf/qwen.yaml]}\n').notes[0], /names the file \/conf\/qwen\.yaml, which cannot be read at admission/);
  // A "billion laughs" text: aliases are expanded with a cap.
  const laughs = ['# ray.serve.llm', 'a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)].join('\n');
  t.match(readRayServeLlm(laughs).notes[0], /spec\.serveConfigV2 was not read \(Excessive alias count/);
  t.same(readRayServeLlm(undefined), { configs: [], notes: [] });
  t.same(readRayServeLlm({ applications: [] }), { configs: [], notes: [] }, 'serveConfigV2 is a string; anything else is not read');
});
