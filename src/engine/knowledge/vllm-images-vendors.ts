/**
 * Rows of the vLLM build table (vllm-images.ts): images of serving platforms and vendors (KServe,
 * AWS, Google Vertex AI, Red Hat, Open Data Hub, NVIDIA NGC, OPEA, AIBrix, vLLM Ascend, IBM Spyre, Rebellions, Ray). Data,
 * each row with the public file it came from; its own file so the table stays readable in two halves.
 * @module
 */
import type { AcceleratorFamily } from './accelerators.js';
import { ARGS_ONLY, END, START, VLLM_SERVE, type VllmImage } from './vllm-image-rows.js';

/** The platforms' and vendors' builds, in the table's order. */
export const VENDOR_VLLM_IMAGES: readonly VllmImage[] = [
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
    // The same image through the mirrors vLLM Ascend's FAQ names for users in China.
    pattern: `^(?:quay\\.io|m\\.daocloud\\.io/quay\\.io|quay\\.nju\\.edu\\.cn)/ascend/vllm-ascend${END}`,
    builder: 'vLLM Ascend community (quay.io)',
    family: 'ascend',
    entrypoint: null,
    sources: [
      'vllm-project/vllm-ascend docs (quay.io/ascend/vllm-ascend)',
      'vllm-project/vllm-ascend docs/source/faqs.md at 182b75ea84ff ("How to get our docker containers?": m.daocloud.io/quay.io/ascend/vllm-ascend, quay.nju.edu.cn/ascend/vllm-ascend)',
    ],
  },
  {
    // vLLM with Rebellions' plugin (vllm-rbln) for their ATOM NPUs (`rebellions.ai/ATOM`, a resource no row of
    // knowledge/accelerators.ts knows: its device facts stay unknown, never "no GPU").
    id: 'rebellions-vllm-rbln',
    pattern: `^repo\\.rebellions\\.ai/rebellions/vllm-rbln[\\w.-]*${END}`,
    builder: 'Rebellions (vllm-rbln, ATOM NPU)',
    family: 'unknown',
    entrypoint: ARGS_ONLY(
      'llm-d-incubation/llm-d-modelservice charts/llm-d-modelservice/templates/_helpers.tpl (chart v0.4.12, imageDefaultModelCommand: no command, ' +
        '"the default command defined in the image", with --model, --port, --tensor-parallel-size, --served-model-name as args) and ' +
        'examples/values-rebellions-atom.yaml (repo.rebellions.ai/rebellions/vllm-rbln-rhel9:3.3, modelCommand: imageDefault)',
    ),
    sources: ['llm-d-incubation/llm-d-modelservice examples/output-rebellions-atom.yaml (chart v0.4.12: args --model Qwen/Qwen3-0.6B --port 8000, rebellions.ai/ATOM: 1)'],
  },
  {
    // vLLM with IBM's Spyre plugin (vllm-spyre) for Spyre AIU cards (`ibm.com/aiu_pf`, a resource no row of
    // knowledge/accelerators.ts knows: its device facts stay unknown, never "no GPU"). The image's
    // ENTRYPOINT script sources the AIU setup, then `exec vllm serve "$@"`: args are a positional model and flags.
    id: 'vllm-spyre',
    pattern: `^quay\\.io/ibm-aiu/vllm-spyre${END}`,
    builder: 'IBM (vllm-spyre, Spyre AIU)',
    family: 'unknown',
    entrypoint: VLLM_SERVE('vllm-project/vllm-spyre docker/Dockerfile.amd64 and docker/simple_vllm_serve.sh @ fc6b54b9 (ENTRYPOINT simple_vllm_serve.sh: exec vllm serve "$@")'),
    sources: ['vllm-project/vllm-spyre docs/deploying/k8s.md, docker.md, rhoai.md @ fc6b54b9 (quay.io/ibm-aiu/vllm-spyre:latest.amd64, args [<model>], ibm.com/aiu_pf: 1)'],
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
