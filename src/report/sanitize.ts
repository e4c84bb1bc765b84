/**
 * Neutralizes text that came from a manifest or a cluster before a person's terminal, editor,
 * CI log or browser renders it. Names, images, annotations and messages quoting them may carry
 * ANSI escape sequences (which can clear a terminal, retitle it or fake a "PASS" line) or Unicode
 * bidirectional overrides such as U+202E (which make text read differently from what it is,
 * the "Trojan Source" technique, CVE-2021-42574). Each such character is replaced by a visible
 * escape (`\x1b`, `\u202e`) so the reader sees that it was there.
 *
 * Used by the table, JUnit, SARIF, GitHub annotation and HTML outputs. The JSON output keeps
 * the raw value (JSON.stringify already escapes C0 controls) because it is data for programs.
 * @module
 */

// C0 controls (tab and newline included: every field is rendered on one line), DEL, C1 controls,
// and the Unicode bidi controls: ALM, LRM, RLM, LRE/RLE/PDF/LRO/RLO, LRI/RLI/FSI/PDI.
// A character class with no quantifier: linear time.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeOne(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Replaces control characters and bidi overrides with visible escapes; any other text is unchanged. */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/** True when escapeControl would change the text. */
export function hasControl(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return found;
}
