// Regelkode JS runtime: presenting values and the report, as runtime.py's
// `til_json`, `tekst`, `udfyld`, `tilfoej`, `Regelresultat` and `Rapport`.

const MAANEDER = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
  "september", "oktober", "november", "december"];

// An integer as JSON data: a Number when it is exact, else the BigInt (see jsonTekst).
function _jsonTal(n) {
  return n >= -9007199254740991n && n <= 9007199254740991n ? Number(n) : n;
}

function _decimal_tekst(value, komma) {
  if (typeof value === "bigint") return value.toString();
  // normalize() in a 40-digit context: a case's longer decimal is shown rounded
  return _decFormat(_rund(value.sign, value.coef, value.exp), komma);
}

function til_json(value, typ) {
  if (value instanceof Ukendt) {
    const out = { ukendt: true, mangler: _sorted(value.mangler) };
    if (value.grunde.length) out.grunde = [...value.grunde];
    if (value.konflikter.length) out.konflikter = [...value.konflikter];
    return out;
  }
  const kind = typ[0];
  if (kind === "beløb") {
    const sign = value < 0n ? "-" : "";
    const abs = value < 0n ? -value : value;
    return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
  }
  if (kind === "decimal") return _decimal_tekst(value, ".");
  if (kind === "dato") return value.isoformat();
  if (kind === "varighed") return { "måneder": _jsonTal(value.maaneder), dage: _jsonTal(value.dage) };
  if (kind === "liste") return value.map((v) => til_json(v, typ[1]));
  if (kind === "post") {
    const out = {};
    for (const [navn, ftyp] of typ[2]) out[navn] = til_json(value[navn], ftyp);
    return out;
  }
  if (typeof value === "bigint") return _jsonTal(value);
  if (value instanceof Dec) return _decimal_tekst(value, ".");
  return value;
}

function _tusinder(n) {
  const sign = n < 0n ? "-" : "";
  const s = (n < 0n ? -n : n).toString();
  let out = "";
  for (let i = 0; i < s.length; i++) {
    if (i && (s.length - i) % 3 === 0) out += ".";
    out += s[i];
  }
  return sign + out;
}

function tekst(value, typ) {
  if (value instanceof Ukendt) return "ukendt";
  const kind = typ[0];
  if (kind === "beløb") {
    const sign = value < 0n ? "-" : "";
    const abs = value < 0n ? -value : value;
    const kr = abs / 100n, oere = abs % 100n;
    return `${sign}${_tusinder(kr)}${oere ? "," + String(oere).padStart(2, "0") : ""} kr.`;
  }
  if (kind === "sandhedsværdi") return value ? "ja" : "nej";
  if (kind === "decimal") return _decimal_tekst(value, ",");
  if (kind === "heltal") return (value >= 10000n || value <= -10000n) ? _tusinder(value) : value.toString();
  if (kind === "dato") return `${value.day}. ${MAANEDER[value.month - 1]} ${value.year}`;
  if (kind === "varighed") return varighed_tekst(value);
  if (kind === "liste") return value.length ? value.map((v) => tekst(v, typ[1])).join(", ") : "ingen";
  if (kind === "post") return typ[2].map(([n, t]) => `${n}: ${tekst(value[n], t)}`).join("; ");
  return String(value);
}

function _divmod(a, b) {
  const q = _floordiv(a, b);
  return [q, a - q * b];
}

function varighed_tekst(v) {
  const parts = [];
  const [years, months] = _divmod(v.maaneder, 12n);
  if (years) parts.push(`${years} år`);
  if (months) parts.push(`${months} ${months === 1n ? "måned" : "måneder"}`);
  if (v.dage) {
    if (_divmod(v.dage, 7n)[1] === 0n && !v.maaneder) {
      const w = _floordiv(v.dage, 7n);
      parts.push(`${w} ${w === 1n ? "uge" : "uger"}`);
    } else {
      parts.push(`${v.dage} ${v.dage === 1n ? "dag" : "dage"}`);
    }
  }
  return parts.length ? parts.join(" og ") : "0 dage";
}

