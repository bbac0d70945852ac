// Runs a generated module on many cases in one Node process (spawning one per case
// is far too slow): `node driver.mjs <module.mjs> < cases.jsonl`.
// Each input line: {"sag": …, "dato": "ÅÅÅÅ-MM-DD" | null, "forklaring": bool}.
// Each output line: "R" + the report's toDict() as JSON (jsonTekst), or
// "F" + [sti, besked] of a SagFejl, or "E" + any other error (a bug).
// Integers in the input that a Number cannot hold exactly are read as BigInt.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

function parseJson(text) {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const value = () => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const out = {};
      ws();
      if (text[i] === "}") { i++; return out; }
      for (;;) {
        ws();
        const k = str();
        ws();
        i++;          // :
        out[k] = value();
        ws();
        if (text[i++] === "}") return out;
      }
    }
    if (c === "[") {
      i++;
      const out = [];
      ws();
      if (text[i] === "]") { i++; return out; }
      for (;;) {
        out.push(value());
        ws();
        if (text[i++] === "]") return out;
      }
    }
    if (c === '"') return str();
    const m = /^-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?|^true|^false|^null/.exec(text.slice(i, i + 400));
    if (m === null) throw new SyntaxError(`bad JSON at ${i}`);
    i += m[0].length;
    if (m[0] === "true") return true;
    if (m[0] === "false") return false;
    if (m[0] === "null") return null;
    if (m[1] === undefined && m[2] === undefined) {
      const n = BigInt(m[0]);
      return n >= -9007199254740991n && n <= 9007199254740991n ? Number(n) : n;
    }
    return Number(m[0]);
  };
  const str = () => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i));
  };
  const v = value();
  return v;
}

const mod = await import(pathToFileURL(process.argv[2]).href);
const lines = readFileSync(0, "utf8").split("\n");
const out = [];
for (const line of lines) {
  if (!line.trim()) continue;
  const { sag, dato = null, forklaring = true } = parseJson(line);
  try {
    const rapport = mod.evaluate(sag, { dato, forklaring });
    out.push("R" + mod.jsonTekst(rapport.toDict()));
  } catch (exc) {
    if (exc instanceof mod.SagFejl) out.push("F" + JSON.stringify([exc.sti, exc.besked]));
    else out.push("E" + JSON.stringify(String(exc && exc.stack || exc)));
  }
}
process.stdout.write(out.join("\n") + "\n");
