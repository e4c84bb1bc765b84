import t from 'tap';
import { bundledVendorImages } from '../../../src/engine/vllm/bundled.js';
import { imageVllmVersion } from '../../../src/engine/vllm/image-version.js';

const vendors = bundledVendorImages();

t.test('versions read from image references', async (t) => {
  const cases: { image: string; version: string | null; how: string }[] = [
    { image: 'vllm/vllm-openai:v0.10.1.1', version: '0.10.1.1', how: 'official-tag' },
    { image: 'docker.io/vllm/vllm-openai:v0.8.5.post1', version: '0.8.5.post1', how: 'official-tag' },
    { image: 'vllm/vllm-openai:v0.9.2@sha256:' + 'a'.repeat(64), version: '0.9.2', how: 'official-tag' },
    { image: 'public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.10.0', version: '0.10.0', how: 'official-tag' },
    { image: 'vllm/vllm-openai:latest', version: null, how: 'unknown' },
    { image: 'vllm/vllm-openai:nightly-0123abcd', version: null, how: 'unknown' },
    { image: 'vllm/vllm-openai@sha256:' + 'b'.repeat(64), version: null, how: 'unknown' },
    { image: 'vllm/vllm-openai', version: null, how: 'unknown' },
    { image: 'rocm/vllm:rocm6.3.1_vllm_0.8.5_20250513', version: '0.8.5', how: 'embedded' },
    { image: 'registry.example.com/ml/llm-server:2025.1-vllm0.7.0', version: '0.7.0', how: 'embedded' },
    { image: 'ghcr.io/acme/serving:cuda12_vllm_0.6.4', version: '0.6.4', how: 'embedded' },
    { image: 'nvcr.io/nvidia/vllm:25.10-py3', version: '0.10.2', how: 'vendor-table' },
    { image: 'nvcr.io/nvidia/vllm:26.05-py3', version: '0.20.1', how: 'vendor-table' },
    { image: 'nvcr.io/nvidia/vllm:24.01-py3', version: null, how: 'unknown' },
    // NVIDIA Dynamo's vLLM runtime: the vLLM release each Dynamo release pins.
    { image: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:0.6.1', version: '0.11.0', how: 'vendor-table' },
    { image: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.2.0', version: '0.20.1', how: 'vendor-table' },
    { image: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:0.3.2', version: null, how: 'unknown' },
    // A version-like tag on someone else's image is that image's version, not vLLM's.
    { image: 'ghcr.io/llm-d/llm-d:v0.2.0', version: null, how: 'unknown' },
    { image: 'kserve/huggingfaceserver:v0.15.0', version: null, how: 'unknown' },
  ];
  for (const c of cases) {
    const got = imageVllmVersion(c.image, vendors);
    t.same([got.version, got.how], [c.version, c.how], c.image);
    t.ok(got.detail.length > 0, `${c.image} says how`);
  }
  const ngc = imageVllmVersion('nvcr.io/nvidia/vllm:25.10-py3', vendors);
  t.match(ngc, { source: /docs\.nvidia\.com\/deeplearning\/frameworks\/vllm-release-notes\/rel-25-10/ }, 'a vendor mapping cites its release notes');
  t.match(imageVllmVersion('vllm/vllm-openai@sha256:' + 'b'.repeat(64), vendors).detail, /digest/);
  t.equal(imageVllmVersion('x'.repeat(600), vendors).version, null, 'overlong references are not read');
});

t.test('every vendor table entry has a source', async (t) => {
  for (const v of vendors.releaseTags) t.match(v.source, /^https:\/\//, `${v.repository}:${v.tag}`);
  for (const o of vendors.officialRepositories) t.ok(o.source.length > 10, o.repository);
});

t.test('pre-release tags keep their pre-release (PEP 440 spellings)', async (t) => {
  const cases: [string, string | null][] = [
    ['vllm/vllm-openai:v0.17.0-rc1', '0.17.0rc1'],
    ['vllm/vllm-openai:v0.17.0-rc.1', '0.17.0rc1'],
    ['vllm/vllm-openai:v0.11.1rc2', '0.11.1rc2'],
    ['vllm/vllm-openai:0.10.0.dev3', '0.10.0.dev3'],
    ['vllm/vllm-openai:v0.17.0rc1.dev5', '0.17.0rc1.dev5'],
    ['vllm/vllm-openai:v0.17.0-beta1', '0.17.0b1'],
    ['vllm/vllm-openai:v0.17.0-rc', '0.17.0rc0'],
    ['vllm/vllm-openai:v0.9.2-cu128', '0.9.2'],
    ['vllm/vllm-openai:v0.9.2-a100', '0.9.2'],
    ['vllm/vllm-openai:0.8.5.post1', '0.8.5.post1'],
    ['vllm/vllm-openai:nightly-0123abcd', null],
    ['rocm/vllm:rocm7.0_vllm_0.17.0rc1_20260301', '0.17.0rc1'],
  ];
  for (const [image, version] of cases) t.equal(imageVllmVersion(image, vendors).version, version, image);
});
