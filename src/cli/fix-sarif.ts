/**
 * For `check -o sarif`: the text change a finding's fix makes to its file, as a SARIF artifactChange.
 * Its own file: loaded by `check` only for SARIF output; it rewrites a copy with fix-text.ts and
 * writes nothing.
 * @module
 */
import { readFileSync, statSync } from 'node:fs';
import { diffLines } from 'diff';
import type { Engine, Finding } from '../engine/api.js';
import { MAX_FILE_BYTES, sourceKind } from './fix-files.js';
import { fixText } from './fix-text.js';

/** A SARIF artifactChange: one replacement of whole lines (an insertion is an empty region). */
export interface SarifArtifactChange {
  artifactLocation: { uri: string };
  replacements: { deletedRegion: { startLine: number; startColumn?: number; endLine?: number; endColumn?: number }; insertedContent: { text: string } }[];
}

/**
 * For `check -o sarif`: the text change one finding's fix makes to its file, as a SARIF
 * artifactChange, or undefined (no certain fix, a Kustomize/Helm source, an unreadable file).
 * Applies only that finding's policy in a copy; nothing is written.
 */
export function sarifFixEdits(engine: Engine): (source: string, finding: Finding) => SarifArtifactChange | undefined {
  const texts = new Map<string, string | null>();
  return (source, finding) => {
    if (!finding.fix || finding.fix.needs !== undefined) return undefined;
    const file = source.split('#')[0] as string;
    if (!texts.has(file)) {
      let text: string | null = null;
      try {
        if (sourceKind(file) === null && statSync(file).size <= MAX_FILE_BYTES) text = readFileSync(file, 'utf8');
      } catch {
        text = null;
      }
      texts.set(file, text);
    }
    const before = texts.get(file);
    if (!before) return undefined;
    const after = fixText(engine, before, { dryRun: true, policies: [finding.policy], accept: false }).text;
    if (after === before) return undefined;
    // One replacement per changed hunk: lines between two hunks are never repeated in the report
    // (they may hold a credential the fix did not touch; SARIF files are uploaded and shared).
    const replacements: SarifArtifactChange['replacements'] = [];
    let line = 1;
    let pending: { start: number; removed: number; inserted: string } | null = null;
    const flush = (): void => {
      if (!pending) return;
      const region = pending.removed > 0
        ? { startLine: pending.start, startColumn: 1, endLine: pending.start + pending.removed, endColumn: 1 }
        : { startLine: pending.start, startColumn: 1, endColumn: 1 };
      replacements.push({ deletedRegion: region, insertedContent: { text: pending.inserted } });
      pending = null;
    };
    for (const part of diffLines(before, after)) {
      const count = part.count ?? part.value.split('\n').length - 1;
      if (!part.added && !part.removed) {
        flush();
        line += count;
      } else {
        pending ??= { start: line, removed: 0, inserted: '' };
        if (part.removed) {
          pending.removed += count;
          line += count;
        } else pending.inserted += part.value;
      }
    }
    flush();
    return replacements.length > 0 ? { artifactLocation: { uri: file }, replacements } : undefined;
  };
}
