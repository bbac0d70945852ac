// Regelkode JS runtime: the primitive operations, one per runtime.py `op_*`, with
// the same names and the same results. Every op is total: what cannot be computed
// is an Ukendt saying why.

// --- logic (three-valued: false decides `og`, true decides `eller`) ---

function op_og(a, b) {
  if (a === false || b === false) return false;
  if (a === true && b === true) return true;
  return _flet(a, b);
}

function op_eller(a, b) {
  if (a === true || b === true) return true;
  if (a === false && b === false) return false;
  return _flet(a, b);
}

function op_ikke(a) {
  return a instanceof Ukendt ? a : !a;
}

function op_hvis(c, a, b) {
  if (c === true) return a;
  if (c === false) return b;
  if (!(a instanceof Ukendt) && !(b instanceof Ukendt) && _lige(a, b)) return a;
  return c;
}

function op_er_kendt(a) {
  return !(a instanceof Ukendt);
}

function op_er_ukendt(a) {
  return a instanceof Ukendt;
}

// --- comparison ---

function op_lig(a, b) {
  if (a instanceof Ukendt || b instanceof Ukendt) return _flet(a, b);
  return _lige(a, b);
}

function op_forskellig(a, b) {
  if (a instanceof Ukendt || b instanceof Ukendt) return _flet(a, b);
  return !_lige(a, b);
}

function op_mindre(a, b) {
  if (a instanceof Ukendt || b instanceof Ukendt) return _flet(a, b);
  return _cmp(a, b) < 0;
}

function op_mindre_lig(a, b) {
  if (a instanceof Ukendt || b instanceof Ukendt) return _flet(a, b);
  return _cmp(a, b) <= 0;
}

function op_stoerre(a, b) {
  if (a instanceof Ukendt || b instanceof Ukendt) return _flet(a, b);
  return _cmp(a, b) > 0;
}

function op_stoerre_lig(a, b) {
  if (a instanceof Ukendt || b instanceof Ukendt) return _flet(a, b);
  return _cmp(a, b) >= 0;
}

function op_i(x, seq) {
  if (x instanceof Ukendt || seq instanceof Ukendt) return _flet(x, seq);
  const unknown = seq.filter((e) => e instanceof Ukendt);
  if (seq.some((e) => !(e instanceof Ukendt) && _lige(x, e))) return true;
  return unknown.length ? _flet(...unknown) : false;
}

// --- arithmetic (heltal stays BigInt; decimals through Dec; money is BigInt øre) ---

const MAX_CIFRE = 40;
const _GRAENSE = 10n ** 40n;
const _FOR_STORT = `tallet har ${MAX_CIFRE} cifre eller flere og kan ikke regnes eksakt`;

function _tal(x) {
  if (typeof x === "bigint") {
    if (-_GRAENSE < x && x < _GRAENSE) return x;
  } else if (x instanceof Dec) {
    if (x.isZero() || x.adjusted() < MAX_CIFRE) return x;
  } else if (x instanceof Varighed) {
    if (-_GRAENSE < x.maaneder && x.maaneder < _GRAENSE && -_GRAENSE < x.dage && x.dage < _GRAENSE) return x;
  } else {
    return x;
  }
  return new Ukendt([], [_FOR_STORT]);
}

function _plus(a, b) {
  if (typeof a === "bigint" && typeof b === "bigint") return _tal(a + b);
  if (a instanceof Varighed) return _tal(new Varighed(a.maaneder + b.maaneder, a.dage + b.dage));
  return _tal(_decAdd(_tilDec(a), _tilDec(b)));
}

function op_plus(a, b) {
  if (a instanceof Ukendt || b instanceof Ukendt) return _flet(a, b);
  return _plus(a, b);
}

function op_minus(a, b) {
  if (a instanceof Ukendt || b instanceof Ukendt) return _flet(a, b);
  if (typeof a === "bigint" && typeof b === "bigint") return _tal(a - b);
  if (a instanceof Varighed) return _tal(new Varighed(a.maaneder - b.maaneder, a.dage - b.dage));
  return _tal(_decSub(_tilDec(a), _tilDec(b)));
}

function op_neg(a) {
  if (a instanceof Ukendt) return a;
  if (a instanceof Varighed) return new Varighed(-a.maaneder, -a.dage);
  return typeof a === "bigint" ? -a : _decMinus(a);
}

function op_gange(a, b) {
  if (a instanceof Ukendt || b instanceof Ukendt) return _flet(a, b);
  a = _tal(a);
  b = _tal(b);
  if (a instanceof Ukendt || b instanceof Ukendt) return _flet(a, b);
  if (typeof a === "bigint" && typeof b === "bigint") return _tal(a * b);
  return _tal(_decMul(_tilDec(a), _tilDec(b)));
}

function _divider(a, b) {
  a = _tal(a);
  b = _tal(b);
  if (a instanceof Ukendt || b instanceof Ukendt) return _flet(a, b);
  return _tal(_decDiv(_tilDec(a), _tilDec(b)));
}

