// Regelkode JS runtime: values. The JavaScript twin of runtime.py's values;
// every function here mirrors the Python one of the same name, because the
// reports of the two must be byte-identical. No imports, no exports: the
// runtime files are concatenated into each generated module.
//
// Representation: sandhedsværdi = boolean, heltal and beløb (øre) = BigInt,
// decimal = Dec (exact, Python's decimal with 40 digits and ROUND_HALF_UP),
// dato = Dato (a calendar date, no time zone), varighed = Varighed (BigInt
// parts), tekst/enum = string, post = plain object, liste = array.

const STATUSER = ["opfyldt", "brud", "opmærksomhed", "ikke_relevant", "ukendt", "konflikt"];
const MAX_LISTE = 10000;

// Strings are compared by code point, as Python does (JS `<` compares UTF-16 units).
function _cmpStr(a, b) {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i), y = b.codePointAt(i);
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function _sorted(strings) {
  return [...strings].sort(_cmpStr);
}

class Ukendt {
  constructor(mangler = [], grunde = [], konflikter = []) {
    this.mangler = mangler instanceof Set ? mangler : new Set(mangler);
    this.grunde = grunde;
    this.konflikter = konflikter;
  }

  toString() {
    return `Ukendt(mangler=${JSON.stringify(_sorted(this.mangler))}, grunde=${JSON.stringify(this.grunde)})`;
  }
}

function _erUkendt(v) {
  return v instanceof Ukendt;
}

function _flet(...values) {
  const n = values.length;
  if (n === 2) {
    const [a, b] = values;
    if (a instanceof Ukendt) {
      if (!(b instanceof Ukendt) || b === a) return a;
    } else if (b instanceof Ukendt) {
      return b;
    }
  } else if (n === 1 && values[0] instanceof Ukendt) {
    return values[0];
  }
  const mangler = new Set(), grunde = [], konflikter = [];
  for (const v of values) {
    if (v instanceof Ukendt) {
      for (const m of v.mangler) mangler.add(m);
      for (const g of v.grunde) if (!grunde.includes(g)) grunde.push(g);
      for (const k of v.konflikter) if (!konflikter.includes(k)) konflikter.push(k);
    }
  }
  return new Ukendt(mangler, grunde, konflikter);
}

class Varighed {
  constructor(maaneder = 0n, dage = 0n) {
    this.maaneder = BigInt(maaneder);
    this.dage = BigInt(dage);
  }

  toString() {
    return `Varighed(${this.maaneder}, ${this.dage})`;
  }
}

// --- Dec: an exact decimal, value-only (sign of zero kept, as Python's Decimal does) ---

const PREC = 40;
const _P10 = [1n];
function _pow10(n) {
  while (_P10.length <= n) _P10.push(_P10[_P10.length - 1] * 10n);
  return _P10[n];
}

function _digits(c) {
  return c === 0n ? 1 : c.toString().length;
}

class Dec {
  // sign: 0 or 1; coef: BigInt >= 0 without trailing zeros (0 has exp 0); exp: integer
  constructor(sign, coef, exp) {
    if (coef === 0n) {
      exp = 0;
    } else {
      while (coef % 10n === 0n) {
        coef /= 10n;
        exp += 1;
      }
    }
    this.sign = sign;
    this.coef = coef;
    this.exp = exp;
  }

  isZero() {
    return this.coef === 0n;
  }

  adjusted() {
    return this.exp + _digits(this.coef) - 1;
  }

  toString() {
    return _decFormat(this, ".");
  }
}

function D(sign, coef, exp) {
  return new Dec(sign, BigInt(coef), exp);
}

function _decFromInt(n) {
  return n < 0n ? new Dec(1, -n, 0) : new Dec(0, n, 0);
}

function _tilDec(x) {
  return x instanceof Dec ? x : _decFromInt(x);
}

// Round to PREC significant digits, half away from zero (Python's context does it after
// every operation whose exact result has more digits).
function _rund(sign, coef, exp) {
  const n = _digits(coef);
  if (n > PREC) {
    const drop = n - PREC;
    const p = _pow10(drop);
    let q = coef / p;
    const r = coef % p;
    if (2n * r >= p) q += 1n;
    coef = q;
    exp += drop;
  }
  return new Dec(sign, coef, exp);
}

function _signed(x) {
  return x.sign ? -x.coef : x.coef;
}

function _decAdd(a, b) {
  const e = Math.min(a.exp, b.exp);
  const sum = _signed(a) * _pow10(a.exp - e) + _signed(b) * _pow10(b.exp - e);
  if (sum === 0n) {
    const sign = a.isZero() && b.isZero() ? Math.min(a.sign, b.sign) : 0;
    return new Dec(sign, 0n, 0);
  }
  return sum < 0n ? _rund(1, -sum, e) : _rund(0, sum, e);
}

function _decSub(a, b) {
  return _decAdd(a, new Dec(b.sign ^ 1, b.coef, b.exp));
}

function _decMul(a, b) {
  return _rund(a.sign ^ b.sign, a.coef * b.coef, a.exp + b.exp);
}

function _decDiv(a, b) {
  const sign = a.sign ^ b.sign;
  if (a.isZero()) return new Dec(sign, 0n, 0);
  const shift = Math.max(0, PREC + 1 + _digits(b.coef) - _digits(a.coef));
  const num = a.coef * _pow10(shift);
  let q = num / b.coef;
  const r = num % b.coef;
  let exp = a.exp - b.exp - shift;
  const n = _digits(q);
  if (n > PREC) {
    const drop = n - PREC;
    const p = _pow10(drop);
    const q2 = q / p, r2 = q % p;
    // the discarded part is (r2 + r / b) / p: round up when it is at least a half
    q = 2n * (r2 * b.coef + r) >= p * b.coef ? q2 + 1n : q2;
    exp += drop;
  }
  return _rund(sign, q, exp);
}

