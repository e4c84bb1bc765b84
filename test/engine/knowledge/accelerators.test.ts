import t from 'tap';
import {
  ACCELERATOR_VENDORS,
  BUILT_IN_ACCELERATOR_RESOURCES,
  classifyResource,
  isUnknownExtendedResource,
  vendorForFamily,
} from '../../../src/engine/knowledge/accelerators.js';

t.test('extended resources map to a vendor and a unit', async (t) => {
  const cases: [string, string, string][] = [
    ['nvidia.com/gpu', 'nvidia', 'device'],
    ['nvidia.com/mig-1g.5gb', 'nvidia', 'partition'],
    ['nvidia.com/gpu.shared', 'nvidia', 'share'],
    ['nvidia.com/vgpu', 'nvidia', 'device'],
    ['nvidia.com/gpumem', 'nvidia', 'memory'],
    ['nvidia.com/gpucores', 'nvidia', 'percent'],
    ['amd.com/gpu', 'amd', 'device'],
    ['habana.ai/gaudi', 'intel-gaudi', 'device'],
    ['gpu.intel.com/i915', 'intel-gpu', 'device'],
    ['gpu.intel.com/xe', 'intel-gpu', 'device'],
    ['google.com/tpu', 'google-tpu', 'device'],
    ['aws.amazon.com/neuron', 'aws-neuron', 'device'],
    ['aws.amazon.com/neurondevice', 'aws-neuron', 'device'],
    ['aws.amazon.com/neuroncore', 'aws-neuron', 'core'],
    ['huawei.com/Ascend910', 'huawei-ascend', 'device'],
    ['huawei.com/Ascend310P', 'huawei-ascend', 'device'],
  ];
  for (const [name, vendor, unit] of cases) {
    const found = classifyResource(name);
    t.same([found?.vendor.id, found?.resource.unit], [vendor, unit], name);
  }
});

t.test('a resource no vendor names makes accelerator facts unknown; built-in and network resources do not', async (t) => {
  for (const name of ['example.com/npu', 'cambricon.com/mlunum', 'nvidia.com/hostdev']) t.ok(isUnknownExtendedResource(name), name);
  for (const name of ['cpu', 'memory', 'ephemeral-storage', 'hugepages-2Mi', 'nvidia.com/gpu', 'vpc.amazonaws.com/efa', 'rdma/roce_gdr', 'vke.volcengine.com/rdma']) {
    t.notOk(isUnknownExtendedResource(name), name);
  }
});

t.test('each vendor names the image family that fixes should point to', async (t) => {
  t.same(vendorForFamily('rocm')?.images, ['vllm/vllm-openai-rocm', 'rocm/vllm']);
  t.same(vendorForFamily('cuda')?.taints.map((x) => x.key), ['nvidia.com/gpu']);
  t.same(vendorForFamily('tpu')?.taints.map((x) => x.key), ['google.com/tpu']);
  t.equal(vendorForFamily('cpu'), undefined, 'a CPU build has no accelerator vendor');
  for (const vendor of ACCELERATOR_VENDORS) {
    t.ok(vendor.resources.length > 0 && vendor.resources.every((r) => r.source.length > 0), `${vendor.id} resources are sourced`);
    t.ok(vendor.images.length > 0, `${vendor.id} names an image family`);
  }
});

t.test('the built-in accelerator list counts devices, partitions, shares and cores, not memory or percentages', async (t) => {
  t.ok(BUILT_IN_ACCELERATOR_RESOURCES.includes('nvidia.com/vgpu'));
  t.ok(BUILT_IN_ACCELERATOR_RESOURCES.includes('huawei.com/Ascend*'));
  t.notOk(BUILT_IN_ACCELERATOR_RESOURCES.includes('nvidia.com/gpumem'));
  t.notOk(BUILT_IN_ACCELERATOR_RESOURCES.includes('nvidia.com/gpucores'));
});
