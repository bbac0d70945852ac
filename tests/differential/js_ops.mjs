// Appended to the JS runtime by test_js_runtime.py: reads lines [op, ...args] with
// typed arguments and writes the result of the runtime's function, typed the same way.
// {"n": "12"} heltal/øre (BigInt), {"x": [sign, "coef", exp]} decimal, {"d": "ÅÅÅÅ-MM-DD"},
// {"v": ["m", "d"]} varighed, {"b": bool}, {"s": text}, {"t": [value, type]} tekst(),
// {"j": [value, type]} til_json(); a result may also be {"u": [mangler, grunde]}.
import { readFileSync } from "node:fs";

function ind(a) {
  if ("n" in a) return BigInt(a.n);
  if ("x" in a) return new Dec(a.x[0], BigInt(a.x[1]), a.x[2]);
  if ("d" in a) return _parseDato(a.d);
  if ("v" in a) return new Varighed(BigInt(a.v[0]), BigInt(a.v[1]));
  if ("b" in a) return a.b;
  if ("s" in a) return a.s;
  throw new Error("bad argument " + JSON.stringify(a));
}

function ud(v) {
  if (v instanceof Ukendt) return { u: [_sorted(v.mangler), v.grunde] };
  if (typeof v === "bigint") return { n: v.toString() };
  if (v instanceof Dec) return { x: _decFormat(v, ".") };
  if (v instanceof Dato) return { d: v.isoformat() };
  if (v instanceof Varighed) return { v: [v.maaneder.toString(), v.dage.toString()] };
  if (typeof v === "boolean") return { b: v };
  return { s: v };
}

const out = [];
for (const line of readFileSync(0, "utf8").split("\n")) {
  if (!line) continue;
  const [op, ...args] = JSON.parse(line);
  if (op === "tekst" || op === "til_json") {
    const [value, typ] = args;
    const r = (op === "tekst" ? tekst : til_json)(ind(value), typ);
    out.push(JSON.stringify({ s: typeof r === "number" || typeof r === "bigint" ? String(r) : r }));
    continue;
  }
  const fn = globalThis["op_" + op] || eval("op_" + op);
  out.push(JSON.stringify(ud(fn(...args.map(ind)))));
}
process.stdout.write(out.join("\n") + "\n");
