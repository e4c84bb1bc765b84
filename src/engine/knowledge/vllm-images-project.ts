/**
 * Rows of the vLLM build table (vllm-images.ts): the vLLM project's own images (Docker Hub, public
 * ECR) and the community builds closest to it (AMD's ROCm images, LMCache, llm-d, the CPU build
 * KServe tests with). Data, each row with the public file it came from; its own file so the table
 * stays readable in two halves.
 * @module
 */
import type { AcceleratorFamily } from './accelerators.js';
import { END, OLD_UPSTREAM, SHELL, START, UPSTREAM_CUDA, VLLM_SERVE, type VllmImage } from './vllm-image-rows.js';

/** The vLLM project's and community builds, in the table's order. */
export const PROJECT_VLLM_IMAGES: readonly VllmImage[] = [
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
