// `node bench/js_driver.mjs <module.mjs> <reps> < cases.jsonl`: per case the best of
// `reps` runs of evaluate()+toDict() and of evaluate() alone (µs), after one warm-up
// pass that also writes each report (jsonTekst) for the agreement check. Prints JSON.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const mod = await import(pathToFileURL(process.argv[2]).href);
const reps = Number(process.argv[3]);
const cases = readFileSync(0, "utf8").split("\n").filter((l) => l).map((l) => JSON.parse(l));
const reports = cases.map((c) => mod.jsonTekst(mod.evaluate(c).toDict()));
const best = { til: cases.map(() => Infinity), evaluate: cases.map(() => Infinity) };
for (let rep = 0; rep < reps; rep++) {
  for (let i = 0; i < cases.length; i++) {
    let t0 = process.hrtime.bigint();
    mod.evaluate(cases[i]).toDict();
    let t = Number(process.hrtime.bigint() - t0) / 1000;
    if (t < best.til[i]) best.til[i] = t;
    t0 = process.hrtime.bigint();
    mod.evaluate(cases[i]);
    t = Number(process.hrtime.bigint() - t0) / 1000;
    if (t < best.evaluate[i]) best.evaluate[i] = t;
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
process.stdout.write(JSON.stringify({
  til_us: median(best.til), evaluate_us: median(best.evaluate), reports, node: process.version,
}) + "\n");
