"""PyYAML's and the json module's error messages, in Danish like every other message.

The parsers word their errors in English; a user reading Danish diagnostics
should not meet "Expecting ',' delimiter" halfway down. Known messages are
translated; an unknown one (a newer parser version) keeps its English text
after a Danish lead, so nothing is lost.
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import files

# What the parsers call tokens, in words a rule author knows.
_TOKENS = {
    "<stream end>": "slutningen af filen",
    "<document start>": "starten af dokumentet",
    "<document end>": "slutningen af dokumentet",
    "<block end>": "slutningen af blokken",
    "<block mapping start>": "en ny nøgle",
    "<block sequence start>": "en ny liste",
    "<block entry>": "et listepunkt (-)",
    "<flow mapping start>": "{",
    "<flow sequence start>": "[",
    "<scalar>": "en værdi",
    "<alias>": "et alias (*)",
    "<anchor>": "et anker (&)",
    "?": "en nøgle",
    "the node content": "en værdi",
    # _expected splits PyYAML's "X or Y" into its parts
    "a comment": "en kommentar",
    "a line break": "et linjeskift",
}


def _token(text: str) -> str:
    text = text.strip("'\"")
    return _TOKENS.get(text, f"'{text}'")


_YAML = [
    (r"mapping values are not allowed here",
     lambda m: "et kolon (:) er ikke tilladt her; sæt værdien i anførselstegn, "
               "hvis den selv indeholder ': '"),
    (r"found character '(.*)' that cannot start any token",
     lambda m: ("et tabulatortegn kan ikke bruges til indrykning i YAML; brug mellemrum"
                if m[1] in ("\\t", "\t") else f"tegnet '{m[1]}' kan ikke stå her")),
    (r"expected chomping or indentation indicators, but found (.+)",
     lambda m: f"efter | eller > må kun stå +, - eller et indrykningstal, ikke {_token(m[1])}"),
    (r"expected (.+?), but (?:got|found) (.+)",
     lambda m: f"forventede {_expected(m[1])}, men fandt {_token(m[2])}"),
    (r"found unexpected end of stream", lambda m: "filen slutter midt i en værdi"),
    (r"found undefined alias '(.*)'", lambda m: f"aliasset *{m[1]} er ikke defineret"),
    (r"found duplicate anchor '(.*)'.*", lambda m: f"ankeret &{m[1]} er defineret to gange"),
    (r"second occurrence", lambda m: "ankeret er defineret to gange"),
    (r"found unknown escape character '(.*)'",
     lambda m: f"ukendt escape-tegn \\{m[1]} i en tekst i anførselstegn"),
    (r"but found another document",
     lambda m: "filen må kun indeholde ét YAML-dokument (fjern den ekstra ---)"),
    (r"could not find expected ':'", lambda m: "forventede et kolon (:) efter nøglen"),
    (r"did not find expected key", lambda m: "forventede en nøgle; tjek indrykningen"),
    (r"did not find expected '-' indicator",
     lambda m: "forventede et listepunkt (-); tjek indrykningen"),
    (r"found a tab character .*", lambda m: "et tabulatortegn kan ikke bruges til indrykning "
                                            "i YAML; brug mellemrum"),
    (r"control characters are not allowed",
     lambda m: "filen indeholder kontroltegn, som YAML ikke tillader"),
]


def _expected(text: str) -> str:
    parts = [p.strip() for p in re.split(r" or ", text)]
    return " eller ".join(_token(p) for p in parts)


def yaml_message(problem: str | None) -> str:
    """A YAML parser's `problem` (or `context`) text as a Danish sentence."""
    text = (problem or "").strip()
    for pattern, render in _YAML:
        m = re.fullmatch(pattern, text, flags=re.DOTALL)
        if m:
            return f"YAML-fejl: {render(m)}"
    return f"YAML-fejl: {text}" if text else "YAML-fejl"


