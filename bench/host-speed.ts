// A fixed piece of work timed on this host, printed beside bench figures taken on machines whose speed
// moves (bench/PROFILE.md: the same build's review cost 2–4× more between hosts of the same kind on one
// day). Two parts: 2e8 modular additions (the JIT's integer loop: the core's speed) and 2e6 small objects
// kept alive (allocation and the young-generation GC). On 2026-11-30 from 18:00 UTC, when bench:engine's
// passing review cost 118–128 µs against 33 µs that morning, the host took 1.40–1.86 s; a run whose figure
// differs much was taken on a faster or slower host, and its µs are not comparable. Run: npm run bench:host
const started = process.hrtime.bigint();
let sum = 0;
for (let i = 0; i < 2e8; i++) sum = (sum + i * 7) % 1000003;
const kept: { a: number; b: string }[] = [];
for (let i = 0; i < 2e6; i++) kept.push({ a: i, b: String(i) });
const ms = Number(process.hrtime.bigint() - started) / 1e6;
// The sum and the count are printed so that neither loop can be optimized away.
console.log(`host speed: fixed loop ${(ms / 1000).toFixed(2)} s (checksum ${sum}, ${kept.length} objects)`);
