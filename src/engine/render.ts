/** Fills {{a.b.c}} in policy messages from the facts; long or structured values are shortened. */
import { valueAtPath } from './json.js';

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

export function renderTemplate(template: string, facts: unknown): string {
  return template.replace(PLACEHOLDER, (_, path: string) => show(valueAtPath(facts, path)));
}