_JSON = {
    "Expecting value": "forventede en værdi",
    "Expecting property name enclosed in double quotes":
        "forventede et feltnavn i dobbelte anførselstegn (eller et overskydende komma)",
    "Expecting ',' delimiter": "forventede et komma",
    "Expecting ':' delimiter": "forventede et kolon",
    "Unterminated string starting at": "en tekst i anførselstegn slutter aldrig",
    "Invalid \\escape": "ugyldigt escape-tegn (\\) i en tekst",
    "Invalid \\uXXXX escape": "ugyldigt \\uXXXX-escape i en tekst",
    "Invalid control character at": "kontroltegn i en tekst (brug \\n, \\t osv.)",
    "Extra data": "der står mere efter JSON-værdien",
}


class DuplicateKey(ValueError):
    """A name twice in one JSON object. JSON does not say which value counts (Python's
    json takes the last, DuckDB's reader the first), so a case holding one is refused
    rather than judged on either; `path` is the name's JSON path."""

    message = "står to gange i samme objekt; JSON siger ikke, hvilken af værdierne der gælder"

    def __init__(self, path: str):
        super().__init__(f"{path} {self.message}")
        self.path = path


class _Twice(dict):
    """An object that had `key` twice, marked where json.loads builds it."""
    key: str


def loads_case(text: str | bytes):
    """json.loads for a case: a name twice in an object is DuplicateKey, at its path."""
    import json

    twice = []

    def pairs(items: list) -> dict:
        obj = dict(items)
        if len(obj) != len(items):
            seen: set = set()
            obj = _Twice(obj)
            obj.key = next(k for k, _v in items if k in seen or seen.add(k))
            twice.append(obj)
        return obj

    data = json.loads(text, object_pairs_hook=pairs)
    if twice:
        raise DuplicateKey(_first_twice(data))
    return data


def _first_twice(data) -> str:
    """The JSON path of the name that the first object holding one twice (in document
    order, outer before inner) holds twice. Iterative: a case may nest as deep as
    json.loads allows."""
    from .. import runtime as rt

    stack = [(data, ())]
    while stack:
        value, parts = stack.pop()
        if isinstance(value, _Twice):
            return rt._sti((*parts, value.key))
        children = (value.items() if isinstance(value, dict)
                    else enumerate(value) if isinstance(value, list) else ())
        stack.extend(reversed([(v, (*parts, k)) for k, v in children]))
    raise AssertionError("a marked object is in the data")


def json_message(exc: Exception, *, one_line: bool = False) -> str:
    """A json.loads failure as a Danish sentence with line and column (only the column
    for `one_line`: a JSONL line, whose number the caller gives)."""
    import json

    if isinstance(exc, DuplicateKey):
        return str(exc)
    if isinstance(exc, json.JSONDecodeError):
        what = _JSON.get(exc.msg, exc.msg)
        where = "" if one_line else f"linje {exc.lineno}, "
        return f"ugyldig JSON ({where}kolonne {exc.colno}): {what}"
    if isinstance(exc, UnicodeDecodeError):
        return "filen er ikke gyldig UTF-8"
    if isinstance(exc, RecursionError):
        return "JSON'en er for dybt indlejret"
    if isinstance(exc, ValueError):
        # Python refuses to read an integer of more than 4300 digits
        return "et tal har for mange cifre"
    return str(exc)


def read_json_file(path: Path):
    """A case file's JSON (a regular file of at most files.MAX_CASE_BYTES), or
    files.FileRefused with the Danish reason: every reader of case files says the same.
    ValueError besides JSONDecodeError and UnicodeDecodeError: Python refuses an
    integer of more than 4300 digits; RecursionError: nesting too deep for it;
    DuplicateKey: a name twice in an object."""
    data = files.read_bytes(Path(path), files.MAX_CASE_BYTES)
    try:
        return loads_case(data.decode("utf-8"))
    except DuplicateKey as exc:
        raise files.FileRefused("json", exc.message, exc.path) from None
    except (ValueError, RecursionError) as exc:
        raise files.FileRefused("json", json_message(exc)) from None
