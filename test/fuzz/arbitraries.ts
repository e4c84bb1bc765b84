/**
 * fast-check arbitraries for fuzzing: real manifests (the admission fixtures and the bench's
 * production-shaped Deployment) mutated at random paths with hostile values: wrong types, nulls,
 * huge arrays, deep nesting, unicode, multi-megabyte strings, own `__proto__` / `constructor`
 * keys (as JSON.parse creates them) and thousands of repeated vLLM flags.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parseDocuments } from '../../src/io/yaml.js';

const REPO = new URL('../../', import.meta.url).pathname;
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Seeds: every committed AdmissionReview fixture and example, and the bench Deployment. */
export function loadSeedReviews(): Record<string, any>[] {
  const dirs = [path.join(REPO, 'test/fixtures/admission'), path.join(REPO, 'examples/admission')];
  const reviews = dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .map((n) => JSON.parse(readFileSync(path.join(dir, n), 'utf8')) as Record<string, any>),
  );
  const deployment = parseDocuments(readFileSync(path.join(REPO, 'bench/fixtures/deployment-pass.yaml'), 'utf8'))[0]?.value;
  const template = reviews.find((r) => r.request?.kind?.kind === 'Deployment') ?? reviews[0];
  reviews.push({ ...template, request: { ...template?.request, uid: 'bench-deployment', object: deployment, oldObject: null, operation: 'CREATE' } });
  return reviews;
}

/** Builds `depth` nested objects or arrays without recursion. */
export function nest(depth: number, array: boolean): Json {
  let value: Json = 'leaf';
  for (let i = 0; i < depth; i++) value = array ? [value] : { x: value };
  return value;
}

/** Objects with own `__proto__` and `constructor` keys, exactly as JSON.parse builds them from a request body. */
export const POISON_TEXTS = [
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"__proto__":{"__proto__":{"polluted":"yes"}},"name":"x"}',
  '{"__proto__":null,"containers":{"__proto__":[]}}',
  '{"toString":"x","valueOf":{},"hasOwnProperty":1,"__defineGetter__":null}',
];
const poisoned: fc.Arbitrary<Json> = fc.constantFrom(...POISON_TEXTS).map((text) => JSON.parse(text) as Json);

const FLAGS = ['--tensor-parallel-size', '-tp', '--max-model-len', '--dtype', '--quantization', '--gpu-memory-utilization', '--model', '--trust-remote-code', '--served-model-name', '--pipeline-parallel-size', '--', '-', '--=', '--max-model-len=', '-O3'];
const flagValues = fc.oneof(fc.constantFrom('4', '0', '-1', '1e309', 'auto', 'bfloat16', '32k', '1.5Gi', '$(HF_TOKEN)', '$$(X)', '${X}', '"', "'", '\\', ''), fc.string({ unit: 'binary', maxLength: 12 }));

/** argv-like arrays: flags, values, shell fragments; sometimes thousands of the same flag. */
export const argvArb: fc.Arbitrary<Json> = fc.oneof(
  { weight: 5, arbitrary: fc.array(fc.oneof(fc.constantFrom(...FLAGS), flagValues), { maxLength: 30 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...FLAGS), flagValues, fc.integer({ min: 1000, max: 20_000 })).map(([flag, value, n]) => Array.from({ length: n }, (_, i) => (i % 2 ? value : flag))) },
  { weight: 1, arbitrary: fc.array(fc.string({ unit: 'binary', maxLength: 40 }), { maxLength: 10 }).map((parts) => ['sh', '-c', parts.join(' && ')]) },
);

const bigString = fc.constantFrom(100_000, 500_000, 1_000_000, 2_500_000).chain((n) => fc.constantFrom('a', '$(', '\\"', '-', '😀', ' --tp 4', 'echo "a;b" && ').map((unit) => unit.repeat(Math.ceil(n / unit.length))));