function udfyld(skabelon, f, d, idag = null) {
  const out = [];
  for (const p of skabelon) {
    if (typeof p === "string") {
      out.push(p);
      continue;
    }
    const kind = p[0];
    let v;
    if (kind === "f") v = f[p[1]];
    else if (kind === "d") v = d[p[1]];
    else if (kind === "i") v = idag;
    else v = op_param(p[1], p[3], p[4], idag);
    out.push(tekst(v, p[2]));
  }
  return out.join("");
}

// runtime/present.py's _mangler_tekst: one field missing in many elements of a list
// once, `samtaler[0, 3, 7].afholdt`, at most five numbers shown.
const _ELEMENT = /^([^[]*)\[([0-9]+)\](.*)$/;

function _manglerTekst(mangler) {
  const grupper = new Map(), tekster = [];
  for (const sti of mangler) {
    const m = _ELEMENT.exec(sti);
    if (m === null) {
      tekster.push(sti);
      continue;
    }
    const key = JSON.stringify([m[1], m[3]]);
    if (!grupper.has(key)) grupper.set(key, [m[1], m[3], []]);
    grupper.get(key)[2].push(Number(m[2]));
  }
  for (const [navn, rest, numre] of grupper.values()) {
    numre.sort((a, b) => a - b);
    if (numre.length <= 5) {
      tekster.push(`${navn}[${numre.join(", ")}]${rest}`);
    } else {
      tekster.push(`${navn}[${numre[0]}, ${numre[1]}, ${numre[2]}, … ${numre[numre.length - 1]}]` +
        `${rest} (${_tusinderTal(numre.length)} elementer)`);
    }
  }
  return _sorted(tekster).join(", ");
}

function forklar_ukendt(u) {
  if (u.konflikter.length) return "Konflikt: " + u.grunde.join("; ");
  const parts = [];
  if (u.mangler.size) parts.push("mangler " + _manglerTekst(u.mangler));
  parts.push(...u.grunde);
  return "Kan ikke afgøres: " + parts.join("; ");
}

function tilfoej(regel, gaelder, krav, skabelon, f, d, brugt, rapport) {
  if (gaelder === false) return new Regelresultat(regel, "ikke_relevant", null, null, brugt, rapport);
  let ukendt;
  if (gaelder instanceof Ukendt) {
    ukendt = gaelder;
  } else if (krav === true) {
    return new Regelresultat(regel, "opfyldt", null, null, brugt, rapport);
  } else if (krav === false) {
    const alvor = regel[2];
    const meddelelse = alvor === "brud" || alvor === "opmærksomhed"
      ? udfyld(skabelon, f, d, rapport.beregningsdato) : null;
    return new Regelresultat(regel, alvor, meddelelse, null, brugt, rapport);
  } else {
    ukendt = krav;
  }
  const status = ukendt.konflikter.length ? "konflikt" : "ukendt";
  return new Regelresultat(regel, status, forklar_ukendt(ukendt), ukendt, brugt, rapport);
}

class Regelresultat {
  constructor(regel, status, meddelelse, ukendt, brugt, rapport) {
    [this.id, this.titel, this.alvor, this.kilder, this.lag, this.omraade] = regel;
    this.status = status;
    this.meddelelse = meddelelse;
    this.mangler = ukendt !== null ? _sorted(ukendt.mangler) : [];
    this.grunde = ukendt !== null ? ukendt.grunde : [];
    this.konflikter = ukendt !== null ? ukendt.konflikter : [];
    this._brugt = brugt;
    this._rapport = rapport;
  }

  get fakta() {
    if (this._brugt === null || this._brugt === undefined) return {};
    const f = this._rapport._fakta, typer = this._rapport._fakta_typer;
    const out = {};
    for (const n of this._brugt[0]) out[n] = til_json(f[n], typer[n]);
    return out;
  }

  get definitioner() {
    if (this._brugt === null || this._brugt === undefined) return {};
    const d = this._rapport._definitioner, typer = this._rapport._definition_typer;
    const out = {};
    for (const n of this._brugt[1]) out[n] = til_json(d[n], typer[n]);
    return out;
  }

  toDict() {
    return {
      id: this.id, titel: this.titel, "område": this.omraade, lag: til_json(this.lag, [""]),
      status: this.status, alvor: this.alvor, meddelelse: this.meddelelse,
      kilder: [...this.kilder], mangler: [...this.mangler],
      grunde: [...this.grunde], konflikter: [...this.konflikter],
      // names only: the values are in the report's fakta and definitioner, once
      fakta: this._brugt ? [...this._brugt[0]] : [],
      definitioner: this._brugt ? [...this._brugt[1]] : [],
    };
  }
}

class Rapport {
  constructor(pakke, version, d, fakta, fakta_typer, definitioner, definition_typer) {
    this.pakke = pakke;
    this.version = version;
    this.beregningsdato = d;
    this.regler = [];
    this._fakta = fakta;
    this._fakta_typer = fakta_typer;
    this._definitioner = definitioner;
    this._definition_typer = definition_typer;
  }

  regel(id) {
    const r = this.regler.find((x) => x.id === id);
    if (r === undefined) throw new RangeError(`ingen regel ${id}`);
    return r;
  }

  get brud() {
    return this.regler.filter((r) => r.status === "brud");
  }

  // Every fact some rule's explanation shows, once, in the pack's order.
  get fakta() {
    const brugt = new Set();
    for (const r of this.regler) if (r._brugt) for (const n of r._brugt[0]) brugt.add(n);
    const out = {};
    for (const [n, t] of Object.entries(this._fakta_typer)) {
      if (brugt.has(n)) out[n] = til_json(this._fakta[n], t);
    }
    return out;
  }

  get definitioner() {
    const out = {};
    for (const [n, v] of Object.entries(this._definitioner)) out[n] = til_json(v, this._definition_typer[n]);
    return out;
  }

  opsummering() {
    const counts = {};
    for (const s of STATUSER) counts[s] = 0;
    for (const r of this.regler) counts[r.status] += 1;
    return counts;
  }

  toDict() {
    return {
      pakke: this.pakke, version: this.version,
      beregningsdato: this.beregningsdato.isoformat(),
      opsummering: this.opsummering(),
      regler: this.regler.map((r) => r.toDict()),
      fakta: this.fakta,
      definitioner: this.definitioner,
    };
  }
}

// JSON text of report data as Python's json.dumps(data, ensure_ascii=False,
// separators=(",", ":")) writes it (indent: like indent=n): BigInt as digits, keys
// in their order.
function jsonTekst(value, indent = null) {
  const nl = (level) => (indent === null ? "" : "\n" + " ".repeat(indent * level));
  const skriv = (v, level) => {
    if (v === null || v === undefined) return "null";
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "bigint") return v.toString();
    if (typeof v === "number") return String(v);
    if (typeof v === "string") return _jsonStreng(v);
    if (Array.isArray(v)) {
      if (!v.length) return "[]";
      const sep = indent === null ? "," : ",";
      return "[" + v.map((x) => nl(level + 1) + skriv(x, level + 1)).join(sep) + nl(level) + "]";
    }
    const keys = Object.keys(v);
    if (!keys.length) return "{}";
    const colon = indent === null ? ":" : ": ";
    return "{" + keys.map((k) => nl(level + 1) + _jsonStreng(k) + colon + skriv(v[k], level + 1)).join(",") +
      nl(level) + "}";
  };
  return skriv(value, 0);
}

function _jsonStreng(s) {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i], c = s.charCodeAt(i);
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (c < 0x20) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out + '"';
}
