import t from 'tap';
import { parseImageRef } from '../../src/engine/vllm/image-ref.js';

const cases: [string, Partial<ReturnType<typeof parseImageRef>>][] = [
  ['vllm/vllm-openai:latest', { registry: null, repository: 'vllm/vllm-openai', tag: 'latest', digest: null, version: null }],
  ['vllm/vllm-openai:v0.8.5', { tag: 'v0.8.5', version: '0.8.5' }],
  ['vllm/vllm-openai:v0.22.0-cu129-ubuntu2404', { tag: 'v0.22.0-cu129-ubuntu2404', version: '0.22.0' }],
  ['vllm/vllm-openai', { tag: null, digest: null }],
  ['localhost:5000/vllm:0.9', { registry: 'localhost:5000', repository: 'vllm', tag: '0.9', version: '0.9' }],
  ['localhost:5000/vllm', { registry: 'localhost:5000', repository: 'vllm', tag: null }],
  ['ghcr.io/llm-d/llm-d:v0.2.0@sha256:abc', { registry: 'ghcr.io', repository: 'llm-d/llm-d', tag: 'v0.2.0', digest: 'sha256:abc' }],
  ['rocm/vllm@sha256:0123', { registry: null, repository: 'rocm/vllm', tag: null, digest: 'sha256:0123' }],
  ['public.ecr.aws/deep-learning-containers/vllm:server-cuda', { registry: 'public.ecr.aws', tag: 'server-cuda', version: null }],
  ['nginx', { registry: null, repository: 'nginx', tag: null }],
  ['', { repository: '', tag: null }],
];

t.test('image references split into registry, repository, tag, digest and version', async (t) => {
  for (const [ref, want] of cases) t.match(parseImageRef(ref), { ref, ...want }, ref);
});