/** A hostile replacement value; `large` gives only the multi-megabyte, huge and deeply nested ones. */
export function hostileValue(large: boolean): fc.Arbitrary<Json> {
  const small: fc.Arbitrary<Json>[] = [
    fc.constantFrom<Json>(null, true, false, 0, -1, 1.5, 1e308, -0, '', '0', 'null', [], {}, [null], { '': null }),
    fc.string({ unit: 'binary', maxLength: 64 }),
    fc.string({ unit: 'grapheme', maxLength: 32 }),
    fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
    poisoned,
    argvArb,
    fc.integer({ min: 100, max: 400 }).map((n) => Array.from({ length: n }, (_, i) => ({ name: `c${i}`, image: 'vllm/vllm-openai:v0.11.1' })) as Json),
  ];
  if (!large) return fc.oneof(...small);
  return fc.oneof(
    { weight: 1, arbitrary: bigString },
    { weight: 1, arbitrary: bigString.map((text) => ['--model', text, '--max-model-len', text.slice(0, 1000)]) },
    { weight: 1, arbitrary: bigString.map((text) => ['sh', '-c', `${text} && vllm serve m`]) },
    { weight: 1, arbitrary: bigString.map((text) => [{ name: 'HF_TOKEN', value: text }, { name: 'X', value: `$(HF_TOKEN)${text.slice(0, 1000)}` }]) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1000, max: 5000 }), fc.boolean()).map(([d, a]) => nest(d, a)) },
    { weight: 1, arbitrary: fc.integer({ min: 10_000, max: 100_000 }).map((n) => new Array<Json>(n).fill(null)) },
  );
}

/** Where in an object a mutation lands: a walk of child indices, then what to do there. */
export interface Mutation {
  readonly walk: number[];
  readonly op: 'replace' | 'delete' | 'add';
  readonly key: string;
  readonly value: Json;
}

export function mutationArb(large: boolean): fc.Arbitrary<Mutation> {
  return fc.record({
    walk: fc.array(fc.nat(), { maxLength: 12 }),
    op: fc.constantFrom<'replace' | 'delete' | 'add'>('replace', 'replace', 'delete', 'add'),
    key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'args', 'command', 'env', 'image', 'containers', 'resources', 'metadata', 'spec', 'template', 'value', 'name'), fc.string({ maxLength: 8 })),
    value: hostileValue(large),
  });
}

/**
 * Applies mutations to a deep copy, walking own keys only. Keys are set with defineProperty so
 * a `__proto__` key becomes an own property, as JSON.parse would make it.
 */
