// Regelkode JS runtime: the case — validation and normalisation under the one case
// contract (compiler/DESIGN.md, "The case contract"; runtime/case.py), check for check
// and message for message, so a case is refused at the same path with the same words.
// The emitter writes the contract's constants (limits, patterns, wording: MAX_TEKST,
// HELTAL_GRAENSE, BELOEB_GRAENSE, VARIGHED_GRAENSE, BELOEB_DECIMALER, DECIMAL_CIFRE,
// VIS_HOEJST, MOENSTER_*, FORVENTET, KOMMATAL_RAAD) from the Python values at build
// time, so there is one source of them.
//
// A case is JSON data: integers may be Number or BigInt. JSON's number model: a number
// without a fraction is that integer. A Number with a fraction, or an integer-valued
// Number a double cannot hold exactly, is what Python's json calls a float.

class SagFejl extends Error {
  constructor(sti, besked) {
    super(`${sti}: ${besked}`);
    this.name = "SagFejl";
    this.sti = sti;
    this.besked = besked;
  }
}

const _DECIMAL = new RegExp("^(?:" + MOENSTER_DECIMAL + ")$");
const _BELOEB = new RegExp("^(?:" + MOENSTER_BELOEB + ")$");
const _DATO = new RegExp("^(?:" + MOENSTER_DATO + ")$");
const _SURROGAT = /\p{Cs}/u;       // with the u flag: a lone surrogate only
// `$schema` lets an editor check a case against the generated sag.schema.json.
const RESERVEREDE = ["beregningsdato", "beskrivelse", "$schema"];
const _NAVN = /^[\p{L}\p{Nl}\p{No}_][\p{L}\p{N}_]*$/u;   // Python's [^\W\d]\w*
const _KORTE = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function _escape(tekst, quote) {
  let out = "";
  for (const ch of tekst) {
    const o = ch.codePointAt(0);
    if (ch === quote || ch === "\\") out += "\\" + ch;
    else if (ch in _KORTE) out += _KORTE[ch];
    else if (o < 0x20 || (o >= 0x7f && o < 0xa0) || (o >= 0xd800 && o < 0xe000) || o === 0x2028 || o === 0x2029) {
      out += "\\u" + o.toString(16).padStart(4, "0");
    } else out += ch;
  }
  return out;
}

function _laengde(s) {
  // the length in code points, as Python counts it
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function _tegn(s, n) {
  // the first n code points of s (Python's s[:n])
  let out = "", k = 0;
  for (const ch of s) {
    if (k++ >= n) break;
    out += ch;
  }
  return out;
}

function _tusinderTal(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
}

function _citer(tekst, quote = '"') {
  const n = _laengde(tekst);
  if (n <= VIS_HOEJST) return quote + _escape(tekst, quote) + quote;
  return `${quote}${_escape(_tegn(tekst, VIS_HOEJST), quote)}…${quote} (${_tusinderTal(n)} tegn)`;
}

// What Python's json calls a float: a Kommatal, or a Number that is not a safe integer.
function _erFloat(v) {
  return v instanceof Kommatal || (typeof v === "number" && !Number.isSafeInteger(v));
}

// Python's repr() of a float: the shortest digits, fixed for 1e-4 <= |x| < 1e16, else d.ddde±XX
function _floatRepr(x) {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return (x < 0 ? "-" : "") + "Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mant, e] = x.toExponential().split("e");
  const exp = Number(e);
  const sign = mant.startsWith("-") ? "-" : "";
  const digits = mant.replace("-", "").replace(".", "");
  if (exp >= -4 && exp < 16) {
    if (exp < 0) return sign + "0." + "0".repeat(-exp - 1) + digits;
    const whole = digits.length > exp + 1 ? digits.slice(0, exp + 1) : digits + "0".repeat(exp + 1 - digits.length);
    const frac = digits.length > exp + 1 ? digits.slice(exp + 1) : "0";
    return sign + whole + "." + frac;
  }
  const m = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
  return sign + m + "e" + (exp < 0 ? "-" : "+") + String(Math.abs(exp)).padStart(2, "0");
}

function _erObjekt(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v) &&
    !(v instanceof Dato) && !(v instanceof Varighed) && !(v instanceof Dec) && !(v instanceof Kommatal);
}

