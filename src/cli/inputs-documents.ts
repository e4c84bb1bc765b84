/**
 * Turns one input text into the objects to review: YAML/JSON documents, `kind: List` items,
 * AdmissionReviews saved from a webhook log (the object under review is `request.object`), and
 * Helm output, whose `# Source: chart/templates/x.yaml` comments say which template each
 * document came from.
 * @module
 */
import { parseDocuments } from '../io/yaml.js';

type Segments = readonly (string | number)[];

export interface InputObject {
  /** file#document, with `.items[i]` for a List item and `.request.object` for an AdmissionReview. */
  source: string;
  /** The file as given, `stdin`, or `DIR (kubectl kustomize)`. */
  file: string;
  /** The Helm template the document was rendered from (its `# Source:` comment), when known. */
  template?: string;
  object: unknown;
  /** Line of a path inside the object (segments relative to the object). */
  lineOf(segments: Segments): number;
  /** Line and 1-based column of a path inside the object. */
  positionOf(segments: Segments): { line: number; column: number };
}

export interface InputError {
  source: string;
  line?: number;
  message: string;
}

// Helm writes `# Source: <chart>/templates/<file>` above every rendered document.
// Trailing blanks are trimmed after the match: a lazy `.*?` before `\s*$` is quadratic on a long blank run.
const SOURCE_COMMENT = /^#\s*Source:\s*(\S.*)/;

/** 1-based line → template named by the last `# Source:` comment at or before that line. */
function sourceComments(text: string): { line: number; template: string }[] {
  const found: { line: number; template: string }[] = [];
  let line = 0;
  for (const row of text.split('\n')) {
    line += 1;
    if (!row.startsWith('#')) continue;
    const match = SOURCE_COMMENT.exec(row);
    if (match?.[1]) found.push({ line, template: match[1].trimEnd() });
  }
  return found;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAdmissionReview(value: Record<string, unknown>): boolean {
  return value.kind === 'AdmissionReview' && typeof value.apiVersion === 'string' && value.apiVersion.startsWith('admission.k8s.io/');
}

function nested(input: InputObject, suffix: string, prefix: Segments, object: unknown): InputObject {
  return {
    ...input,
    source: `${input.source}${suffix}`,
    object,
    lineOf: (segments) => input.lineOf([...prefix, ...segments]),
    positionOf: (segments) => input.positionOf([...prefix, ...segments]),
  };
}

/** Unwraps AdmissionReviews and Lists; anything else is returned as it is. */
function expand(input: InputObject, errors: InputError[]): InputObject[] {
  const value = input.object;
  if (!isObject(value)) return [input];
  if (isAdmissionReview(value)) {
    const request = value.request;
    const object = isObject(request) ? request.object : undefined;
    if (!isObject(object)) {
      // A DELETE carries only oldObject: there is nothing that would be admitted.
      errors.push({ source: input.source, line: input.lineOf(['request']), message: 'AdmissionReview without request.object (a DELETE, or a response); nothing to check' });
      return [];
    }
    return [nested(input, '.request.object', ['request', 'object'], object)];
  }
  if (value.kind === 'List' && Array.isArray(value.items)) {
    return value.items.map((item: unknown, i: number) => nested(input, `.items[${i}]`, ['items', i], item));
  }
  return [input];
}

/** Parses one input's text into objects (and errors naming file, document and line). */
export function readDocuments(text: string, file: string): { objects: InputObject[]; errors: InputError[] } {
  const objects: InputObject[] = [];
  const errors: InputError[] = [];
  const sources = text.includes('# Source:') ? sourceComments(text) : [];
  let previousLine = 0;
  let sourceIndex = 0;
  for (const doc of parseDocuments(text)) {
    const source = `${file}#${doc.index}`;
    // The template is the last `# Source:` between the previous document and this one.
    let template: string | undefined;
    while (sourceIndex < sources.length && (sources[sourceIndex]?.line ?? Infinity) <= doc.line) {
      const entry = sources[sourceIndex];
      if (entry && entry.line > previousLine) template = entry.template;
      sourceIndex += 1;
    }
    previousLine = doc.line;
    if (doc.error) {
      errors.push({ source, line: doc.error.line, message: `invalid YAML: ${doc.error.message}` });
    } else if (doc.value === null || doc.value === undefined) {
      continue;
    } else if (!isObject(doc.value)) {
      errors.push({ source, line: doc.line, message: 'the document is not a Kubernetes object (expected a mapping with apiVersion, kind, metadata)' });
    } else {
      const input: InputObject = { source, file, object: doc.value, lineOf: doc.lineOf, positionOf: doc.positionOf, ...(template ? { template } : {}) };
      objects.push(...expand(input, errors));
    }
  }
  return { objects, errors };
}
