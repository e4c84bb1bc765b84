/** Fills {{a.b.c}} in policy messages from the facts; long or structured values are shortened. */
import { valueAtSegments } from './json.js';

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]{1,200})\s*\}\}/g;
const MAX_VALUE = 80;

function show(value: unknown): string {
  // Reads naturally in messages: "--dtype is not set", "(runAsUser not set)".
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) return 'not set';
  let text: string;
  if (Array.isArray(value)) text = value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ');
  else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/** A template split once: literal text around each placeholder's path (already split at the dots). */
export interface CompiledTemplate {
  /** One more than paths: text before the first placeholder, between them, and after the last. */
  texts: string[];
  paths: string[][];
}

export function compileTemplate(template: string): CompiledTemplate {
  const texts: string[] = [];
  const paths: string[][] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    texts.push(template.slice(last, match.index));
    paths.push((match[1] as string).split('.'));
    last = match.index + match[0].length;
  }
  texts.push(template.slice(last));
  return { texts, paths };
}

/** Fills a compiled template: what renderTemplate gives, without matching the template again. */
export function fillTemplate(template: CompiledTemplate, facts: unknown): string {
  const { texts, paths } = template;
  let out = texts[0] as string;
  for (let i = 0; i < paths.length; i++) out += show(valueAtSegments(facts, paths[i] as string[])) + (texts[i + 1] as string);
  return out;
}

export function renderTemplate(template: string, facts: unknown): string {
  return fillTemplate(compileTemplate(template), facts);
}
