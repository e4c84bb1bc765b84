/** Where a pod can land: nodeSelector and required node affinity over real GPU labels → the weakest GPU. */
import t from 'tap';
import { createGpuCatalogue } from '../../../src/engine/knowledge/gpu-catalogue.js';
import { BUNDLED_GPUS } from '../../../src/engine/knowledge/knowledge.js';

const gpus = createGpuCatalogue(BUNDLED_GPUS);

function term(...exprs: { key: string; operator: string; values?: string[] }[]) {
  return { matchExpressions: exprs };
}
function affinity(...terms: ReturnType<typeof term>[]) {
  return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } };
}

t.test('each label family names its product', async (t) => {
  const cases: [Record<string, string>, string, number, number][] = [
    [{ 'nvidia.com/gpu.product': 'Tesla-T4' }, 'Tesla T4', 7.5, 16],
    [{ 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-40GB' }, 'NVIDIA A100-SXM4-40GB', 8.0, 40],
    [{ 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' }, 'NVIDIA H100 80GB HBM3', 9.0, 80],
    [{ 'nvidia.com/gpu.product': 'NVIDIA-L4' }, 'NVIDIA L4', 8.9, 24],
    [{ 'cloud.google.com/gke-accelerator': 'nvidia-tesla-t4' }, 'Tesla T4', 7.5, 16],
    [{ 'cloud.google.com/gke-accelerator': 'nvidia-a100-80gb' }, 'NVIDIA A100 80GB', 8.0, 80],
    [{ 'karpenter.k8s.aws/instance-gpu-name': 't4' }, 'Tesla T4', 7.5, 16],
    [{ 'karpenter.k8s.aws/instance-gpu-name': 'A10G' }, 'NVIDIA A10G', 8.6, 24],
    [{ 'node.kubernetes.io/instance-type': 'g5.12xlarge' }, 'NVIDIA A10G', 8.6, 24],
    [{ 'node.kubernetes.io/instance-type': 'p4d.24xlarge' }, 'NVIDIA A100-SXM4-40GB', 8.0, 40],
    [{ 'node.kubernetes.io/instance-type': 'g6e.12xlarge' }, 'NVIDIA L40S', 8.9, 48],
    [{ 'node.kubernetes.io/instance-type': 'a3-ultragpu-8g' }, 'NVIDIA H200', 9.0, 141],
    [{ 'node.kubernetes.io/instance-type': 'g2-standard-24' }, 'NVIDIA L4', 8.9, 24],
    [{ 'cloud.google.com/gke-accelerator': 'nvidia-h100-mega-80gb' }, 'NVIDIA H100 80GB HBM3', 9.0, 80],
  ];
  for (const [nodeSelector, name, cc, mem] of cases) {
    const p = gpus.placement({ nodeSelector });
    t.match(p, { known: true, name, computeCapability: cc, memoryGiB: mem, reason: null }, JSON.stringify(nodeSelector));
  }
});

t.test('a product named by several products (karpenter a100) is judged by the smaller one', async (t) => {
  const p = gpus.placement({ nodeSelector: { 'karpenter.k8s.aws/instance-gpu-name': 'a100' } });
  t.same(p.products.map((x) => x.id), ['A100-40GB', 'A100-80GB']);
  t.equal(p.memoryGiB, 40);
});

t.test('required affinity: In over several products and OR over terms gives the weakest', async (t) => {
  const inList = gpus.placement({ affinity: affinity(term({ key: 'nvidia.com/gpu.product', operator: 'In', values: ['NVIDIA-H100-80GB-HBM3', 'Tesla-T4'] })) });
  t.match(inList, { known: true, name: 'Tesla T4', computeCapability: 7.5, memoryGiB: 16 });
  const orTerms = gpus.placement({
    affinity: affinity(
      term({ key: 'cloud.google.com/gke-accelerator', operator: 'In', values: ['nvidia-h100-80gb'] }),
      term({ key: 'cloud.google.com/gke-accelerator', operator: 'In', values: ['nvidia-l4'] }),
    ),
  });
  t.match(orTerms, { computeCapability: 8.9, memoryGiB: 24, name: 'NVIDIA L4' });
  const anded = gpus.placement({
    nodeSelector: { 'karpenter.k8s.aws/instance-gpu-name': 'a100' },
    affinity: affinity(term({ key: 'nvidia.com/gpu.product', operator: 'In', values: ['NVIDIA-A100-SXM4-80GB'] })),
  });
  t.match(anded, { memoryGiB: 80, computeCapability: 8.0 }, 'nodeSelector and the term both hold: the 80 GB A100');
});

t.test('NotIn, Exists and unknown values leave the GPU unknown', async (t) => {
  const notIn = gpus.placement({ affinity: affinity(term({ key: 'nvidia.com/gpu.product', operator: 'NotIn', values: ['Tesla-T4'] })) });
  t.match(notIn, { known: false, computeCapability: null, reason: /no nodeSelector or required node affinity names/ });
  const exists = gpus.placement({ affinity: affinity(term({ key: 'cloud.google.com/gke-accelerator', operator: 'Exists' })) });
  t.equal(exists.known, false);
  const unknownValue = gpus.placement({ nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-B200' } });
  t.match(unknownValue, { known: false, reason: /NVIDIA-B200 is not in the GPU catalogue: add it/ });
  const oneOpenTerm = gpus.placement({
    affinity: affinity(term({ key: 'nvidia.com/gpu.product', operator: 'In', values: ['NVIDIA-L4'] }), term({ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] })),
  });
  t.equal(oneOpenTerm.computeCapability, null, 'a second term that names no GPU may land anywhere');
  t.equal(gpus.placement({}).known, false);
  t.equal(gpus.placement(null).known, false);
});

t.test('GPU feature discovery numbers: memory, compute major, family', async (t) => {
  t.match(gpus.placement({ nodeSelector: { 'nvidia.com/gpu.memory': '15360' } }), { memoryGiB: 15, computeCapability: null, known: true });
  t.match(gpus.placement({ nodeSelector: { 'nvidia.com/gpu.compute.major': '7' } }), { computeCapability: 7 });
  t.match(gpus.placement({ nodeSelector: { 'nvidia.com/gpu.family': 'turing' } }), { computeCapability: 7.5 });
  t.match(gpus.placement({ affinity: affinity(term({ key: 'nvidia.com/gpu.memory', operator: 'Gt', values: ['40000'] })) }), { memoryGiB: 40001 / 1024 });
});

t.test('a MIG resource gives the slice memory and an Ampere-or-later capability', async (t) => {
  const p = gpus.placement({ nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' } }, ['nvidia.com/mig-1g.10gb']);
  t.match(p, { name: 'MIG 1g.10gb', memoryGiB: 10, computeCapability: 9.0 });
  t.match(gpus.placement({}, ['nvidia.com/mig-3g.40gb']), { memoryGiB: 40, computeCapability: 8.0, known: true });
  t.match(gpus.placement({ nodeSelector: { 'nvidia.com/gpu.product': 'A100-SXM4-40GB-MIG-1g.5gb' } }), { memoryGiB: 5, computeCapability: 8.0, known: true }, 'GFD MIG single strategy (README example)');
  t.match(gpus.placement({ nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-B200-MIG-1g.23gb' } }), { known: false }, 'a MIG slice of an unknown product');
});

t.test('a platform team adds a product through the config', async (t) => {
  const extended = createGpuCatalogue(BUNDLED_GPUS, [
    { id: 'RTX-4090', name: 'GeForce RTX 4090', memoryGiB: 24, computeCapability: '8.9', sources: ['cuda-gpus'], labels: { 'nvidia.com/gpu.product': ['NVIDIA-GeForce-RTX-4090'] } },
  ]);
  t.match(extended.placement({ nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-GeForce-RTX-4090' } }), { computeCapability: 8.9, memoryGiB: 24 });
  t.equal(extended.products.length, gpus.products.length + 1);
  t.ok(Object.isFrozen(extended) && Object.isFrozen(extended.products), 'immutable');
  t.equal(gpus.placement({ nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-GeForce-RTX-4090' } }).known, false, 'the bundled catalogue is unchanged');
});

t.test('a repeated node selection gets the same answer; a selection differing in any part gets its own', async (t) => {
  const catalogue = createGpuCatalogue(BUNDLED_GPUS);
  const h100 = { key: 'nvidia.com/gpu.product', operator: 'In', values: ['NVIDIA-H100-80GB-HBM3'] };
  const t4 = { key: 'nvidia.com/gpu.product', operator: 'In', values: ['Tesla-T4'] };
  const pods: [string, Record<string, unknown>][] = [
    ['H100 in a term', { affinity: affinity(term(h100)) }],
    ['T4 in a term', { affinity: affinity(term(t4)) }],
    ['two terms (OR)', { affinity: affinity(term(h100), term(t4)) }],
    ['both in one term (AND)', { affinity: affinity(term(h100, t4)) }],
    ['a selector and a term', { nodeSelector: { 'nvidia.com/gpu.product': 'Tesla-T4' }, affinity: affinity(term(h100)) }],
    ['the same requirement as a selector', { nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' } }],
    ['NotIn', { affinity: affinity(term({ ...t4, operator: 'NotIn' })) }],
  ];
  // Each selection twice, interleaved: every answer is what a fresh catalogue (nothing remembered) says.
  for (const round of [1, 2]) {
    for (const [name, pod] of pods) t.same(catalogue.placement(pod), createGpuCatalogue(BUNDLED_GPUS).placement(pod), `${name}, look-up ${round}`);
  }
  const first = catalogue.placement({ affinity: affinity(term(h100)) });
  t.equal(catalogue.placement({ affinity: affinity(term({ ...h100, values: [...h100.values] })) }), first, 'the same selection: the remembered answer');
  t.equal(catalogue.placement({ affinity: affinity(term({ ...h100, values: ['NVIDIA-H100-80GB-HBM3', 7 as unknown as string] })) }), first, 'values that are not strings are not read');
  t.equal(catalogue.placement({ nodeSelector: { team: 'a' } }), catalogue.placement({}), 'no GPU label: the one answer for no GPU');
});
