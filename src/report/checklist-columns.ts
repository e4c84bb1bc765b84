/**
 * The checklist's sections in their order, and the scorecard column each one falls in: the one table
 * the scorecard grid and `vllm-guard policies` group by. Sections are quoted from the seed checklist
 * (docs/checklist-coverage.md lists its items). A policy naming a section that is not here (a team's
 * own policy) gets a column of its own, after the known ones of its phase.
 * @module
 */

/** One scorecard column: a short label over one or more checklist sections of a phase. */
export interface ChecklistColumn {
  readonly phase: string;
  readonly column: string;
  readonly sections: readonly string[];
}

export const CHECKLIST_COLUMNS: readonly ChecklistColumn[] = [
  { phase: 'Phase 0', column: 'Model artifacts', sections: ['Model Artifact Readiness'] },
  { phase: 'Phase 0', column: 'Constraints', sections: ['Inference Constraints Defined'] },
  { phase: 'Phase 0', column: 'Precision', sections: ['Precision & Optimization Intent'] },
  { phase: 'Phase 1', column: 'Runtime', sections: ['Runtime Selection'] },
  { phase: 'Phase 1', column: 'vLLM config', sections: ['vLLM Runtime Configuration'] },
  { phase: 'Phase 1', column: 'Packaging', sections: ['Packaging Strategy'] },
  { phase: 'Phase 1', column: 'Image', sections: ['Container Image'] },
  { phase: 'Phase 2', column: 'GPU nodes', sections: ['GPU Infrastructure'] },
  { phase: 'Phase 2', column: 'Storage', sections: ['Storage'] },
  { phase: 'Phase 2', column: 'Manifests', sections: ['Kubernetes Manifests'] },
  { phase: 'Phase 2', column: 'Networking', sections: ['Networking & Access'] },
  { phase: 'Phase 3', column: 'Metrics', sections: ['Metrics & Logs'] },
  { phase: 'Phase 3', column: 'Autoscaling', sections: ['Autoscaling Configuration', 'Autoscaling Sanity Check'] },
  { phase: 'Phase 4', column: 'Release', sections: ['Release Strategy'] },
  { phase: 'Phase 4', column: 'Failure', sections: ['Failure & Cost Awareness'] },
  { phase: 'Phase 4', column: 'Drift', sections: ['Drift & Optimization'] },
];

/** Where a checklist section sorts and which column it falls in. */
export interface ColumnPlace {
  phase: string;
  column: string;
  /** Index in CHECKLIST_COLUMNS, or its length for a section the table does not know. */
  order: number;
  /** The section's index within its column (0 for an unknown section). */
  sectionOrder: number;
}

/** The column of a policy's checklist phase and section; an unknown section is a column named after itself. */
export function columnOf(checklist: { phase: string; section: string }): ColumnPlace {
  const order = CHECKLIST_COLUMNS.findIndex((c) => c.phase === checklist.phase && c.sections.includes(checklist.section));
  const known = CHECKLIST_COLUMNS[order];
  if (!known) return { phase: checklist.phase, column: checklist.section, order: CHECKLIST_COLUMNS.length, sectionOrder: 0 };
  return { phase: known.phase, column: known.column, order, sectionOrder: known.sections.indexOf(checklist.section) };
}

/**
 * Compares two checklist places in the checklist's order: phase (Phase 0 before Phase 10), the table's
 * order, then the section within a column, then the column's name (for unknown sections).
 */
export function compareChecklist(a: { phase: string; section: string }, b: { phase: string; section: string }): number {
  const pa = columnOf(a);
  const pb = columnOf(b);
  return (
    pa.phase.localeCompare(pb.phase, 'en', { numeric: true }) ||
    pa.order - pb.order ||
    pa.sectionOrder - pb.sectionOrder ||
    pa.column.localeCompare(pb.column) ||
    a.section.localeCompare(b.section)
  );
}
