// Summarises a .cpuprofile: self time by function, and time by engine stage (the outermost stage
// function on each sample's stack); with LINES=1 the busiest source lines (of dist/) per function. Run: node --import tsx bench/read-profile.ts bench/results/X.cpuprofile
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
  /** Samples per source line: where inside a function the self time goes. */
  positionTicks?: { line: number; ticks: number }[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The engine's stages as reviewObject runs them; anything else under reviewObject is "review (other)". */
const STAGES = [
  'extractWorkload', 'selectTargets', 'buildEnvLookup', 'parseVllmArgs', 'groupAccelerators', 'buildFacts',
  'evaluatePolicies', 'decideFinding',
];

const file = process.argv[2];
if (!file) throw new Error('usage: read-profile.ts <file.cpuprofile> [top]');
const top = Number(process.argv[3] ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

function label(n: ProfileNode): string {
  const where = n.callFrame.url ? `${n.callFrame.url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${n.callFrame.lineNumber + 1}` : '';
  return `${n.callFrame.functionName || '(anonymous)'} ${where}`.trim();
}

const self = new Map<string, number>();
const lineTicks = new Map<string, Map<number, number>>();
for (const n of profile.nodes) {
  const lines = lineTicks.get(label(n)) ?? new Map<number, number>();
  for (const p of n.positionTicks ?? []) lines.set(p.line, (lines.get(p.line) ?? 0) + p.ticks);
  lineTicks.set(label(n), lines);
}
const stage = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const us = profile.timeDeltas[i] ?? 0;
  total += us;
  const node = byId.get(id) as ProfileNode;
  self.set(label(node), (self.get(label(node)) ?? 0) + us);
  let outer = node.callFrame.functionName === '(garbage collector)' ? '(garbage collector)' : '(outside reviewObject)';
  let inReview = false;
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const name = (byId.get(cur) as ProfileNode).callFrame.functionName;
    if (STAGES.includes(name)) outer = name;
    if (name === 'reviewObject') inReview = true;
  }
  if (inReview && outer === '(outside reviewObject)') outer = 'review (other)';
  stage.set(outer, (stage.get(outer) ?? 0) + us);
});

const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled`);
console.log('\nby stage (outermost stage function on the stack):');
for (const [name, us] of [...stage].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(us)}  ${name}`);
console.log(`\nby self time (top ${top}):`);
for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  const lines = [...(lineTicks.get(name) ?? [])].sort((a, b) => b[1] - a[1]).slice(0, 4);
  const ticks = lines.reduce((sum, [, n]) => sum + n, 0);
  const where = lines.length > 0 && process.env.LINES ? `   lines ${lines.map(([l, n]) => `${l}:${n}`).join(' ')} (of ${ticks}+ ticks)` : '';
  console.log(`  ${pct(us)}  ${name}${where}`);
}
