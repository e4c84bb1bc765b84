/**
 * The vLLM option table: which option strings each covered release accepts, with their argparse
 * specs, as read from vLLM's sources (src/engine/knowledge/vllm-options/options.json, built by
 * tools/vllm-options/extract.ts). Pure and synchronous; `createOptionTable` indexes the data once
 * and returns a frozen object.
 */
import { closest, closestUnique } from './edit-distance.js';
import type { EnvTableData, EnvVarEntry, OptionSpan, OptionSpec, OptionTableData } from './option-types.js';
import { parseOptionValue, type ValueResult } from './option-values.js';
import { compareParts, isPreRelease, parseVersion, tagOf } from './release.js';

export type ReleaseResolution =
  | { kind: 'covered'; tag: string; note?: string }
  | { kind: 'newer'; version: string; newest: string }
  | { kind: 'older'; version: string; oldest: string }
  | { kind: 'uncovered'; version: string; reason: string }
  | { kind: 'unknown'; reason: string };

/** An option string found in the table. `spec` is the release's (or, for any release, the newest). */
export interface OptionHit {
  /** Primary long name, e.g. `--tensor-parallel-size`. */
  name: string;
  /** The string that was looked up (`-tp`, `--no-enable-prefix-caching`, …). */
  spelled: string;
  /** `--no-x` of a BooleanOptionalAction. */
  negated: boolean;
  /** present: the release has it; removed: only earlier releases; not-yet: only later releases. */
  status: 'present' | 'removed' | 'not-yet';
  spec: OptionSpec;
  /** Every distinct spec across the releases that have it (one when a release was given). */
  specs: readonly OptionSpec[];
  /** First covered release without it after the last that had it (status removed). */
  removedIn?: string;
  /** Last covered release that had it (status removed). */
  lastIn?: string;
  /** First covered release that has it (status not-yet). */
  addedIn?: string;
}

export type PrefixResult = { hit: OptionHit } | { ambiguous: string[] } | null;

export interface OptionTable {
  readonly releases: readonly string[];
  readonly oldest: string;
  readonly newest: string;
  /** Every long option string of any covered release without its `--` (`max-model-len`, `no-enable-prefix-caching`). */
  readonly longNames: ReadonlySet<string>;
  readonly source: OptionTableData['source'];
  /** Maps a version string (`0.10.1.1`, `v0.8.5.post1`, null) to how the table can judge it. */
  resolveRelease(version: string | null): ReleaseResolution;
  /** Exact lookup of a long name, alias or `--no-` form; `release` null = any covered release. */
  lookup(spelled: string, release: string | null): OptionHit | null;
  /** argparse's abbreviation rule (allow_abbrev): a unique prefix of one `--` option string. */
  lookupPrefix(spelled: string, release: string | null): PrefixResult;
  /** The closest option string of that release (or any release) within a small edit distance. */
  suggest(spelled: string, release: string | null): string | null;
  /** The closest option string of that release when no other is as close, else null. */
  suggestUnique(spelled: string, release: string): string | null;
  /** Spans of an option by primary name, oldest first. */
  history(name: string): readonly OptionSpan[];
  parseOptionValue(spec: OptionSpec, text: string): ValueResult;
  /** vllm/envs.py variables: the entry for a name, or null. */
  envVar(name: string, release: string | null): EnvVarEntry | null;
  /** The closest known VLLM_* variable name, or null. */
  suggestEnv(name: string): string | null;
}

interface StringEntry {
  primary: string;
  negated: boolean;
  from: number;
  to: number;
  span: OptionSpan;
  /** The hit for releases this entry covers, built once (lookups allocate nothing). */
  present: OptionHit;
}

function specOf(span: OptionSpan): OptionSpec {
  const { from: _from, to: _to, ...spec } = span;
  void _from;
  void _to;
  return Object.freeze(spec);
}

