// Regelkode JS runtime: the case — validation and normalisation, as runtime.py's
// `normaliser`: the same checks in the same order, so a malformed case is
// refused with the same JSON path and the same Danish message.
//
// A case is JSON data: numbers may be Number or BigInt (a Number with a fraction
// is a "kommatal"; JSON.parse cannot keep 3.0 apart from 3).

class SagFejl extends Error {
  constructor(sti, besked) {
    super(`${sti}: ${besked}`);
    this.name = "SagFejl";
    this.sti = sti;
    this.besked = besked;
  }
}

const _DECIMAL = /^-?(\p{Nd}{1,30})(\.\p{Nd}{1,20})?$/u;
const _BELOEB = /^-?(\p{Nd}{1,15})(\.\p{Nd}{1,2})?$/u;
const _DATO = /^\p{Nd}{4}-\p{Nd}{2}-\p{Nd}{2}$/u;
const _SURROGAT = /\p{Cs}/u;       // with the u flag: a lone surrogate only
const RESERVEREDE = ["beregningsdato", "beskrivelse"];
const _NAVN = /^[\p{L}\p{Nl}\p{No}_][\p{L}\p{N}_]*$/u;   // Python's [^\W\d]\w*

function _sti(dele) {
  let out = "$";
  for (const d of dele) {
    if (typeof d === "number") out += `[${d}]`;
    else if (_NAVN.test(d)) out += `.${d}`;
    else out += '["' + d.replaceAll("\\", "\\\\").replaceAll('"', '\\"') + '"]';
  }
  return out;
}

function _rel(dele) {
  return _sti(dele).slice(2);
}

function _laengde(s) {
  // the length in code points, as Python counts it
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const c2 = s.charCodeAt(i + 1);
      if (c2 >= 0xdc00 && c2 < 0xe000) i++;
    }
    n++;
  }
  return n;
}

function _tegn(s, n) {
  // the first n code points of s (Python's s[:n])
  let i = 0, k = 0;
  while (i < s.length && k < n) {
    const c = s.codePointAt(i);
    i += c > 0xffff ? 2 : 1;
    k++;
  }
  return s.slice(0, i);
}

const _IKKE_SKRIVBAR = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

// Python's repr() of a str
function _pyReprStr(s) {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === quote || ch === "\\") out += "\\" + ch;
    else if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else if (c < 0x7f || ch === " ") out += ch;
    else if (_IKKE_SKRIVBAR.test(ch)) {
      if (c <= 0xff) out += "\\x" + c.toString(16).padStart(2, "0");
      else if (c <= 0xffff) out += "\\u" + c.toString(16).padStart(4, "0");
      else out += "\\U" + c.toString(16).padStart(8, "0");
    } else out += ch;
  }
  return out + quote;
}

function _erKommatal(v) {
  return v instanceof Kommatal || (typeof v === "number" && !Number.isInteger(v));
}

function _heltal(v) {
  // an integer of the case as BigInt, or null
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  return null;
}

function _erObjekt(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v) &&
    !(v instanceof Dato) && !(v instanceof Varighed) && !(v instanceof Dec) && !(v instanceof Kommatal);
}

function _fejl_type(dele, forventet, value) {
  if (_erKommatal(value)) {
    throw new SagFejl(_sti(dele), `forventede ${forventet}; kommatal er ikke tilladt, skriv fx "1.50"`);
  }
  let shown;
  const n = _heltal(value);
  if (n !== null && !(-(10n ** 60n) < n && n < 10n ** 60n)) shown = "et tal med over 60 cifre";
  else if (n !== null) shown = n.toString();
  else if (typeof value === "string") shown = _pyReprStr(value);
  else if (typeof value === "boolean") shown = value ? "True" : "False";
  else if (value === null || value === undefined) shown = "None";
  else if (Array.isArray(value)) shown = "list";
  else if (_erObjekt(value)) shown = "dict";
  else shown = String(value);
  throw new SagFejl(_sti(dele), `forventede ${forventet}, fik ${_tegn(shown, 60)}`);
}

