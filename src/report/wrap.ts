/**
 * Wraps terminal lines at spaces to a width, continuing with a hanging indent, so a long message
 * stays readable in an 80-column terminal. Colour codes (SGR) do not count toward the width.
 * @module
 */

// Our own SGR sequences only: input text was escaped before it got here. Linear: no nesting.
const SGR = /\u001b\[[0-9;]*m/g;

function visibleLength(text: string): number {
  return text.replace(SGR, '').length;
}

/**
 * Splits one line into lines of at most `width` visible characters where it can (a single word
 * longer than the width stays whole); continuation lines start with `indent` spaces.
 * A width below 20 or undefined leaves the line as it is.
 */
export function wrapLine(line: string, width: number | undefined, indent: number): string[] {
  if (width === undefined || width < 20 || visibleLength(line) <= width) return [line];
  const lead = /^ */.exec(line)?.[0] ?? '';
  const words = line.slice(lead.length).split(' ');
  const pad = ' '.repeat(Math.min(indent, width - 10));
  const out: string[] = [];
  let current = lead;
  let currentLength = lead.length;
  for (const word of words) {
    const length = visibleLength(word);
    const atStart = current === lead || current === pad;
    if (!atStart && currentLength + 1 + length > width) {
      out.push(current);
      current = pad + word;
      currentLength = pad.length + length;
    } else {
      current = atStart ? current + word : `${current} ${word}`;
      currentLength += (atStart ? 0 : 1) + length;
    }
  }
  out.push(current);
  return out;
}
