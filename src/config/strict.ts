/**
 * The config's references to policies, checked against the loaded catalogue: a policy id, a
 * waiver's policy or a parameter name that matches nothing is an error naming the file, the line
 * and the nearest known name. A typo (`image-pined:`) must not silently leave a policy as it was.
 * The schema (config/schema.ts) already refuses unknown fields; this covers what only the policy
 * set can answer.
 * @module
 */
import { readFileSync } from 'node:fs';
import { AppError, describeError } from '../errors.js';
import { parseDocuments } from '../io/yaml.js';
import { didYouMean } from './did-you-mean.js';

export interface ConfigReferenceProblem {
  line: number;
  message: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The catalogue as the config may name it: policy id → the parameter names its file declares
 * (before any config override is merged in).
 */
export type PolicyParameterNames = ReadonlyMap<string, readonly string[]>;

/** Every reference in the config text that names no policy or parameter, in file order. */
export function findConfigReferenceProblems(text: string, catalogue: PolicyParameterNames): ConfigReferenceProblem[] {
  const doc = parseDocuments(text)[0];
  if (!doc || doc.error || !isObject(doc.value)) return []; // loadConfig already said what is wrong
  const ids = [...catalogue.keys()];
  const problems: ConfigReferenceProblem[] = [];
  const policies = doc.value.policies;
  if (isObject(policies)) {
    for (const [id, override] of Object.entries(policies)) {
      const declared = catalogue.get(id);
      if (!declared) {
        problems.push({ line: doc.keyLineOf(['policies', id]), message: `policies.${id}: no policy has this id${didYouMean(id, ids)}` });
        continue;
      }
      const params = isObject(override) ? override.params : undefined;
      if (!isObject(params)) continue;
      const known = [...declared];
      for (const name of Object.keys(params)) {
        if (known.includes(name)) continue;
        const hint = didYouMean(name, known) || (known.length ? `; its parameters are ${known.join(', ')}` : '; it has no parameters');
        problems.push({ line: doc.keyLineOf(['policies', id, 'params', name]), message: `policies.${id}.params.${name}: ${id} has no such parameter${hint}` });
      }
    }
  }
  const waivers = doc.value.waivers;
  if (Array.isArray(waivers)) {
    waivers.forEach((waiver: unknown, i) => {
      const list = isObject(waiver) ? waiver.policies : undefined;
      if (!Array.isArray(list)) return;
      list.forEach((id: unknown, j) => {
        if (typeof id !== 'string' || id === '*' || catalogue.has(id)) return;
        problems.push({ line: doc.lineOf(['waivers', i, 'policies', j]), message: `waivers[${i}].policies[${j}]: no policy has the id ${id}${didYouMean(id, ids)}` });
      });
    });
  }
  return problems.sort((a, b) => a.line - b.line);
}

/** Throws ERR_CONFIG listing every bad reference as `file:line: message`; file null = no config. */
export function checkConfigReferences(file: string | null, catalogue: PolicyParameterNames): void {
  if (file === null) return;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err: unknown) {
    throw new AppError('ERR_CONFIG', `${file}: cannot read the config file (${describeError(err)})`, { cause: err });
  }
  const problems = findConfigReferenceProblems(text, catalogue);
  if (problems.length === 0) return;
  throw new AppError('ERR_CONFIG', problems.map((p) => `${file}:${p.line}: ${p.message}`).join('\n  '));
}