function _cifre(s) {
  // the digits of s (any Unicode Nd: each block of ten runs 0-9) as ASCII
  let out = "";
  for (const ch of s) {
    if (ch >= "0" && ch <= "9") {
      out += ch;
      continue;
    }
    if (!/\p{Nd}/u.test(ch)) {
      out += ch;
      continue;
    }
    let c = ch.codePointAt(0), k = 0;
    while (/\p{Nd}/u.test(String.fromCodePoint(c - 1))) {
      c--;
      k++;
    }
    out += String(k % 10);
  }
  return out;
}

function _parseDato(s) {
  // date.fromisoformat for YYYY-MM-DD (ASCII digits only, as CPython's parser); null if invalid
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(s)) return null;
  const y = Number(s.slice(0, 4)), m = Number(s.slice(5, 7)), d = Number(s.slice(8, 10));
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > _maanedslaengde(y, m)) return null;
  return new Dato(y, m, d);
}

function _dato(value, dele) {
  if (value instanceof Dato) return value;
  if (typeof value === "string" && _DATO.test(value)) {
    const d = _parseDato(value);
    if (d === null) throw new SagFejl(_sti(dele), `${value} er ikke en gyldig dato`);
    return d;
  }
  _fejl_type(dele, "en dato ÅÅÅÅ-MM-DD", value);
}

function _er_heltal(value, graense) {
  const n = _heltal(value);
  return n !== null && -graense < n && n < graense ? n : null;
}

function _decFraTekst(s) {
  const t = _cifre(s);
  const neg = t.startsWith("-");
  const [heltal, brok = ""] = (neg ? t.slice(1) : t).split(".");
  return new Dec(neg ? 1 : 0, BigInt(heltal + brok), -brok.length);
}

