// Reviews one object many times for `node --cpu-prof`; read the result with bench/read-profile.ts.
// Run: npm run build && node --cpu-prof --cpu-prof-dir=bench/results --import tsx bench/profile.ts [pass|deny|pod] [reviews]
import { reviewObject } from './compiled.js';
import { copies, deny, engine, pass, plainPod } from './workloads.js';

const objects: Record<string, unknown> = { pass, deny, pod: plainPod };
const which = process.argv[2] ?? 'pass';
const object = objects[which];
if (object === undefined) throw new Error(`unknown object ${which}: use pass, deny or pod`);
const reviews = Number(process.argv[3] ?? 200000);
const pool = copies(object, 1000);
const start = process.hrtime.bigint();
for (let i = 0; i < reviews; i++) reviewObject(engine, pool[i % pool.length]);
const us = Number(process.hrtime.bigint() - start) / reviews / 1000;
console.log(`${which}: ${reviews} reviews, ${us.toFixed(2)} µs each (profiler attached)`);