function _vis(value) {
  if (value === null || value === undefined) return "null";
  if (value === true || value === false) return value ? "true" : "false";
  if (typeof value === "string") return _citer(value);
  if (typeof value === "bigint") {
    return -(10n ** 60n) < value && value < 10n ** 60n ? value.toString() : "et tal med over 60 cifre";
  }
  if (typeof value === "number") return Number.isSafeInteger(value) ? String(value) : _floatRepr(value);
  if (value instanceof Kommatal) return _floatRepr(value.value);
  if (Array.isArray(value)) return "en liste";
  if (value instanceof Dec) {
    const text = value.toString();
    return _laengde(text) <= VIS_HOEJST ? text : _tegn(text, VIS_HOEJST) + "…";
  }
  if (_erObjekt(value)) return "et objekt";
  return typeof value;
}

function _sti(dele) {
  let out = "$";
  for (const d of dele) {
    if (typeof d === "number") out += `[${d}]`;
    else if (_NAVN.test(d)) out += `.${d}`;
    else out += '["' + _escape(d, '"') + '"]';
  }
  return out;
}

function _rel(dele) {
  return _sti(dele).slice(2);
}

function _fejl_type(dele, kind, value) {
  const forventet = Object.hasOwn(FORVENTET, kind) ? FORVENTET[kind] : kind;
  let besked = `forventede ${forventet}, fik ${_vis(value)}`;
  if (_erFloat(value) && Object.hasOwn(KOMMATAL_RAAD, kind)) {
    besked += "; " + KOMMATAL_RAAD[kind];
  }
  throw new SagFejl(_sti(dele), besked);
}

function _parseDato(s) {
  // date.fromisoformat for YYYY-MM-DD (ASCII digits only); null if not a calendar date
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
  _fejl_type(dele, "dato", value);
}

function _hel(value, graense) {
  // a whole number below graense in size, as BigInt; else null (true/false are no numbers)
  let n = null;
  if (typeof value === "bigint") n = value;
  else if (typeof value === "number" && Number.isInteger(value)) n = BigInt(value);
  else if (value instanceof Kommatal && Number.isInteger(value.value)) n = BigInt(value.value);
  else if (value instanceof Dec && value.exp >= 0) n = _decHeltal(value);
  return n !== null && -graense < n && n < graense ? n : null;
}

function _decFraTekst(s) {
  const neg = s.startsWith("-");
  const [heltal, brok = ""] = (neg ? s.slice(1) : s).split(".");
  return new Dec(neg ? 1 : 0, BigInt(heltal + brok), -brok.length);
}

