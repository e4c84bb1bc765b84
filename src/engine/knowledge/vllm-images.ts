/**
 * Public vLLM container images: which registry paths hold a vLLM server, the accelerator family each
 * build targets, and the ENTRYPOINT it starts with where a Dockerfile at a known commit says so.
 *
 * Data, with the public file each row came from. Patterns are RE2-valid (no lookaround, no
 * back-references), anchored on the registry path and on the tag/digest boundary, and free of nested
 * repetition, so they run in linear time on RE2 and on V8 (test/engine/knowledge/vllm-images.test.ts
 * checks both). Images are matched up to MAX_IMAGE_LENGTH characters.
 */
import type { AcceleratorFamily } from './accelerators.js';

/** What the image runs when a container gives no `command`. */
export interface EntrypointKnowledge {
  /** The ENTRYPOINT argv; null when no Dockerfile at a known commit says it. */
  command: readonly string[] | null;
  /**
   * True when `args` alone are vLLM engine arguments (the ENTRYPOINT starts the OpenAI server), also
   * when `command` is not known. False when the image starts a shell or something else.
   */
  takesEngineArgs: boolean;
  /** Where the ENTRYPOINT was read (repository, path, commit or tag). */
  source: string;
}

export interface VllmImage {
  /** Stable short name, for reasons and tests: `vllm-openai`, `rhaiis-cuda`. */
  id: string;
  /** RE2 pattern over the image reference. */
  pattern: string;
  /** Who builds it. */
  builder: string;
  /** The accelerator the build is for; `unknown` when the tag decides and we cannot tell. */
  family: AcceleratorFamily;
  /** Tag rules tried before `family`, first match wins (RE2 over the tag only). */
  familyByTag?: readonly { tag: string; family: AcceleratorFamily }[];
  entrypoint: EntrypointKnowledge | null;
  /** Public files where the image is used or built. */
  sources: readonly string[];
  note?: string;
}

const START = '(?:^|/)';
const END = '(?:[:@]|$)';

const VLLM_SERVE = (source: string): EntrypointKnowledge => ({ command: ['vllm', 'serve'], takesEngineArgs: true, source });
const ARGS_ONLY = (source: string): EntrypointKnowledge => ({ command: null, takesEngineArgs: true, source });
const SHELL = (source: string): EntrypointKnowledge => ({ command: null, takesEngineArgs: false, source });

const UPSTREAM_CUDA = 'vllm-project/vllm docker/Dockerfile (vllm-openai target)';
const OLD_UPSTREAM =
  'vllm-project/vllm docker/Dockerfile@0000977eaf873be6a295cf73017976d49ca2fb9d ENTRYPOINT ["python3","-m","vllm.entrypoints.openai.api_server"] (releases before the vLLM CLI)';

