"""Types of the rule language, their Danish names and runtime descriptors."""

from __future__ import annotations

import re
from dataclasses import dataclass

BASIC = {
    "sandhedsværdi": "bool", "heltal": "int", "decimal": "dec", "beløb": "money",
    "dato": "date", "varighed": "dur", "tekst": "text",
}
DANISH = {v: k for k, v in BASIC.items()}

DAYS, MONTHS, MIXED = "dage", "måneder", "blandet"


@dataclass(frozen=True)
class Type:
    kind: str                  # bool int dec money date dur text enum record list
    name: str | None = None    # enum or record type name
    elem: Type | None = None   # list element
    unit: str | None = None    # durations: dage, måneder, blandet; None = not yet known

    def __str__(self) -> str:
        if self.kind == "list":
            return f"liste af {self.elem}"
        if self.kind in ("enum", "record"):
            return str(self.name)
        if self.kind == "dur" and self.unit:
            return f"varighed ({self.unit})"
        return DANISH[self.kind]

    @property
    def numeric(self) -> bool:
        return self.kind in ("int", "dec")


BOOL = Type("bool")
INT = Type("int")
DEC = Type("dec")
MONEY = Type("money")
DATE = Type("date")
TEXT = Type("text")
DUR = Type("dur")


def dur(unit: str | None) -> Type:
    return Type("dur", unit=unit)


def unit_of(months: int, days: int) -> str:
    if months and days:
        return MIXED
    return MONTHS if months else DAYS


_LIST = re.compile(r"^liste af (.+)$")


def parse_type(text: str, enums: dict, records: dict) -> Type | None:
    """A declared type (`dato`, `liste af samtale`, `samtaleform`), or None if unknown."""
    text = " ".join(str(text).split())
    m = _LIST.match(text)
    if m:
        inner = parse_type(m.group(1), enums, records)
        return Type("list", elem=inner) if inner else None
    if text in BASIC:
        return Type(BASIC[text])
    if text == "varighed (måneder)":
        return dur(MONTHS)
    if text == "varighed (dage)":
        return dur(DAYS)
    if text in enums:
        return Type("enum", name=text)
    if text in records:
        return Type("record", name=text)
    return None


def compatible(declared: Type, actual: Type) -> bool:
    """Can a value of `actual` stand where `declared` is expected?"""
    if declared == actual:
        return True
    if declared.kind == "dec" and actual.kind == "int":
        return True
    if declared.kind == "dur" and actual.kind == "dur":
        return declared.unit is None or actual.unit is None or declared.unit == actual.unit
    if declared.kind == "list" and actual.kind == "list":
        return actual.elem is None or compatible(declared.elem, actual.elem)
    return False


def descriptor(t: Type, enums: dict, records: dict, _seen: tuple = ()) -> tuple:
    """The runtime's description of a type (plain tuples, embedded in generated code)."""
    if t.kind == "list":
        return ("liste", descriptor(t.elem, enums, records, _seen))
    if t.kind == "enum":
        return ("enum", t.name, tuple(enums[t.name]))
    if t.kind == "record":
        fields = records[t.name]
        return ("post", t.name, tuple((f, descriptor(ft, enums, records, (*_seen, t.name)))
                                      for f, ft in fields.items()))
    return (DANISH[t.kind],)
