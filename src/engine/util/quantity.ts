/** Number parsers for the two human formats a manifest carries: vLLM's suffixed ints and Kubernetes quantities. */

// Longer inputs are never a sensible number; the cap keeps every parse trivially cheap.
const MAX_LENGTH = 64;

const PLAIN_INT = /^[+-]?\d+(?:_\d+)*$/;
const HUMAN_INT = /^(\d+(?:\.\d+)?)([kKmMgGtT])$/;
const DECIMAL: Readonly<Record<string, number>> = { k: 1e3, m: 1e6, g: 1e9, t: 1e12 };
const BINARY: Readonly<Record<string, number>> = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/**
 * Python's `int(s)` for the forms a manifest uses: optional sign, digits, `_` between digits,
 * surrounding whitespace. null when Python would raise.
 */
export function parsePythonInt(s: string): number | null {
  const value = s.trim();
  if (value.length > MAX_LENGTH || !PLAIN_INT.test(value)) return null;
  return Number(value.includes('_') ? value.replaceAll('_', '') : value);
}

/**
 * vLLM's `human_readable_int` (vllm/utils/argparse_utils.py): `1k`=1000, `1K`=1024, `25.6k`=25600
 * (decimals only with the lowercase, decimal suffixes; truncated like `int(float(n) * mult)`),
 * suffixes k/m/g/t and K/M/G/T, else a plain int such as `-1`. null where vLLM would reject the value.
 */
export function parseHumanInt(s: string): number | null {
  const value = s.trim();
  if (value.length > MAX_LENGTH) return null;
  const match = HUMAN_INT.exec(value);
  if (!match) return parsePythonInt(value);
  const number = match[1] as string;
  const suffix = match[2] as string;
  const decimal = DECIMAL[suffix];
  if (decimal !== undefined) return Math.trunc(Number(number) * decimal);
  // vLLM refuses `1.5K`: a binary multiple of a fraction is rarely what was meant.
  if (number.includes('.')) return null;
  return Number(number) * (BINARY[suffix] as number);
}

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;
const EXPONENT = /^[eE][+-]?\d/;
// Fractions divide, so `5u` is exactly 0.000005 rather than 5 × 1e-6.
const QUANTITY_DIVISOR: Readonly<Record<string, number>> = { n: 1e9, u: 1e6, m: 1e3 };
const QUANTITY_SUFFIX: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** How many characters at the start of `text` are ASCII digits. */
function leadingDigits(text: string): number {
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  return i;
}

/**
 * A Kubernetes resource quantity (`512Mi`, `2`, `100m`, `1e3`, `1.5G`) as a plain number: bytes for
 * memory, units for counts. Numbers pass through. null for anything the API server would reject.
 */
export function parseQuantity(q: unknown): number | null {
  if (typeof q === 'number') return Number.isFinite(q) ? q : null;
  if (typeof q !== 'string') return null;
  const value = q.trim();
  if (value.length === 0 || value.length > MAX_LENGTH) return null;
  // Most quantities are digits with at most a binary suffix (`1`, `64Gi`): read without the pattern's
  // match array, to the same number (parseQuantity runs ~10 times per review, bench/PROFILE.md step 35).
  const digits = leadingDigits(value);
  if (digits === value.length) return Number(value);
  if (digits > 0 && digits === value.length - 2 && value.charCodeAt(digits + 1) === 105 /* i */) {
    const binary = QUANTITY_SUFFIX[value.slice(digits)];
    if (binary !== undefined) return Number(value.slice(0, digits)) * binary;
  }
  const match = QUANTITY.exec(value);
  if (!match) return null;
  const number = match[1] as string;
  const suffix = match[2] ?? '';
  let result: number;
  if (suffix === '' || EXPONENT.test(suffix)) result = Number(`${number}${suffix}`);
  else if (suffix in QUANTITY_DIVISOR) result = Number(number) / (QUANTITY_DIVISOR[suffix] as number);
  else result = Number(number) * (QUANTITY_SUFFIX[suffix] as number);
  return Number.isFinite(result) ? result : null;
}