/** Every public vLLM build we have a source for. Order matters only for overlapping patterns (none today). */
export const VLLM_IMAGES: readonly VllmImage[] = [
  {
    id: 'vllm-openai',
    pattern: `${START}vllm/vllm-openai${END}`,
    builder: 'vLLM project (Docker Hub)',
    family: 'cuda',
    entrypoint: VLLM_SERVE(`${UPSTREAM_CUDA}; earlier tags: ${OLD_UPSTREAM}`),
    sources: ['vllm-project/vllm docs/deployment/k8s.md', 'kserve/kserve config/runtimes/kustomization.yaml@v0.20.0 (vllmserver → vllm/vllm-openai)'],
  },
  {
    id: 'vllm-openai-rocm',
    pattern: `${START}vllm/vllm-openai-rocm${END}`,
    builder: 'vLLM project (Docker Hub)',
    family: 'rocm',
    entrypoint: VLLM_SERVE('vllm-project/vllm docker/Dockerfile.rocm@00305ee518727effd01deeffc47b46282ba29a4b (target vllm-openai)'),
    sources: ['vllm-project/vllm docker/Dockerfile.rocm'],
  },
  {
    id: 'vllm-openai-cpu',
    pattern: `${START}vllm/vllm-openai-cpu${END}`,
    builder: 'vLLM project (Docker Hub)',
    family: 'cpu',
    entrypoint: VLLM_SERVE('vllm-project/vllm docker/Dockerfile.cpu@002c42b2b4358cc689ec19f2e591a38de6694718 (target vllm-openai)'),
    sources: ['kserve/kserve config/runtimes/kserve-vllmserver.yaml (vllm/vllm-openai → vllm/vllm-openai-cpu without a GPU)'],
  },
  {
    id: 'vllm-openai-xpu',
    pattern: `${START}vllm/vllm-openai-xpu${END}`,
    builder: 'vLLM project (Docker Hub)',
    family: 'xpu',
    entrypoint: VLLM_SERVE('vllm-project/vllm docker/Dockerfile.xpu@05cb1bc2ae71c406574afe51f4cd91f2a33e2891 (target vllm-openai)'),
    sources: ['vllm-project/vllm docker/Dockerfile.xpu'],
  },
  {
    id: 'vllm-tpu',
    pattern: `${START}vllm/vllm-tpu${END}`,
    builder: 'vLLM project (Docker Hub)',
    family: 'tpu',
    // docker/Dockerfile.tpu@06218c0 ends in CMD ["/bin/bash"]; manifests give the whole command.
    entrypoint: SHELL('vllm-project/vllm docker/Dockerfile.tpu@06218c0b4dc7677fe0572fc1ae8c86824ce99e96 (CMD /bin/bash, no ENTRYPOINT)'),
    sources: ['GKE TPU manifests using vllm/vllm-tpu:nightly with command python3 -m vllm.entrypoints.openai.api_server'],
  },
  {
    id: 'pierdipi-vllm-cpu',
    pattern: `^quay\\.io/pierdipi/vllm-cpu${END}`,
    builder: 'Pierangelo Di Pilato (quay.io), the CPU build KServe and Open Data Hub test LLMInferenceService with',
    family: 'cpu',
    // No Dockerfile at a known commit says its ENTRYPOINT: its arguments stay "could not be verified".
    entrypoint: null,
    sources: [
      'kserve/kserve test/e2e/llmisvc/fixtures.py (LLMInferenceServiceConfig workload-single-cpu, image quay.io/pierdipi/vllm-cpu:latest)',
      'opendatahub-io/odh-dashboard packages/cypress/cypress/fixtures/resources/yaml/yaml_editor_model_serving.yaml',
      'kserve/kserve#5035 (an LLMInferenceService on this image, no GPU)',
    ],
  },
  {
    id: 'vllm-cpu-release-repo',
    pattern: `^public\\.ecr\\.aws/q9t5s3a7/vllm-(?:arm64-)?cpu-release-repo${END}`,
    builder: 'vLLM project (public ECR)',
    family: 'cpu',
    entrypoint: VLLM_SERVE('vllm-project/vllm docker/Dockerfile.cpu@002c42b2b4358cc689ec19f2e591a38de6694718'),
    sources: ['vllm-project/vllm docs/getting_started/installation/cpu (pre-built images)'],
  },
  {
    id: 'rocm-vllm',
    pattern: `${START}rocm/vllm(?:-dev)?${END}`,
    builder: 'AMD (Docker Hub)',
    family: 'rocm',
    entrypoint: SHELL('vllm-project/vllm docker/Dockerfile.rocm@00305ee (stage final: CMD /bin/bash); AMD images start a shell'),
    sources: ['vllm-project/vllm docker/Dockerfile.rocm (BASE_IMAGE rocm/vllm-dev:base)', 'shared/cases/inputs/rocm-image-only.yaml'],
  },
  {
    id: 'lmcache-vllm-openai',
    pattern: `${START}lmcache/vllm-openai${END}`,
    builder: 'LMCache (Docker Hub)',
    family: 'cuda',
    entrypoint: VLLM_SERVE('LMCache/LMCache docker/Dockerfile (ENTRYPOINT ["vllm","serve"], CMD with --kv-transfer-config)'),
    sources: ['vllm-project/production-stack helm/values.yaml (vllmRuntime image lmcache/vllm-openai)'],
  },
  ...llmdImages(),
  {
    id: 'kserve-huggingfaceserver',
    pattern: `${START}kserve/huggingfaceserver(?:-gpu)?${END}`,
    builder: 'KServe (Docker Hub)',
    // The GPU build is published with a -gpu tag suffix; the plain tag is the CPU build (since its own workflow).
    family: 'unknown',
    familyByTag: [{ tag: '-gpu$', family: 'cuda' }],
    entrypoint: {
      command: ['python3', '-m', 'huggingfaceserver'],
      takesEngineArgs: true,
      source: 'kserve/kserve python/huggingface_server.Dockerfile@v0.15.0 and @v0.20.0',
    },
    sources: ['kserve/kserve config/runtimes/kustomization.yaml@v0.20.0', 'kserve/kserve .github/workflows/huggingface-docker-publish.yml (VERSION-gpu)'],
    note: 'vLLM unless --backend=huggingface (or --disable_vllm, KServe v0.12); without a -gpu tag the accelerator family is not known',
  },
  {
    id: 'kserve-vllmserver',
    pattern: `${START}kserve/vllmserver${END}`,
    builder: 'KServe (Docker Hub, older runtime)',
    family: 'cuda',
    entrypoint: null,
    sources: ['vllm-rules.md §2 Signals (KS key)'],
  },
  {
    id: 'aws-dlc-vllm',
    pattern: `^public\\.ecr\\.aws/deep-learning-containers/vllm${END}`,
    builder: 'AWS Deep Learning Containers',
    family: 'cuda',
    entrypoint: ARGS_ONLY('public examples run public.ecr.aws/deep-learning-containers/vllm:<tag> with --model … args only'),
    sources: ['gallery.ecr.aws/deep-learning-containers/vllm (tags 0.11.1-gpu-py312-cu129-ubuntu22.04-ec2-v1.0, server-cuda)'],
  },
  {
    id: 'aws-neuron-vllm',
    pattern: `^public\\.ecr\\.aws/neuron/pytorch-inference-vllm-neuronx${END}`,
    builder: 'AWS Neuron Deep Learning Containers',
    family: 'neuron',
    entrypoint: null,
    sources: ['gallery.ecr.aws/neuron/pytorch-inference-vllm-neuronx (tags 0.9.1-neuronx-py310-sdk2.25.0-ubuntu22.04 …)'],
  },
  {
    id: 'gke-pytorch-vllm-serve',
    // By repository name, so mirrors of the Artifact Registry path match too.
    pattern: `${START}pytorch-vllm-serve${END}`,
    builder: 'Google Vertex AI Model Garden',
    family: 'cuda',
    entrypoint: null,
    sources: ['us-docker.pkg.dev/vertex-ai/vertex-vision-model-garden-dockers/pytorch-vllm-serve:20250116_0916_RC00 in Vertex/GKE notebooks and manifests'],
  },
  ...rhaiisImages(),
  {
    id: 'odh-vllm',
    // Open Data Hub / OpenShift AI builds of vLLM, by accelerator in the tag (rhoai-2.20-cuda, -rocm, -gaudi, -cpu).
    pattern: `^quay\\.io/modh/vllm${END}`,
    builder: 'Open Data Hub / Red Hat OpenShift AI',
    family: 'unknown',
    familyByTag: [
      { tag: '(?:^|-)cuda(?:-|$)', family: 'cuda' },
      { tag: '(?:^|-)rocm(?:-|$)', family: 'rocm' },
      { tag: '(?:^|-)gaudi(?:-|$)', family: 'gaudi' },
      { tag: '(?:^|-)cpu(?:-|$)', family: 'cpu' },
    ],
    // Both final stages take the OpenAI server's arguments: vllm-openai runs vllm.entrypoints.openai.api_server,
    // vllm-grpc-adapter runs vllm_tgis_adapter, which adds its gRPC flags to vLLM's parser. Which stage a tag is: not sourced.
    entrypoint: ARGS_ONLY(
      'red-hat-data-services/vllm Dockerfile.ubi@069170d8 (ENTRYPOINT ["python3","-m","vllm.entrypoints.openai.api_server"] and ["python3","-m","vllm_tgis_adapter"]); cfchase/rhoai-api-docs docs/serving/llms.md runs quay.io/modh/vllm:rhoai-2.20-cuda with --port, --model args only',
    ),
    sources: ['cfchase/rhoai-api-docs docs/serving/llms.md@07799560 (quay.io/modh/vllm:rhoai-2.20-cuda, -rocm, -gaudi, -cpu)', 'red-hat-data-services/vllm Dockerfile.ubi@069170d8'],
  },
  {
    id: 'ngc-vllm',
    pattern: `^nvcr\\.io/nvidia/vllm${END}`,
    builder: 'NVIDIA NGC',
    family: 'cuda',
    // Public manifests keep the NGC ENTRYPOINT and pass the whole command as args (["vllm","serve",…]).
    entrypoint: null,
    sources: ['nvcr.io/nvidia/vllm:25.09-py3 in public compose files and manifests (args: ["vllm","serve",…])'],
  },
  {
    id: 'opea-vllm',
    pattern: `${START}opea/vllm(?:-cpu)?${END}`,
    builder: 'OPEA (Intel)',
    family: 'cpu',
    // Which Dockerfile.cpu (vllm serve, or the older api_server module) depends on the pinned VLLM_VER.
    entrypoint: ARGS_ONLY('built from vllm-project/vllm docker/Dockerfile.cpu at VLLM_VER (opea-project/GenAIComps comps/third_parties/vllm/src/build_docker_vllm.sh)'),
    sources: ['opea-project/GenAIComps comps/third_parties/vllm/src/build_docker_vllm.sh', 'shared/cases/failure-reports/10-opea-latest-nonroot.yaml'],
  },
  {
    id: 'opea-vllm-gaudi',
    pattern: `${START}opea/vllm-gaudi${END}`,
    builder: 'OPEA (Intel)',
    family: 'gaudi',
    entrypoint: {
      command: ['python3', '-m', 'vllm.entrypoints.openai.api_server'],
      takesEngineArgs: true,
      source: 'HabanaAI/vllm-fork Dockerfile.hpu, as in vllm-project/vllm docker/Dockerfile.hpu@06218c0b4dc7677fe0572fc1ae8c86824ce99e96',
    },
    sources: ['opea-project/GenAIComps comps/third_parties/vllm/deployment/kubernetes/gaudi-values.yaml (habana.ai/gaudi: 1)'],
  },
  {
    id: 'aibrix-vllm-openai',
    pattern: `${START}aibrix/vllm-openai${END}`,
    builder: 'AIBrix',
    family: 'cuda',
    entrypoint: null,
    sources: ['vllm-project/aibrix samples/disaggregation/vllm/1p1d.yaml (aibrix/vllm-openai:v0.10.0-cu128-nixl-v0.4.1-lmcache-0.3.2)'],
  },
  {
    id: 'vllm-ascend',
    pattern: `^quay\\.io/ascend/vllm-ascend${END}`,
    builder: 'vLLM Ascend community (quay.io)',
    family: 'ascend',
    entrypoint: null,
    sources: ['vllm-project/vllm-ascend docs (quay.io/ascend/vllm-ascend)'],
  },
  {
    id: 'ray-llm',
    pattern: `${START}rayproject/ray-llm${END}`,
    builder: 'Ray (Docker Hub): Ray Serve LLM, which runs vLLM engines inside Ray',
    family: 'cuda',
    entrypoint: null,
    sources: ['ray-project/kuberay ray-operator/config/samples/ray-service.llm-serve.yaml@v1.7.0 (rayproject/ray-llm:2.52.0-py311-cu128)'],
    note: 'engine arguments live in serveConfigV2 (engine_kwargs), not in argv',
  },
];

