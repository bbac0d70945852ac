// Regelkode JS runtime: reading a case from JSON text exactly, as Python's json does.
// JSON.parse turns every number into a double: 3.0 becomes 3, and an integer past 2^53
// loses digits. lesJson keeps what the text says: an integer is a Number when a double
// holds it exactly, else a BigInt; a number written with a fraction or an exponent is a
// Kommatal (what Python's json calls a float), so validation can refuse or accept it,
// and quote it, exactly as the Python module does. NaN and ±Infinity, which Python's
// json reads too, are Kommatal as well.

class Kommatal {
  constructor(value) {
    this.value = value;
  }

  valueOf() {
    return this.value;
  }
}

const _ATOM = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?|true|false|null|NaN|-?Infinity/y;
const _STRENG = /"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/y;

function lesJson(text) {
  let i = 0;
  const fejl = () => new SyntaxError(`ugyldig JSON ved tegn ${i}`);
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const streng = () => {
    _STRENG.lastIndex = i;
    const m = _STRENG.exec(text);
    if (m === null) throw fejl();
    i += m[0].length;
    return JSON.parse(m[0]);
  };
  const value = (depth) => {
    if (depth > 10000) throw new SyntaxError("JSON'en er for dybt indlejret");
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const out = {};
      ws();
      if (text[i] === "}") { i++; return out; }
      for (;;) {
        ws();
        const k = streng();
        ws();
        if (text[i++] !== ":") throw fejl();
        out[k] = value(depth + 1);
        ws();
        const sep = text[i++];
        if (sep === "}") return out;
        if (sep !== ",") throw fejl();
      }
    }
    if (c === "[") {
      i++;
      const out = [];
      ws();
      if (text[i] === "]") { i++; return out; }
      for (;;) {
        out.push(value(depth + 1));
        ws();
        const sep = text[i++];
        if (sep === "]") return out;
        if (sep !== ",") throw fejl();
      }
    }
    if (c === '"') return streng();
    _ATOM.lastIndex = i;
    const m = _ATOM.exec(text);
    if (m === null) throw fejl();
    i += m[0].length;
    const a = m[0];
    if (a === "true") return true;
    if (a === "false") return false;
    if (a === "null") return null;
    if (a === "NaN") return new Kommatal(NaN);
    if (a.endsWith("Infinity")) return new Kommatal(a.startsWith("-") ? -Infinity : Infinity);
    if (m[1] === undefined && m[2] === undefined) {
      const n = BigInt(a);
      return n >= -9007199254740991n && n <= 9007199254740991n ? Number(n) : n;
    }
    return new Kommatal(Number(a));
  };
  const v = value(0);
  ws();
  if (i !== text.length) throw fejl();
  return v;
}
