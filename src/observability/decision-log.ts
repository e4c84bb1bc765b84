/**
 * The one log line per admission decision, written straight to the logger's destination. It is
 * the line pino prints for `logger.info(line, 'admission reviewed')` (same level, time, bindings,
 * key order and stream, so it stays in order with every other line), built from the fixed shape
 * below instead of pino's walk over an arbitrary object: pino's generic serialization was most of
 * the per-request cost outside the engine for an object that is not vLLM. Strings are quoted with
 * JSON.stringify (pino writes a lone surrogate unescaped; this writes it escaped).
 * @module
 */
import { pino, type DestinationStream } from 'pino';
import type { Logger } from './logger.js';

/** What a decision line holds: identity and policy ids only, never object contents (record.ts). */
export interface DecisionLine {
  readonly uid: string;
  readonly operation: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly user: string;
  readonly decision: string;
  readonly policies: readonly string[];
  readonly dry_run: boolean;
  readonly duration_ms: number;
  readonly route: string;
  readonly skip?: string;
  readonly template_unchanged?: boolean;
}

export interface DecisionLog {
  /** Writes `line` at info with the message `admission reviewed`; nothing when info is off. */
  info(line: DecisionLine): void;
}

const MESSAGE = ',"msg":"admission reviewed"}\n';
/** pino's level 30 opening, as its default level formatter prints it. */
const INFO_OPENING = '{"level":30';

function quoted(value: string): string {
  return JSON.stringify(value);
}

function quotedList(values: readonly string[]): string {
  if (values.length === 0) return '[]';
  let text = '[';
  for (let i = 0; i < values.length; i += 1) text += (i === 0 ? '' : ',') + quoted(values[i] as string);
  return `${text}]`;
}

/** A number as JSON prints it (pino prints non-finite numbers as null). */
function number(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/**
 * The decision line writer for `logger`: its level (read at each line, so a level change
 * applies), its time function, its bindings and its destination, through pino's public
 * `pino.symbols`.
 */
export function createDecisionLog(logger: Logger): DecisionLog {
  const internals = logger as unknown as Record<symbol, unknown>;
  const { streamSym, timeSym, chindingsSym } = pino.symbols;
  return {
    info(line) {
      if (!logger.isLevelEnabled('info')) return;
      const time = (internals[timeSym] as () => string)();
      const bindings = internals[chindingsSym] as string;
      let text =
        `${INFO_OPENING}${time}${bindings}` +
        `,"uid":${quoted(line.uid)},"operation":${quoted(line.operation)},"kind":${quoted(line.kind)}` +
        `,"namespace":${quoted(line.namespace)},"name":${quoted(line.name)},"user":${quoted(line.user)}` +
        `,"decision":${quoted(line.decision)},"policies":${quotedList(line.policies)},"dry_run":${line.dry_run ? 'true' : 'false'}` +
        `,"duration_ms":${number(line.duration_ms)},"route":${quoted(line.route)}`;
      if (line.skip !== undefined) text += `,"skip":${quoted(line.skip)}`;
      if (line.template_unchanged !== undefined) text += `,"template_unchanged":${line.template_unchanged ? 'true' : 'false'}`;
      (internals[streamSym] as DestinationStream).write(text + MESSAGE);
    },
  };
}
