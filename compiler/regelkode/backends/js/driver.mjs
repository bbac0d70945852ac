// Runs a generated module on many cases in one Node process (spawning one per case
// is far too slow): `node driver.mjs <module.mjs> < cases.jsonl`.
// Each input line: {"sag": …, "dato": "ÅÅÅÅ-MM-DD" | null, "forklaring": bool}.
// Each output line: "R" + the report's toDict() as JSON (jsonTekst), or
// "F" + [sti, besked] of a SagFejl, or "E" + any other error (a bug).
// Each line is read with the module's lesJson, which keeps numbers exactly as Python's json
// reads them (integers exact, 3.0 a Kommatal, NaN and ±Infinity too).
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const mod = await import(pathToFileURL(process.argv[2]).href);
const lines = readFileSync(0, "utf8").split("\n");
const out = [];
for (const line of lines) {
  if (!line.trim()) continue;
  const { sag, dato = null, forklaring = true } = mod.lesJson(line);
  try {
    const rapport = mod.evaluate(sag, { dato, forklaring });
    out.push("R" + mod.jsonTekst(rapport.toDict()));
  } catch (exc) {
    if (exc instanceof mod.SagFejl) out.push("F" + JSON.stringify([exc.sti, exc.besked]));
    else out.push("E" + JSON.stringify(String(exc && exc.stack || exc)));
  }
}
process.stdout.write(out.join("\n") + "\n");
