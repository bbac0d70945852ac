// Regelkode JS runtime: the indexes for hinted aggregates (passes/periods.py), the
// JavaScript twins of runtime/aggregates.py's _Perioder, _Vaerdier and _Grupper.
// A search asked once per element of another list is quadratic when scanned (two
// lists of 10,000: 10^8 conditions); an index is built once per list and answers
// each question by bisection or one lookup. Elements whose key, value or other
// conditions are unknown are kept aside and judged by the full condition at every
// question, so the answer (and an Ukendt's missing facts) is exactly a scan's.

function _bisect(values, x, right) {
  // the first index whose value is > x (right) or >= x (left), values sorted by _cmp
  let lo = 0, hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = _cmp(values[mid], x);
    if (c < 0 || (right && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function _fordel(seq, rest, known, keep) {
  // splits seq: elements whose other conditions are false are dropped, the known ones
  // go to known(e), the undecided ones are returned
  const uafklarede = [];
  for (const e of seq) {
    const r = rest === null ? true : rest(e);
    if (r === false) continue;
    if (r !== true || !known(e)) uafklarede.push(e);
    else keep(e);
  }
  return uafklarede;
}

class _Perioder {
  // periods [start, slut] sorted by start, with the running latest end
  constructor(start, slut, rest) {
    this.start = start;
    this.slut = slut;
    this.rest = rest;
    this.seq = null;
  }

  for(seq) {
    if (this.seq !== seq) {
      const kendte = [];
      this.uafklarede = _fordel(seq, this.rest,
        (e) => !(e[this.start] instanceof Ukendt) && !(e[this.slut] instanceof Ukendt),
        (e) => kendte.push([e[this.start], e[this.slut]]));
      kendte.sort((a, b) => _cmp(a[0], b[0]));
      this.starts = kendte.map((p) => p[0]);
      this.seneste = [];
      let m = null;
      for (const [, t] of kendte) {
        m = m === null || _cmp(t, m) > 0 ? t : m;
        this.seneste.push(m);
      }
      this.seq = seq;
    }
    return this;
  }
}

function op_nogen_inden(seq, pred, indeks, punkt) {
  if (seq instanceof Ukendt || punkt instanceof Ukendt) return op_nogen(seq, pred);
  const ix = indeks.for(seq);
  const i = _bisect(ix.starts, punkt, true);
  if (i && _cmp(ix.seneste[i - 1], punkt) >= 0) return true;
  return op_nogen(ix.uafklarede, pred);
}

function op_ingen_inden(seq, pred, indeks, punkt) {
  return op_ikke(op_nogen_inden(seq, pred, indeks, punkt));
}

class _Vaerdier {
  // one field's known values, sorted
  constructor(felt, rest) {
    this.felt = felt;
    this.rest = rest;
    this.seq = null;
  }

  for(seq) {
    if (this.seq !== seq) {
      const kendte = [];
      this.uafklarede = _fordel(seq, this.rest, (e) => !(e[this.felt] instanceof Ukendt),
        (e) => kendte.push(e[this.felt]));
      this.vaerdier = kendte.sort(_cmp);
      this.seq = seq;
    }
    return this;
  }

  antal(fra, fraStreng, til, tilStreng) {
    const v = this.vaerdier;
    const a = fra === null ? 0 : _bisect(v, fra, fraStreng);
    const b = til === null ? v.length : _bisect(v, til, !tilStreng);
    return Math.max(0, b - a);
  }
}

function op_antal_vindue(seq, pred, indeks, fra, fraStreng, til, tilStreng) {
  if (seq instanceof Ukendt || fra instanceof Ukendt || til instanceof Ukendt) {
    return op_antal(seq, pred);
  }
  const ix = indeks.for(seq);
  const oevrige = op_antal(ix.uafklarede, pred);
  if (oevrige instanceof Ukendt) return oevrige;
  return BigInt(ix.antal(fra, fraStreng, til, tilStreng)) + oevrige;
}

function op_nogen_vindue(seq, pred, indeks, fra, fraStreng, til, tilStreng) {
  if (seq instanceof Ukendt || fra instanceof Ukendt || til instanceof Ukendt) {
    return op_nogen(seq, pred);
  }
  const ix = indeks.for(seq);
  if (ix.antal(fra, fraStreng, til, tilStreng) > 0) return true;
  return op_nogen(ix.uafklarede, pred);
}

function op_ingen_vindue(seq, pred, indeks, fra, fraStreng, til, tilStreng) {
  return op_ikke(op_nogen_vindue(seq, pred, indeks, fra, fraStreng, til, tilStreng));
}

function _noegle(v) {
  // a Map key equal for values _lige calls equal; null for a value not indexed (it
  // is then judged by the full condition, as a scan would)
  if (v instanceof Dato) return "d" + v.n;
  switch (typeof v) {
    case "string": return "s" + v;
    case "boolean": return "b" + v;
    case "bigint": return "i" + v;
    default: return null;
  }
}

class _Grupper {
  // per key, the least (under) or greatest value of felt
  constructor(noegle, felt, under, rest) {
    this.noegle = noegle;
    this.felt = felt;
    this.under = under;
    this.rest = rest;
    this.seq = null;
  }

  for(seq) {
    if (this.seq !== seq) {
      const bedste = new Map(), felt = this.felt;
      this.uafklarede = _fordel(seq, this.rest,
        (e) => _noegle(e[this.noegle]) !== null
          && (felt === null || !(e[felt] instanceof Ukendt)),
        (e) => {
          const k = _noegle(e[this.noegle]);
          const v = felt === null ? true : e[felt];
          const b = bedste.get(k);
          if (b === undefined || (felt !== null && (this.under ? _cmp(v, b) < 0 : _cmp(v, b) > 0))) {
            bedste.set(k, v);
          }
        });
      this.bedste = bedste;
      this.seq = seq;
    }
    return this;
  }
}

function op_nogen_samme(seq, pred, indeks, noegle, graense, streng) {
  const k = noegle instanceof Ukendt ? null : _noegle(noegle);
  if (seq instanceof Ukendt || k === null || graense instanceof Ukendt) return op_nogen(seq, pred);
  const ix = indeks.for(seq);
  const b = ix.bedste.get(k);
  if (b !== undefined) {
    if (ix.felt === null) return true;
    const c = _cmp(b, graense);
    if (ix.under ? c < 0 || (!streng && c === 0) : c > 0 || (!streng && c === 0)) return true;
  }
  return op_nogen(ix.uafklarede, pred);
}

function op_ingen_samme(seq, pred, indeks, noegle, graense, streng) {
  return op_ikke(op_nogen_samme(seq, pred, indeks, noegle, graense, streng));
}