/**
 * Indexes the option table (and optionally the env table) for lookups.
 * @throws Error when a span names a release the data does not list (a corrupt table).
 */
export function createOptionTable(data: OptionTableData, envData?: EnvTableData): OptionTable {
  const releases = data.releases.map((r) => r.tag);
  const index = new Map(releases.map((t, i) => [t, i]));
  const at = (tag: string): number => {
    const i = index.get(tag);
    if (i === undefined) throw new Error(`vLLM option table: span names release ${tag}, which the table does not list`);
    return i;
  };
  const spans = new Map<string, OptionSpan[]>();
  const strings = new Map<string, StringEntry[]>();
  const add = (spelled: string, primary: string, span: OptionSpan, negated: boolean) => {
    const spec = specOf(span);
    const present: OptionHit = Object.freeze({ name: primary, spelled, negated, status: 'present' as const, spec, specs: Object.freeze([spec]) });
    const entry: StringEntry = { primary, negated, from: at(span.from), to: at(span.to), span, present };
    strings.set(spelled, [...(strings.get(spelled) ?? []), entry]);
  };
  for (const option of data.options) {
    spans.set(option.name, option.spans);
    for (const span of option.spans) {
      add(option.name, option.name, span, false);
      for (const alias of span.aliases ?? []) add(alias, option.name, span, false);
      if (span.action === 'bool-optional' && option.name.startsWith('--')) add(`--no-${option.name.slice(2)}`, option.name, span, true);
    }
  }
  // For "any release": the newest spec, and every distinct spec for lenient value checks.
  const anyHits = new Map<string, OptionHit>();
  for (const [spelled, entries] of strings) {
    const mine = entries.filter((e) => e.primary === (entries[0] as StringEntry).primary);
    const newest = mine.reduce((a, b) => (b.to > a.to ? b : a));
    const distinct = new Map(mine.map((e) => [JSON.stringify(e.present.spec), e.present.spec]));
    anyHits.set(spelled, Object.freeze({ ...newest.present, specs: Object.freeze([...distinct.values()]) }));
  }
  const allStrings = [...strings.keys()].sort();
  const covers = (e: StringEntry, r: number): boolean => e.from <= r && r <= e.to;
  /** The index of the first string of allStrings not below `text` (allStrings.length when none). */
  const firstAtOrAfter = (text: string): number => {
    let lo = 0;
    let hi = allStrings.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((allStrings[mid] as string) < text) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const stringsIn = (r: number | null): string[] =>
    r === null ? allStrings : allStrings.filter((s) => (strings.get(s) as StringEntry[]).some((e) => covers(e, r)));

  const hitFor = (spelled: string, entries: StringEntry[], r: number | null): OptionHit => {
    if (r === null) return anyHits.get(spelled) as OptionHit;
    for (const e of entries) if (covers(e, r)) return e.present;
    const mine = entries.filter((e) => e.primary === (entries[0] as StringEntry).primary);
    const base = { name: (entries[0] as StringEntry).primary, spelled, negated: (entries[0] as StringEntry).negated };
    const earlier = mine.filter((e) => e.to < r);
    if (earlier.length > 0) {
      const last = earlier.reduce((a, b) => (b.to > a.to ? b : a));
      const spec = last.present.spec;
      return { ...base, status: 'removed', spec, specs: [spec], lastIn: releases[last.to], removedIn: releases[last.to + 1] };
    }
    const next = mine.reduce((a, b) => (b.from < a.from ? b : a));
    return { ...base, status: 'not-yet', spec: next.present.spec, specs: [next.present.spec], addedIn: releases[next.from] };
  };

  const releaseIndex = (release: string | null): number | null => {
    if (release === null) return null;
    const i = index.get(release);
    if (i === undefined) throw new Error(`vLLM option table: release ${release} is not covered (use resolveRelease first)`);
    return i;
  };

  const oldest = releases[0] as string;
  const newest = releases[releases.length - 1] as string;
  const oldestV = parseVersion(oldest);
  const newestV = parseVersion(newest);

  const envByName = new Map((envData?.variables ?? []).map((v) => [v.name, v]));
  const envNames = [...envByName.keys()].filter((n) => n.startsWith('VLLM_')).sort();

  const table: OptionTable = {
    releases: Object.freeze([...releases]),
    oldest,
    newest,
    longNames: new Set(allStrings.filter((s) => s.startsWith('--')).map((s) => s.slice(2))),
    source: data.source,
    resolveRelease(version) {
      if (version === null) return { kind: 'unknown', reason: 'no vLLM version could be read from the image' };
      const v = parseVersion(version);
      if (!v || !oldestV || !newestV) return { kind: 'unknown', reason: `"${version.slice(0, 40)}" is not a vLLM version` };
      if (compareParts(v, newestV) > 0) return { kind: 'newer', version, newest };
      if (compareParts(v, oldestV) < 0) return { kind: 'older', version, oldest };
      const tag = tagOf(v);
      // PEP 440: a pre-release (a, b, rc) or dev build of X precedes X and may lack what X added.
      if (isPreRelease(v)) {
        return { kind: 'uncovered', version, reason: `${version} is a pre-release; its options may differ from ${tag}` };
      }
      if (!index.has(tag)) return { kind: 'uncovered', version, reason: `${tag} is not a release tag the table covers` };
      // A post release is a rebuild of the same tag's sources with fixes; its options are the tag's.
      return v.suffix?.kind === 'post' ? { kind: 'covered', tag, note: `${version} is a post release of ${tag}` } : { kind: 'covered', tag };
    },
    lookup(spelled, release) {
      const entries = strings.get(spelled);
      return entries ? hitFor(spelled, entries, releaseIndex(release)) : null;
    },
    lookupPrefix(spelled, release) {
      if (!spelled.startsWith('--') || spelled.length < 3) return null;
      const r = releaseIndex(release);
      // allStrings is sorted: the strings starting with `spelled` form one run, found by binary search.
      const matches: string[] = [];
      for (let i = firstAtOrAfter(spelled); i < allStrings.length && (allStrings[i] as string).startsWith(spelled); i++) {
        const s = allStrings[i] as string;
        if (r === null || (strings.get(s) as StringEntry[]).some((e) => covers(e, r))) matches.push(s);
      }
      if (matches.length === 0) return null;
      const primaries = new Set(matches.map((m) => (strings.get(m) as StringEntry[])[0]?.primary));
      if (matches.length > 1 && !(primaries.size === 1 && r === null)) return { ambiguous: matches };
      // The hit of the option string the prefix stands for (for any release too: keyed by that string).
      const m = matches[0] as string;
      return { hit: hitFor(m, strings.get(m) as StringEntry[], r) };
    },
    suggest(spelled, release) {
      const candidates = stringsIn(releaseIndex(release)).filter((s) => s.startsWith('--') === spelled.startsWith('--'));
      return closest(spelled.replaceAll('_', '-'), candidates);
    },
    suggestUnique(spelled, release) {
      const candidates = stringsIn(releaseIndex(release)).filter((s) => s.startsWith('--') === spelled.startsWith('--'));
      return closestUnique(spelled.replaceAll('_', '-'), candidates);
    },
    history(name) {
      return Object.freeze([...(spans.get(name) ?? [])]);
    },
    parseOptionValue,
    envVar(name, release) {
      const entry = envByName.get(name);
      if (!entry || release === null) return entry ?? null;
      return entry.spans.some((s) => compareTagIndex(index, s.from) <= (index.get(release) ?? -1) && (index.get(release) ?? Infinity) <= compareTagIndex(index, s.to)) ? entry : null;
    },
    suggestEnv(name) {
      return closest(name, envNames);
    },
  };
  return Object.freeze(table);
}

function compareTagIndex(index: Map<string, number>, tag: string): number {
  return index.get(tag) ?? -1;
}