export function applyMutations(seed: unknown, mutations: readonly Mutation[]): unknown {
  const root: { value: unknown } = { value: structuredClone(seed) };
  for (const m of mutations) {
    let parent: any = root;
    let key: string | number = 'value';
    for (const step of m.walk) {
      const node: unknown = parent[key];
      if (node === null || typeof node !== 'object') break;
      const keys = Object.keys(node);
      if (keys.length === 0) break;
      parent = node;
      const picked = keys[step % keys.length] as string;
      key = Array.isArray(node) ? Number(picked) : picked;
    }
    const target = parent[key];
    if (m.op === 'delete' && parent !== root) {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else if (m.op === 'add' && target !== null && typeof target === 'object') {
      if (Array.isArray(target)) target.push(m.value);
      else Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
    } else {
      Object.defineProperty(parent, key, { value: m.value, enumerable: true, writable: true, configurable: true });
    }
  }
  return root.value;
}

/** Focused mutation of the first container of a pod template: what the engine reads hardest. */
export function containerMutationArb(large: boolean): fc.Arbitrary<(review: Record<string, any>) => void> {
  return fc
    .record({ field: fc.constantFrom('args', 'command', 'env', 'image', 'resources', 'ports', 'startupProbe', 'readinessProbe', 'volumeMounts'), value: fc.oneof(argvArb, hostileValue(large)) })
    .map(({ field, value }) => (review: Record<string, any>) => {
      const spec = review.request?.object?.spec?.template?.spec ?? review.request?.object?.spec;
      const container = Array.isArray(spec?.containers) ? spec.containers[0] : undefined;
      if (container && typeof container === 'object') Object.defineProperty(container, field, { value, enumerable: true, writable: true, configurable: true });
    });
}

/** What a large mutation did, for reports: field, repeated unit and length. */
export type Labelled = ((review: Record<string, any>) => void) & { label: string };

const bigText = fc.constantFrom(100_000, 500_000, 1_000_000, 2_500_000).chain((n) =>
  fc.constantFrom('a', '$(', '\\"', '-', '😀', ' --tp 4', 'echo "a;b" && ').map((unit) => ({ text: unit.repeat(Math.ceil(n / unit.length)), label: `${JSON.stringify(unit)} × ${Math.ceil(n / unit.length)}` })),
);

function onFirstContainer(field: string, value: unknown, label: string): Labelled {
  const apply = (review: Record<string, any>) => {
    const spec = review.request?.object?.spec?.template?.spec ?? review.request?.object?.spec;
    const container = Array.isArray(spec?.containers) ? spec.containers[0] : undefined;
    if (container && typeof container === 'object') Object.defineProperty(container, field, { value, enumerable: true, writable: true, configurable: true });
  };
  return Object.assign(apply, { label: `${field}: ${label}` });
}

/** Field-aware large values for the first container: each lands where the engine reads it. */
export const largeContainerMutationArb: fc.Arbitrary<Labelled> = fc.oneof(
  bigText.map(({ text, label }) => onFirstContainer('command', ['sh', '-c', `${text} && vllm serve m --max-model-len 4096`], `sh -c of ${label}`)),
  bigText.map(({ text, label }) => onFirstContainer('args', ['--model', text, '--served-model-name', text], `--model ${label}`)),
  argvArb.map((argv) => onFirstContainer('args', argv, `${Array.isArray(argv) ? argv.length : 0} argv entries`)),
  bigText.map(({ text, label }) => onFirstContainer('env', [{ name: 'HF_TOKEN', value: text }, { name: 'VLLM_ARGS', value: `$(HF_TOKEN)${text.slice(0, 1000)}` }], `env value ${label}`)),
  bigText.map(({ text, label }) => onFirstContainer('image', `vllm/vllm-openai:${text}`, `image tag ${label}`)),
);

/** A mutated workload object (what the engine sees): random-path mutations, often a focused container one. */
export function objectArb(seeds: readonly Record<string, any>[], large: boolean): fc.Arbitrary<{ object: unknown; label: string }> {
  const objects = seeds.map((s) => s.request?.object).filter((o) => o !== null && typeof o === 'object');
  return fc
    .tuple(
      fc.constantFrom(...objects),
      fc.array(mutationArb(large), { minLength: 0, maxLength: large ? 1 : 3 }),
      fc.array(large ? largeContainerMutationArb : containerMutationArb(false), { minLength: large ? 1 : 0, maxLength: large ? 2 : 3 }),
    )
    .map(([seed, mutations, focused]) => {
      const review = { request: { object: applyMutations(seed, mutations) } } as Record<string, any>;
      for (const f of focused) f(review);
      return { object: review.request.object as unknown, label: focused.map((f) => ('label' in f ? String(f.label) : 'container field')).join(', ') };
    });
}

/** A whole mutated AdmissionReview: a seed, some random-path mutations, maybe a focused container one. */
export function reviewArb(seeds: readonly Record<string, any>[], large: boolean): fc.Arbitrary<Record<string, any>> {
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(mutationArb(large), { minLength: 1, maxLength: 4 }), fc.option(containerMutationArb(large), { nil: undefined }))
    .map(([seed, mutations, focused]) => {
      const review = applyMutations(seed, mutations) as Record<string, any>;
      if (focused && review !== null && typeof review === 'object') focused(review);
      return review;
    });
}

/** Object.prototype's own keys now, to compare after a run. */
export function prototypeSnapshot(): string {
  return [Object.getOwnPropertyNames(Object.prototype), Object.getOwnPropertyNames(Array.prototype), Object.getOwnPropertyNames(Function.prototype)].map((k) => k.sort().join(',')).join('|');
}

export function assertUnpolluted(before: string): void {
  if (({} as Record<string, unknown>).polluted !== undefined || ([] as unknown as Record<string, unknown>).polluted !== undefined) throw new Error('Object.prototype polluted: ({}).polluted is set');
  if (prototypeSnapshot() !== before) throw new Error('a built-in prototype gained or lost a property');
}

/**
 * JSON text with awkward strings (brackets, commas, quotes and backslashes inside them) and
 * uneven nesting, for the body pre-scan (src/admission/body-scan.ts), with the depth and value
 * count a parse finds, to compare against.
 */
export const bracketyJsonArb: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<Json>('[', ']', '{', '}', ',', '"', '\\', '\\"[', 'a,b', '', null, 0, true),
    fc.string({ unit: fc.constantFrom('[', ']', '{', '}', ',', '"', '\\', 'a', 'é', '\u2028') }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 4 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Depth of nested objects and arrays and their count plus their members, as the pre-scan counts them. */
export function jsonShape(value: Json): { depth: number; values: number } {
  let depth = 0;
  let values = 0;
  const stack: Array<[Json, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, level] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    const children = Array.isArray(node) ? node : Object.values(node);
    depth = Math.max(depth, level + 1);
    // One for the container, one per comma between its members.
    values += 1 + Math.max(0, children.length - 1);
    for (const child of children) stack.push([child, level + 1]);
  }
  return { depth, values };
}