function _norm(value, typ, dele) {
  const kind = typ[0];
  if (kind === "dato") return _dato(value, dele);
  if (kind === "sandhedsværdi") {
    if (value === true || value === false) return value;
    _fejl_type(dele, "true eller false", value);
  }
  if (kind === "enum") {
    if (typeof value === "string" && typ[2].includes(value)) return value;
    if (typeof value === "string") {
      throw new SagFejl(_sti(dele), `\`${_tegn(value, 60)}\` er ikke en tilladt værdi for ${typ[1]}; ` +
        `forventede en af: ${typ[2].join(", ")}`);
    }
    _fejl_type(dele, `en af: ${typ[2].join(", ")}`, value);
  }
  if (kind === "post") {
    if (!_erObjekt(value)) _fejl_type(dele, `et objekt (${typ[1]})`, value);
    const felter = typ[2];
    for (const key of Object.keys(value)) {
      if (!felter.some((f) => f[0] === key)) {
        throw new SagFejl(_sti([...dele, key]), `${typ[1]} har ikke feltet \`${key}\`; ` +
          `felterne er: ${felter.map((f) => f[0]).join(", ")}`);
      }
    }
    const out = {};
    for (const [navn, ftyp] of felter) {
      const v = Object.hasOwn(value, navn) ? value[navn] : null;
      out[navn] = v === null || v === undefined ? new Ukendt([_rel([...dele, navn])])
        : _norm(v, ftyp, [...dele, navn]);
    }
    return out;
  }
  if (kind === "liste") {
    if (!Array.isArray(value)) _fejl_type(dele, "en liste", value);
    if (value.length > MAX_LISTE) {
      throw new SagFejl(_sti(dele), `listen har ${value.length} elementer; højst ${MAX_LISTE} er tilladt`);
    }
    const inner = typ[1];
    const out = [];
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (item === null || item === undefined) {
        throw new SagFejl(_sti([...dele, i]), "et element i en liste må ikke være null");
      }
      out.push(_norm(item, inner, [...dele, i]));
    }
    return out;
  }
  if (kind === "heltal") {
    const n = _er_heltal(value, 10n ** 18n);
    if (n !== null) return n;
    _fejl_type(dele, "et heltal", value);
  }
  if (kind === "beløb") {
    const n = _er_heltal(value, 10n ** 15n);
    if (n !== null) return n * 100n;
    if (typeof value === "string" && _BELOEB.test(value)) {
      return _decHeltal(_decMul(_decFraTekst(value), _decFromInt(100n)));
    }
    _fejl_type(dele, 'et beløb i kroner som tekst med højst 2 decimaler, fx "12326.50"', value);
  }
  if (kind === "decimal") {
    const n = _er_heltal(value, 10n ** 18n);
    if (n !== null) return _decFromInt(n);
    if (value instanceof Dec) return value;
    if (typeof value === "string" && _DECIMAL.test(value)) return _decFraTekst(value);
    _fejl_type(dele, 'et decimaltal som tekst, fx "1.5"', value);
  }
  if (kind === "varighed") {
    if (value instanceof Varighed) return value;
    if (_erObjekt(value) && Object.keys(value).every((k) => k === "måneder" || k === "dage")) {
      const m = Object.hasOwn(value, "måneder") ? value["måneder"] : 0;
      const d = Object.hasOwn(value, "dage") ? value["dage"] : 0;
      const dele2 = [["måneder", m], ["dage", d]];
      const tal = [];
      for (const [part, n] of dele2) {
        const v = _er_heltal(n, 10n ** 6n);
        if (v === null) _fejl_type([...dele, part], "et heltal", n);
        tal.push(v);
      }
      return new Varighed(tal[0], tal[1]);
    }
    _fejl_type(dele, 'en varighed {"måneder": n, "dage": n}', value);
  }
  if (kind === "tekst") {
    if (typeof value === "string" && _laengde(value) <= 100000) {
      if (!_SURROGAT.test(value)) return value;
      throw new SagFejl(_sti(dele), "teksten indeholder en enlig surrogat (\\ud800-\\udfff), " +
        "som ikke er gyldig Unicode-tekst");
    }
    _fejl_type(dele, "en tekst", value);
  }
  throw new SagFejl(_sti(dele), `ukendt type ${kind}`);
}

function normaliser(sag, fakta) {
  if (!_erObjekt(sag)) throw new SagFejl("$", "en sag skal være et JSON-objekt");
  const navne = Object.keys(fakta);
  for (const key of Object.keys(sag)) {
    if (!Object.hasOwn(fakta, key) && !RESERVEREDE.includes(key)) {
      const close = _naermeste(key, navne);
      const hint = close !== null ? ` (mente du \`${close}\`?)` : "";
      throw new SagFejl(_sti([key]), `ukendt faktum \`${key}\`${hint}`);
    }
  }
  const out = {};
  for (const navn of navne) {
    const v = Object.hasOwn(sag, navn) ? sag[navn] : null;
    out[navn] = v === null || v === undefined ? new Ukendt([navn]) : _norm(v, fakta[navn], [navn]);
  }
  return out;
}

function _idag() {
  // Python's date.today(): the local calendar date
  const now = new Date();
  return new Dato(now.getFullYear(), now.getMonth() + 1, now.getDate());
}

function beregningsdato(sag, d) {
  if (d !== null && d !== undefined) {
    try {
      return _dato(d, []);
    } catch (exc) {
      if (exc instanceof SagFejl) throw new SagFejl("dato", exc.besked);
      throw exc;
    }
  }
  if (_erObjekt(sag) && sag.beregningsdato !== null && sag.beregningsdato !== undefined &&
      Object.hasOwn(sag, "beregningsdato")) {
    return _dato(sag.beregningsdato, ["beregningsdato"]);
  }
  return _idag();
}