function _decMinus(a) {
  return a.isZero() ? new Dec(0, 0n, 0) : new Dec(a.sign ^ 1, a.coef, a.exp);
}

function _decCmp(a, b) {
  if (a.isZero() && b.isZero()) return 0;
  const sa = a.isZero() ? 0 : a.sign ? -1 : 1;
  const sb = b.isZero() ? 0 : b.sign ? -1 : 1;
  if (sa !== sb) return sa < sb ? -1 : 1;
  const e = Math.min(a.exp, b.exp);
  const x = _signed(a) * _pow10(a.exp - e), y = _signed(b) * _pow10(b.exp - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

// To a whole number, half away from zero (Decimal.quantize(Decimal(1), ROUND_HALF_UP)).
function _decHeltal(a) {
  if (a.exp >= 0) return _signed(a) * _pow10(a.exp);
  const p = _pow10(-a.exp);
  let q = a.coef / p;
  if (2n * (a.coef % p) >= p) q += 1n;
  return a.sign ? -q : q;
}

// format(value.normalize(), "f") with the decimal point `komma`
function _decFormat(a, komma) {
  const sign = a.sign ? "-" : "";
  const digits = a.coef.toString();
  if (a.exp >= 0) return sign + digits + "0".repeat(a.coef === 0n ? 0 : a.exp);
  const k = -a.exp;
  if (digits.length > k) return sign + digits.slice(0, digits.length - k) + komma + digits.slice(digits.length - k);
  return sign + "0" + komma + "0".repeat(k - digits.length) + digits;
}

// --- Dato: a calendar date as (year, month, day) and its day number; no time zones ---

function _skudaar(y) {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

const _DAGE_I_MAANED = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function _maanedslaengde(y, m) {
  return m === 2 && _skudaar(y) ? 29 : _DAGE_I_MAANED[m - 1];
}

// Python's date.toordinal(): 0001-01-01 is day 1.
function _ordinal(y, m, d) {
  const yy = y - 1;
  let n = yy * 365 + Math.floor(yy / 4) - Math.floor(yy / 100) + Math.floor(yy / 400);
  for (let i = 1; i < m; i++) n += _maanedslaengde(y, i);
  return n + d;
}

const _MAX_ORDINAL = 3652059;   // 9999-12-31

class Dato {
  constructor(y, m, d) {
    this.year = y;
    this.month = m;
    this.day = d;
    this.n = _ordinal(y, m, d);
  }

  isoformat() {
    return String(this.year).padStart(4, "0") + "-" + String(this.month).padStart(2, "0") + "-" +
      String(this.day).padStart(2, "0");
  }

  toString() {
    return this.isoformat();
  }
}

function dato(y, m, d) {
  return new Dato(y, m, d);
}

function _fraOrdinal(n) {
  // the inverse of _ordinal, as Python's date.fromordinal (n in 1.._MAX_ORDINAL)
  let n0 = n - 1;
  const n400 = Math.floor(n0 / 146097);
  n0 %= 146097;
  const n100 = Math.floor(n0 / 36524);
  n0 %= 36524;
  const n4 = Math.floor(n0 / 1461);
  n0 %= 1461;
  const n1 = Math.floor(n0 / 365);
  n0 %= 365;
  let year = n400 * 400 + n100 * 100 + n4 * 4 + n1 + 1;
  if (n1 === 4 || n100 === 4) return new Dato(year - 1, 12, 31);
  let month = 1;
  while (n0 >= _maanedslaengde(year, month)) {
    n0 -= _maanedslaengde(year, month);
    month += 1;
  }
  return new Dato(year, month, n0 + 1);
}

// --- comparison of any two values of one type (Python's ==, <) ---

function _cmp(a, b) {
  const ta = typeof a;
  if (ta === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Dato) return a.n < b.n ? -1 : a.n > b.n ? 1 : 0;
  if (a instanceof Dec || b instanceof Dec) return _decCmp(_tilDec(a), _tilDec(b));
  if (a instanceof Varighed) {
    if (a.maaneder !== b.maaneder) return a.maaneder < b.maaneder ? -1 : 1;
    return a.dage < b.dage ? -1 : a.dage > b.dage ? 1 : 0;
  }
  if (ta === "string") return _cmpStr(a, b);
  if (ta === "boolean") return a === b ? 0 : a ? 1 : -1;
  if (Array.isArray(a)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const c = _cmp(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
  }
  throw new TypeError("kan ikke sammenligne værdierne");
}

function _lig(a, b) {
  // Python's ==: also for records and lists; a yes/no never equals a number
  if ((typeof a === "boolean") !== (typeof b === "boolean")) return false;
  if (typeof a === "boolean") return a === b;
  if (a instanceof Ukendt || b instanceof Ukendt) return a === b;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => _lig(x, b[i]));
  }
  if (a !== null && typeof a === "object" && a.constructor === Object) {
    if (b === null || typeof b !== "object" || b.constructor !== Object) return false;
    const ka = Object.keys(a), kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && _lig(a[k], b[k]));
  }
  if (typeof a === "string" || typeof b === "string") return a === b;
  if (a instanceof Dato || b instanceof Dato) {
    return a instanceof Dato && b instanceof Dato && a.n === b.n;
  }
  if (a instanceof Varighed || b instanceof Varighed) {
    return a instanceof Varighed && b instanceof Varighed && _cmp(a, b) === 0;
  }
  return _cmp(a, b) === 0;
}

function _lige(a, b) {
  return _lig(a, b);
}