function llmdImages(): VllmImage[] {
  // llm-d names its vLLM builds by accelerator; its router, sidecar and simulator images have other names.
  const suffixes: [string, AcceleratorFamily][] = [
    ['cuda', 'cuda'], ['rocm', 'rocm'], ['xpu', 'xpu'], ['hpu', 'gaudi'], ['cpu', 'cpu'], ['tpu', 'tpu'],
    ['aws', 'unknown'], ['gke', 'unknown'], ['dev', 'unknown'],
  ];
  const built = suffixes.map(([suffix, family]) => ({
    id: `llm-d-${suffix}`,
    pattern: `^ghcr\\.io/llm-d/llm-d-${suffix}(?:-dev)?${END}`,
    builder: 'llm-d (ghcr.io)',
    family,
    entrypoint: null,
    sources: ['kserve/kserve config/llmisvcconfig/config-llm-template.yaml@v0.20.0 (ghcr.io/llm-d/llm-d-cuda:v0.9.0)', 'llm-d/llm-d guides'],
  }));
  return [...built, { ...(built[0] as VllmImage), id: 'llm-d', pattern: `^ghcr\\.io/llm-d/llm-d${END}`, family: 'unknown' }];
}

function rhaiisImages(): VllmImage[] {
  // Red Hat AI Inference Server: vllm-<accelerator>-rhel<N>, run with vLLM args only (podman run … --model …).
  const accelerators: [string, AcceleratorFamily][] = [['cuda', 'cuda'], ['rocm', 'rocm'], ['tpu', 'tpu'], ['xla', 'tpu']];
  const rows: VllmImage[] = accelerators.map(([name, family]) => ({
    id: `rhaiis-${name}`,
    pattern: `^registry\\.(?:access\\.)?redhat\\.(?:io|com)/rhaiis/vllm-${name}-rhel\\d+${END}`,
    builder: 'Red Hat AI Inference Server',
    family,
    entrypoint: ARGS_ONLY('Red Hat AI Inference Server docs: podman run registry.redhat.io/rhaiis/vllm-cuda-rhel9:3.0.0 --model … --tensor-parallel-size …'),
    sources: [`registry.redhat.io/rhaiis/vllm-${name}-rhel9 in public install guides and manifests (3.0.0 … 3.3.0)`],
  }));
  // Other RHAIIS builds (accelerators we have no public file for): vLLM, family unknown.
  const other = { ...(rows[0] as VllmImage), id: 'rhaiis-other', pattern: `^registry\\.(?:access\\.)?redhat\\.(?:io|com)/rhaiis/vllm-[\\w.-]+${END}`, family: 'unknown' as const };
  return [...rows, other];
}
