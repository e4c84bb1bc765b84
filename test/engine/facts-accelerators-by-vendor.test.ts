import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { familyMismatch, readVendorAccelerators, schedulingAdvice } from '../../src/engine/facts/accelerators-by-vendor.js';

const CASES = fileURLToPath(new URL('../fixtures/cases/', import.meta.url));
const withLimits = (limits: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ name: 'c', resources: { limits, ...extra } });

t.test('8 nvidia.com/vgpu are 8 NVIDIA devices, so TP 8 fits (failure-reports/02)', async (t) => {
  const report = parse(readFileSync(`${CASES}failure-reports/02-vgpu-tp8-no-shm.yaml`, 'utf8')) as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
  const facts = readVendorAccelerators(report.spec.template.spec.containers[0] ?? {});
  t.same([facts.vendors, facts.devices, facts.unknown], [['nvidia'], 8, undefined]);
});

t.test('devices are counted by vendor and unit', async (t) => {
  t.same(readVendorAccelerators(withLimits({ 'amd.com/gpu': '2', cpu: '8' })).devices, 2);
  t.same(readVendorAccelerators(withLimits({ 'nvidia.com/mig-3g.20gb': 1 })).units, ['partition']);
  t.same(readVendorAccelerators(withLimits({ 'aws.amazon.com/neuroncore': 4 })).units, ['core']);
  const hami = readVendorAccelerators(withLimits({ 'nvidia.com/gpu': 1, 'nvidia.com/gpumem': 10000, 'nvidia.com/gpucores': 50 }));
  t.same([hami.devices, hami.units], [1, ['device', 'memory', 'percent']], 'HAMi memory and cores are not devices');
  t.same(readVendorAccelerators(withLimits({ 'huawei.com/Ascend910': 8 })).vendors, ['huawei-ascend']);
});

t.test('an unknown extended resource or a DRA claim makes the facts unknown, never "no accelerator"', async (t) => {
  const unknown = readVendorAccelerators(withLimits({ 'example.com/npu': 4 }));
  t.same([unknown.devices, unknown.unknownResources], [null, ['example.com/npu']]);
  t.match(unknown.unknown, /example\.com\/npu is not a resource vllm-guard knows/);
  const dra = readVendorAccelerators(withLimits({}, { claims: [{ name: 'gpu' }] }));
  t.same([dra.devices, dra.claims], [null, true]);
  t.match(dra.unknown, /DRA ResourceClaim/);
  const network = readVendorAccelerators(withLimits({ 'nvidia.com/gpu': 1, 'rdma/roce_gdr': 1 }));
  t.same([network.devices, network.unknown], [1, undefined], 'a network device beside a GPU changes nothing');
  t.same(readVendorAccelerators({ name: 'c' }), { vendors: [], devices: 0, units: [], unknownResources: [], claims: false }, 'no resources: no accelerator');
});

t.test('a build for one vendor on another vendor’s device names the right image family', async (t) => {
  t.same(familyMismatch('rocm', ['nvidia'])?.use, ['vllm/vllm-openai']);
  t.same(familyMismatch('cuda', ['amd'])?.use, ['vllm/vllm-openai-rocm', 'rocm/vllm']);
  t.same(familyMismatch('cpu', ['google-tpu'])?.use, ['vllm/vllm-tpu', 'registry.redhat.io/rhaiis/vllm-tpu-rhel9']);
  t.equal(familyMismatch('cuda', ['nvidia']), null);
  t.equal(familyMismatch('unknown', ['amd']), null, 'an unknown build never mismatches');
});

t.test('scheduling advice follows the vendor', async (t) => {
  t.same(schedulingAdvice(['amd']).taints, [], 'AMD nodes carry no standard taint: no NVIDIA advice');
  t.ok(schedulingAdvice(['amd']).nodeLabels.includes('amd.com/gpu.product-name'));
  t.same(schedulingAdvice(['google-tpu']).taints, ['google.com/tpu']);
  t.same(schedulingAdvice(['nvidia']).taints, ['nvidia.com/gpu']);
});
