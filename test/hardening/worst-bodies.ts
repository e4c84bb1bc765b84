/**
 * The most expensive AdmissionReview bodies the limits still let through (3 MiB, 100,000
 * values, 100 levels, argv under the review budget), for the load test and for measuring.
 */
import { readFileSync } from 'node:fs';

const MiB = 1024 * 1024;

function baseReview(): Record<string, any> {
  return JSON.parse(readFileSync(new URL('../fixtures/admission/deployment-deny.json', import.meta.url), 'utf8')) as Record<string, any>;
}

/**
 * Appends `unit()` to `list` while the body stays under `bytes` and its values under
 * `maxValues` (the defaults of --max-body-values); returns the JSON.
 */
function fill(review: Record<string, any>, list: unknown[], unit: () => unknown, bytes: number, maxValues = 95_000): string {
  let size = JSON.stringify(review).length;
  let values = 0;
  for (;;) {
    const next = unit();
    const text = JSON.stringify(next);
    const nextValues = (text.match(/[[{,]/g) ?? []).length + 1;
    if (size + text.length + 1 > bytes || values + nextValues > maxValues) break;
    list.push(next);
    size += text.length + 1;
    values += nextValues;
  }
  return JSON.stringify(review);
}

/** Env entries: what the engine reads for every container (secrets, launchers). */
export function envHeavy(bytes = 3 * MiB - 4096, uid = 'env-heavy'): string {
  const review = baseReview();
  review.request.uid = uid;
  const env: unknown[] = (review.request.object.spec.template.spec.containers[0].env ??= []);
  let i = 0;
  // 3 values per entry: the value ceiling, not the byte limit, stops it (about 31,000 entries).
  return fill(review, env, () => ({ name: `VAR_${(i += 1)}`, value: `value-${i}-pad` }), bytes);
}

/** Many containers, each with a vLLM command line: the engine's per-container work. */
export function containerHeavy(bytes = 3 * MiB - 4096, uid = 'container-heavy'): string {
  const review = baseReview();
  review.request.uid = uid;
  const containers: unknown[] = review.request.object.spec.template.spec.containers;
  const first = containers[0] as Record<string, unknown>;
  let i = 0;
  return fill(
    review,
    containers,
    () => ({ ...first, name: `c${(i += 1)}`, args: ['--model', 'meta-llama/Llama-3.1-8B-Instruct', '--tensor-parallel-size', '2', '--max-model-len', '8192'] }),
    bytes,
  );
}

/** Nested arrays 99 levels deep, repeated: the most values allowed in a field nobody reads. */
export function nestedArrays(bytes = 3 * MiB - 4096, uid = 'nested-arrays'): string {
  const review = baseReview();
  review.request.uid = uid;
  const chunk = `${'['.repeat(90)}${']'.repeat(90)}`;
  const text = JSON.stringify(review);
  const count = Math.min(Math.floor((bytes - text.length) / (chunk.length + 1)), Math.floor(95_000 / 91));
  return text.replace('"spec":{', `"spec":{"x-nested":[${Array.from({ length: count }, () => chunk).join(',')}],`);
}

/**
 * The most the engine itself is given under the review budget: scripts just under 128 KiB of
 * argv and env entries up to just under 30,000 values.
 */
export function reviewBudgetMax(uid = 'review-budget-max'): string {
  const review = baseReview();
  review.request.uid = uid;
  const containers = review.request.object.spec.template.spec.containers as Record<string, any>[];
  const script = `vllm serve m & ${'echo "$(date)" && sleep 1; '.repeat(1_200)}wait`;
  const copies = Math.floor((120 * 1024) / script.length);
  const { env: _env, ...first } = containers[0]!;
  for (let i = 0; i < copies; i += 1) containers.push({ ...first, name: `s${i}`, command: ['sh', '-c'], args: [script] });
  const env: unknown[] = (containers[0]!.env ??= []);
  let i = 0;
  return fill(review, env, () => ({ name: `VAR_${(i += 1)}`, value: 'v' }), 3 * MiB, 29_000);
}

/** The issue's body: 3 MB of nested arrays (1.5 million values); 16 at once took RSS to 1.2 GB. */
export function issueNestedArrays(uid = 'issue-nested'): string {
  const review = baseReview();
  review.request.uid = uid;
  const chunk = `${'['.repeat(50)}${']'.repeat(50)}`;
  const text = JSON.stringify(review);
  const count = Math.floor((3 * MiB - 8192 - text.length) / (chunk.length + 1));
  return text.replace('"spec":{', `"spec":{"x-nested":[${Array.from({ length: count }, () => chunk).join(',')}],`);
}

/** Nearly 3 MiB in one annotation: few values, the most bytes. */
export function bigStrings(uid = 'big-strings'): string {
  const review = baseReview();
  review.request.uid = uid;
  const metadata = review.request.object.metadata as Record<string, any>;
  metadata.annotations = { ...(metadata.annotations ?? {}), 'example.com/blob': 'b'.repeat(3 * MiB - 16 * 1024) };
  return JSON.stringify(review);
}