function _norm(value, typ, dele) {
  const kind = typ[0];
  if (kind === "dato") return _dato(value, dele);
  if (kind === "sandhedsværdi") {
    if (value === true || value === false) return value;
    _fejl_type(dele, kind, value);
  }
  if (kind === "enum") {
    if (typeof value === "string" && typ[2].includes(value)) return value;
    if (typeof value === "string") {
      throw new SagFejl(_sti(dele), `${_citer(value)} er ikke en tilladt værdi for ${typ[1]}; ` +
        `forventede en af: ${typ[2].join(", ")}`);
    }
    _fejl_type(dele, `en af: ${typ[2].join(", ")}`, value);
  }
  if (kind === "post") {
    if (!_erObjekt(value)) _fejl_type(dele, `et objekt (${typ[1]})`, value);
    const felter = typ[2];
    for (const key of Object.keys(value)) {
      if (!felter.some((f) => f[0] === key)) {
        throw new SagFejl(_sti([...dele, key]), `${typ[1]} har ikke feltet ${_citer(key, "`")}; ` +
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
    if (!Array.isArray(value)) _fejl_type(dele, kind, value);
    if (value.length > MAX_LISTE) {
      throw new SagFejl(_sti(dele), `listen har ${value.length} elementer; højst ${MAX_LISTE} er tilladt`);
    }
    const out = [];
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (item === null || item === undefined) {
        throw new SagFejl(_sti([...dele, i]), "et element i en liste må ikke være null");
      }
      out.push(_norm(item, typ[1], [...dele, i]));
    }
    return out;
  }
  if (kind === "heltal") {
    const n = _hel(value, HELTAL_GRAENSE);
    if (n !== null) return n;
    _fejl_type(dele, kind, value);
  }
  if (kind === "beløb") {
    const n = _hel(value, BELOEB_GRAENSE);
    if (n !== null) return n * 100n;
    if (typeof value === "string" && _BELOEB.test(value)) {
      return _decHeltal(_decMul(_decFraTekst(value), _decFromInt(100n)));
    }
    if (value instanceof Dec && value.adjusted() < String(BELOEB_GRAENSE).length - 1 &&
        value.exp >= -BELOEB_DECIMALER) {
      return _decHeltal(_decMul(value, _decFromInt(100n)));
    }
    _fejl_type(dele, kind, value);
  }
  if (kind === "decimal") {
    const n = _hel(value, HELTAL_GRAENSE);
    if (n !== null) return _decFromInt(n);
    if (value instanceof Dec && value.adjusted() < DECIMAL_CIFRE[0]) return value;
    if (typeof value === "string" && _DECIMAL.test(value)) return _decFraTekst(value);
    _fejl_type(dele, kind, value);
  }
  if (kind === "varighed") {
    if (value instanceof Varighed) return value;
    if (!_erObjekt(value)) _fejl_type(dele, kind, value);
    for (const key of Object.keys(value)) {
      if (key !== "måneder" && key !== "dage") {
        throw new SagFejl(_sti([...dele, key]),
          `en varighed har kun felterne \`måneder\` og \`dage\`, ikke ${_citer(key, "`")}`);
      }
    }
    const tal = [];
    for (const part of ["måneder", "dage"]) {
      const v = Object.hasOwn(value, part) ? value[part] : 0;
      const n = v === null || v === undefined ? null : _hel(v, VARIGHED_GRAENSE);
      if (n === null) _fejl_type([...dele, part], "varighedsdel", v === undefined ? null : v);
      tal.push(n);
    }
    return new Varighed(tal[0], tal[1]);
  }
  if (kind === "tekst") {
    if (typeof value === "string") {
      const n = _laengde(value);
      if (n > MAX_TEKST) {
        throw new SagFejl(_sti(dele), `teksten har ${_tusinderTal(n)} tegn; højst ` +
          `${_tusinderTal(MAX_TEKST)} er tilladt`);
      }
      if (!_SURROGAT.test(value)) return value;
      throw new SagFejl(_sti(dele), "teksten indeholder en enlig surrogat (\\ud800-\\udfff), " +
        "som ikke er gyldig Unicode-tekst");
    }
    _fejl_type(dele, kind, value);
  }
  throw new SagFejl(_sti(dele), `ukendt type ${kind}`);
}

function normaliser(sag, fakta) {
  if (!_erObjekt(sag)) throw new SagFejl("$", `en sag skal være et JSON-objekt, fik ${_vis(sag)}`);
  const navne = Object.keys(fakta);
  for (const key of Object.keys(sag)) {
    if (!Object.hasOwn(fakta, key) && !RESERVEREDE.includes(key)) {
      const close = _naermeste(_tegn(key, VIS_HOEJST), navne);
      const hint = close !== null ? ` (mente du \`${close}\`?)` : "";
      throw new SagFejl(_sti([key]), `ukendt faktum ${_citer(key, "`")}${hint}`);
    }
  }
  _reserverede(sag);
  const out = {};
  for (const navn of navne) {
    const v = Object.hasOwn(sag, navn) ? sag[navn] : null;
    out[navn] = v === null || v === undefined ? new Ukendt([navn]) : _norm(v, fakta[navn], [navn]);
  }
  return out;
}

function _har(sag, key) {
  return Object.hasOwn(sag, key) && sag[key] !== undefined;
}

function _reserverede(sag) {
  if (_har(sag, "beregningsdato")) _egen_dato(sag);
  if (_har(sag, "beskrivelse")) _norm(sag.beskrivelse, ["tekst"], ["beskrivelse"]);
  if (_har(sag, "$schema")) _norm(sag["$schema"], ["tekst"], ["$schema"]);
}

function _egen_dato(sag) {
  const value = sag.beregningsdato;
  if (value === null) {
    throw new SagFejl("$.beregningsdato", `forventede ${FORVENTET.dato}, fik null; udelad ` +
      "beregningsdato for at bedømme sagen på dagens dato");
  }
  return _dato(value, ["beregningsdato"]);
}

function _idag() {
  // Python's date.today(): the local calendar date
  const now = new Date();
  return new Dato(now.getFullYear(), now.getMonth() + 1, now.getDate());
}

function beregningsdato(sag, d) {
  const egen = _erObjekt(sag) && _har(sag, "beregningsdato") ? _egen_dato(sag) : null;
  if (d !== null && d !== undefined) {
    try {
      return _dato(d, []);
    } catch (exc) {
      if (exc instanceof SagFejl) throw new SagFejl("dato", exc.besked);
      throw exc;
    }
  }
  return egen !== null ? egen : _idag();
}
