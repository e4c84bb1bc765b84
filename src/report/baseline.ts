/**
 * Comparing a scorecard with a previous run: the JSON a previous `check -o json` or
 * `audit -o json` wrote. A finding is the same when the workload (kind, namespace, name), the
 * policy and the field path are; messages may change wording between releases without
 * counting as new.
 * @module
 */
import { readFileSync } from 'node:fs';
import { AppError, describeError } from '../errors.js';
import type { Scorecard } from './scorecard.js';

interface BaselineResult {
  kind?: unknown;
  namespace?: unknown;
  name?: unknown;
  findings?: { policy?: unknown; path?: unknown; action?: unknown }[];
}

// A previous report is our own output, but still an input: cap what is read. Bytes.
const MAX_BASELINE_BYTES = 64 * 1024 * 1024;

function workloadKey(kind: unknown, namespace: unknown, name: unknown): string {
  return `${String(kind)} ${namespace ? `${String(namespace)}/` : ''}${String(name)}`;
}

/** "kind ns/name: policy" per finding of a previous report (findings switched off are not counted). */
export function baselineKeys(report: unknown): Map<string, string> {
  const results = (report as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) throw new Error('not a vllm-guard JSON report (no results array)');
  const keys = new Map<string, string>();
  for (const result of results as BaselineResult[]) {
    for (const f of Array.isArray(result.findings) ? result.findings : []) {
      if (f.action === 'off') continue;
      const label = `${workloadKey(result.kind, result.namespace, result.name)}: ${String(f.policy)}`;
      keys.set(`${label}\u0000${String(f.path)}`, label);
    }
  }
  return keys;
}

/** Reads a previous JSON report. Throws ERR_INPUT naming the file. */
export function readBaseline(file: string): Map<string, string> {
  try {
    const text = readFileSync(file, 'utf8');
    if (Buffer.byteLength(text) > MAX_BASELINE_BYTES) throw new Error(`larger than ${MAX_BASELINE_BYTES / 1024 / 1024} MB`);
    return baselineKeys(JSON.parse(text));
  } catch (err: unknown) {
    throw new AppError('ERR_INPUT', `${file}: cannot read the baseline (${describeError(err)}); pass the JSON of a previous run (vllm-guard check -o json)`, { cause: err });
  }
}

/** Marks each finding new or not, and lists what appeared and what was fixed since the baseline. */
export function compareWithBaseline(card: Scorecard, previous: Map<string, string>, source: string): Scorecard {
  const now = new Map<string, string>();
  const rows = card.rows.map((row) => {
    const findings = row.findings.map((f) => {
      const label = `${workloadKey(row.kind, row.namespace, row.name)}: ${f.policy}`;
      const key = `${label}\u0000${f.path}`;
      now.set(key, label);
      return { ...f, new: !previous.has(key) };
    });
    return { ...row, findings };
  });
  const added = [...now].filter(([key]) => !previous.has(key)).map(([, label]) => label);
  const fixed = [...previous].filter(([key]) => !now.has(key)).map(([, label]) => label);
  return { ...card, rows, baseline: { source, added: [...new Set(added)], fixed: [...new Set(fixed)] } };
}
