// What test/cases/public-manifests.test.ts and public-reports.test.ts share: the default catalogue in
// enforce mode, and a fixture of test/fixtures/recognition/ reviewed document by document as `check`
// does (the other documents of the file are the input set).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/load.js';
import { createEngine, createRelatedSet, reviewObject, type WorkloadReview } from '../../src/engine/api.js';
import { parseDocuments } from '../../src/io/yaml.js';
import { loadPolicies } from '../../src/policy/load.js';

export const engine = createEngine({ config: loadConfig(null, { mode: 'enforce' }).engine, policies: loadPolicies(null) });

/** The text of a fixture under test/fixtures/recognition/. */
export const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`../fixtures/recognition/${name}`, import.meta.url)), 'utf8');

/** Reviews every document of a fixture as `check` does: the other documents are the input set. */
export function reviewAll(name: string): WorkloadReview[] {
  const objects = parseDocuments(fixture(name)).map((d) => d.value);
  const related = createRelatedSet(objects, { scope: 'the input set' });
  return objects.map((o) => reviewObject(engine, o, { related }));
}

/** The review of the workload named `name`. */
export const byName = (reviews: WorkloadReview[], name: string): WorkloadReview | undefined => reviews.find((r) => r.name === name);