function _erNul(b) {
  return typeof b === "bigint" ? b === 0n : b instanceof Dec && b.isZero();
}

function op_divider(a, b) {
  if (a instanceof Ukendt || b instanceof Ukendt) return _flet(a, b);
  if (_erNul(b)) return new Ukendt([], ["division med nul"]);
  return _divider(a, b);
}

function _til_oere(x) {
  if (x instanceof Ukendt) return x;
  return _tal(_decHeltal(x));
}

function op_beloeb_gange(oere, tal) {
  if (oere instanceof Ukendt || tal instanceof Ukendt) return _flet(oere, tal);
  if (typeof tal === "bigint") return _tal(oere * tal);
  return _til_oere(op_gange(oere, tal));
}

function op_beloeb_divider(oere, tal) {
  if (oere instanceof Ukendt || tal instanceof Ukendt) return _flet(oere, tal);
  if (_erNul(tal)) return new Ukendt([], ["division med nul"]);
  return _til_oere(_divider(oere, tal));
}

function op_beloeb_forhold(a, b) {
  return op_divider(a, b);
}

function op_afrund_kroner(oere) {
  if (oere instanceof Ukendt) return oere;
  const kroner = _til_oere(_divider(oere, 100n));
  return kroner instanceof Ukendt ? kroner : _tal(kroner * 100n);
}

function op_varighed_gange(v, n) {
  if (v instanceof Ukendt || n instanceof Ukendt) return _flet(v, n);
  if (!(v instanceof Varighed)) [v, n] = [n, v];
  return _tal(new Varighed(v.maaneder * n, v.dage * n));
}

// --- dates: the one definition of month arithmetic (runtime.py's, line for line) ---

function _floordiv(a, b) {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

function _plus_maaneder(d, n) {
  // same day number n months later, clamped to the month's last day; null outside 1-9999
  const total = BigInt(d.month - 1) + BigInt(n);
  let y = _floordiv(total, 12n);
  const m = Number(total - y * 12n);
  y += BigInt(d.year);
  if (y < 1n || y > 9999n) return null;
  const yy = Number(y);
  return new Dato(yy, m + 1, Math.min(d.day, _maanedslaengde(yy, m + 1)));
}

const _UDENFOR = "datoen ligger uden for kalenderen (år 1-9999)";

function _dato_plus(d, maaneder, dage) {
  if (maaneder !== 0n) {
    d = _plus_maaneder(d, maaneder);
    if (d === null) return new Ukendt([], [_UDENFOR]);
  }
  if (dage !== 0n) {
    const n = BigInt(d.n) + dage;
    if (n < 1n || n > BigInt(_MAX_ORDINAL)) return new Ukendt([], [_UDENFOR]);
    d = _fraOrdinal(Number(n));
  }
  return d;
}

function op_dato_plus(d, v) {
  if (d instanceof Ukendt || v instanceof Ukendt) return _flet(d, v);
  return _dato_plus(d, v.maaneder, v.dage);
}

function op_dato_minus(d, v) {
  if (d instanceof Ukendt || v instanceof Ukendt) return _flet(d, v);
  return _dato_plus(d, -v.maaneder, -v.dage);
}

function _hele(a, b, skridt) {
  let n = Math.floor(((b.year - a.year) * 12 + b.month - a.month) / skridt);
  for (;;) {
    const d = _plus_maaneder(a, n * skridt);
    if (d === null || d.n <= b.n) break;
    n -= 1;
  }
  for (;;) {
    const d = _plus_maaneder(a, (n + 1) * skridt);
    if (d === null || d.n > b.n) break;
    n += 1;
  }
  return BigInt(n);
}

function op_hele_aar(a, b) {
  if (a instanceof Ukendt || b instanceof Ukendt) return _flet(a, b);
  return _hele(a, b, 12);
}

function op_hele_maaneder(a, b) {
  if (a instanceof Ukendt || b instanceof Ukendt) return _flet(a, b);
  return _hele(a, b, 1);
}

function op_dage(a, b) {
  if (a instanceof Ukendt || b instanceof Ukendt) return _flet(a, b);
  return BigInt(b.n - a.n);
}

function _yderste(values, fortegn) {
  // Python's min()/max(): the first of the smallest (largest)
  let best = values[0];
  for (let i = 1; i < values.length; i++) {
    if (_cmp(values[i], best) * fortegn < 0) best = values[i];
  }
  return best;
}

function op_min(...args) {
  const unknown = args.filter((a) => a instanceof Ukendt);
  return unknown.length ? _flet(...unknown) : _yderste(args, 1);
}

function op_max(...args) {
  const unknown = args.filter((a) => a instanceof Ukendt);
  return unknown.length ? _flet(...unknown) : _yderste(args, -1);
}

// --- records, lists and aggregates ---

function op_felt(post, navn) {
  return post instanceof Ukendt ? post : post[navn];
}

function op_liste(...items) {
  return items;
}

function _filtrer(seq, pred) {
  if (pred === null) return [seq, null];
  const valgt = [], unknown = [];
  for (const e of seq) {
    const r = pred(e);
    if (r === true) valgt.push(e);
    else if (r instanceof Ukendt) unknown.push(r);
  }
  return [valgt, unknown.length ? _flet(...unknown) : null];
}

function op_antal(seq, pred) {
  if (seq instanceof Ukendt) return seq;
  const [valgt, unknown] = _filtrer(seq, pred);
  return unknown !== null ? unknown : BigInt(valgt.length);
}

function op_nogen(seq, pred) {
  if (seq instanceof Ukendt) return seq;
  const [valgt, unknown] = _filtrer(seq, pred);
  if (valgt.length) return true;
  return unknown !== null ? unknown : false;
}

function op_ingen(seq, pred) {
  return op_ikke(op_nogen(seq, pred));
}

function op_alle(seq, pred) {
  if (seq instanceof Ukendt) return seq;
  const unknown = [];
  for (const e of seq) {
    const r = pred(e);
    if (r === false) return false;
    if (r instanceof Ukendt) unknown.push(r);
  }
  return unknown.length ? _flet(...unknown) : true;
}

function op_summen(seq, felt, pred, nul) {
  if (seq instanceof Ukendt) return seq;
  const [valgt, unknown] = _filtrer(seq, pred);
  const values = valgt.map((e) => e[felt]);
  const bad = values.filter((v) => v instanceof Ukendt);
  if (unknown !== null || bad.length) return _flet(unknown, ...bad);
  let total = nul;
  for (const v of values) {
    total = _plus(total, v);
    if (total instanceof Ukendt) return total;
  }
  return total;
}

function _yderst(seq, felt, pred, fortegn, navn) {
  if (seq instanceof Ukendt) return seq;
  const [valgt, unknown] = _filtrer(seq, pred);
  const values = valgt.map((e) => e[felt]);
  const bad = values.filter((v) => v instanceof Ukendt);
  if (unknown !== null || bad.length) return _flet(unknown, ...bad);
  if (!values.length) return new Ukendt([], [`${navn}: ingen elementer at vælge imellem`]);
  return _yderste(values, fortegn);
}

function op_mindste_felt(seq, felt, pred, navn) {
  return _yderst(seq, felt, pred, 1, navn);
}

function op_stoerste_felt(seq, felt, pred, navn) {
  return _yderst(seq, felt, pred, -1, navn);
}

// --- parameters, tables and exceptions ---

function op_param(navn, datoer, vaerdier, d) {
  if (d instanceof Ukendt) return d;
  let lo = 0, hi = datoer.length;     // bisect_right
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (d.n < datoer[mid].n) hi = mid;
    else lo = mid + 1;
  }
  const i = lo - 1;
  if (i < 0) return new Ukendt([], [`parameteren ${navn} har ingen værdi på ${d.isoformat()}`]);
  return vaerdier[i];
}

function op_tabel(navn, hitpolitik, betingelser, resultater) {
  const hits = [], unknown = [];
  for (let i = 0; i < betingelser.length; i++) {
    const c = betingelser[i];
    if (c === true) {
      if (hitpolitik === "første" && !unknown.length) return resultater[i];
      hits.push(i);
    } else if (c instanceof Ukendt) {
      unknown.push(c);
    }
  }
  if (hitpolitik === "unik" && hits.length > 1) {
    const rows = hits.map((i) => String(i + 1)).join(", ");
    return new Ukendt([], [`tabellen ${navn}: række ${rows} passer alle (hitpolitik unik)`],
      hits.map((i) => `${navn}[${i + 1}]`));
  }
  if (unknown.length) return _flet(...unknown);
  if (hits.length) return resultater[hits[0]];
  return new Ukendt([], [`tabellen ${navn}: ingen række passer`]);
}

function op_standard(basis, undtagelser) {
  const hits = [], unknown = [];
  for (const [uid, gaelder, vaerdi] of undtagelser) {
    if (gaelder === true) hits.push([uid, vaerdi]);
    else if (gaelder instanceof Ukendt) unknown.push([gaelder, vaerdi]);
  }
  if (hits.length > 1) {
    const ids = hits.map((h) => h[0]);
    return new Ukendt([], ["undtagelserne " + ids.join(" og ") + " gælder samtidig"], ids);
  }
  if (!unknown.length) return hits.length ? hits[0][1] : basis;
  if (!hits.length) {
    const outcomes = [basis, ...unknown.map((u) => u[1])];
    if (outcomes.every((o) => !(o instanceof Ukendt)) && outcomes.every((o) => _lige(o, basis))) {
      return basis;
    }
  }
  return _flet(...unknown.map((u) => u[0]), ...(basis instanceof Ukendt ? [basis] : []));
}
