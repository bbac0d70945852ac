"""`regelkode batch`: folders, JSONL and Parquet in; Parquet, JSONL, CSV and DuckDB out.

The statuses themselves are held to the interpreter by tests/differential;
here: ids, refusals with their JSON path, both output tables, --dato, and
the range limit.
"""

from __future__ import annotations

import json
import os
import re

import duckdb
import pytest

from differential.harness import ROOT
from regelkode.backends import OutOfRange, backend
from regelkode.checks.analysis import compile_checked
from regelkode.cli import main
from regelkode.ir import interpret

PACK = ROOT / "rules/ressourceforloeb"


@pytest.fixture(scope="module")
def program():
    c = compile_checked(PACK)
    assert c.ok
    return c.program


@pytest.fixture(scope="module")
def samples():
    return {p.stem: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((PACK / "sager").glob("*.json"))}


def _rows(path, fmt):
    con = duckdb.connect()
    reader = {"parquet": "read_parquet", "jsonl": "read_json", "csv": "read_csv"}[fmt]
    return con.execute(f"SELECT * FROM {reader}('{path}')").fetchall()


def _typed_parquet(tmp_path, program, cases, ids=None):
    """`cases` as a typed Parquet file (bulk.typed_columns), written from `in.jsonl`;
    with `ids`, a text column `sag` holding them (None a null id)."""
    from regelkode.backends.sql.bulk import typed_columns

    jsonl, parquet = tmp_path / "in.jsonl", tmp_path / "in.parquet"
    jsonl.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases),
                     encoding="utf-8")
    sag = "(?::VARCHAR[])[row_number() OVER ()] AS sag, " if ids is not None else ""
    duckdb.connect().execute(
        f"COPY (SELECT {sag}* FROM read_json('{jsonl}', format='newline_delimited', "
        f"columns={typed_columns(program)})) TO '{parquet}' (FORMAT PARQUET)",
        [list(ids)] if ids is not None else None)
    return parquet


def test_a_folder_to_parquet_equals_the_interpreter(tmp_path, program, samples, capsys):
    two = dict(list(samples.items())[:2])
    folder = tmp_path / "sager"
    folder.mkdir()
    for name, case in two.items():
        (folder / f"{name}.json").write_text(json.dumps(case, ensure_ascii=False))
    out = tmp_path / "ud.parquet"
    assert main(["batch", str(PACK), str(folder), "--out", str(out)]) == 0
    got = {(s, r): (st, list(m)) for s, r, st, m in _rows(out, "parquet")}
    for name, case in two.items():
        for r in interpret.evaluate(program, case).regler:
            assert got[(name, r.id)] == (r.status, list(r.mangler))
    defs = _rows(tmp_path / "ud.definitioner.parquet", "parquet")
    report = interpret.evaluate(program, two[next(iter(two))]).to_dict()["definitioner"]
    mine = {d: v for s, d, v, _m in defs if s == next(iter(two))}
    for name, value in report.items():
        if isinstance(value, (str, int, bool)) and not isinstance(value, dict):
            expected = json.dumps(value) if isinstance(value, bool) else str(value)
            assert mine[name] == expected, name
    # in Danish, like every other message: decimal comma
    assert re.search(r"regelkode: 2 sager bedømt på \d+,\d s → ", capsys.readouterr().err)


def test_a_folder_takes_json_in_any_case_and_names_what_it_skips(tmp_path, samples,
                                                                   capsys):
    """`ANNA.JSON` is a case (an export from Windows); a file or folder whose name does
    not end in .json is no case, and the batch says which it skipped rather than
    reporting fewer cases in silence. Hidden entries (`.DS_Store`) are not named."""
    folder = tmp_path / "sager"
    (folder / "ældre").mkdir(parents=True)
    case = json.dumps(next(iter(samples.values())), ensure_ascii=False)
    (folder / "ANNA.JSON").write_text(case, encoding="utf-8")
    (folder / "bo.json.txt").write_text(case, encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"\0")
    for i in range(5):
        (folder / f"note{i}.md").write_text("x", encoding="utf-8")
    out = tmp_path / "ud.csv"
    assert main(["batch", str(PACK), str(folder), "--out", str(out)]) == 0
    assert {s for s, *_rest in _rows(out, "csv")} == {"ANNA"}
    err = capsys.readouterr().err
    assert (f"regelkode: {folder}: sprang 7 over, der ikke ender på .json: bo.json.txt, "
            "note0.md, note1.md, note2.md, note3.md, …\n") in err
    assert "DS_Store" not in err and "1 sag bedømt" in err

    (folder / "bo.json.txt").unlink()
    for i in range(5):
        (folder / f"note{i}.md").unlink()
    assert main(["batch", str(PACK), str(folder), "--out", str(out)]) == 0
    assert "sprang 1 over, der ikke ender på .json: ældre/\n" in capsys.readouterr().err


def test_a_file_name_that_is_not_utf8_is_refused_not_a_traceback(tmp_path, program,
                                                                  samples, capsys):
    """A case file's name is its id, and the outputs are UTF-8: a name in other bytes
    (Latin-1 from an old export) is a refused case, shown escaped, and the batch goes
    on; it used to end in a UnicodeEncodeError while writing the rows."""
    import os

    folder = tmp_path / "sager"
    folder.mkdir()
    case = json.dumps(next(iter(samples.values())), ensure_ascii=False).encode("utf-8")
    for name in (b"s\xf8ren.json", b"s\xf8ren.txt", "søren.json".encode()):
        with open(os.path.join(os.fsencode(folder), name), "wb") as fh:
            fh.write(case)
    out = tmp_path / "ud.csv"
    assert main(["batch", str(PACK), str(folder), "--out", str(out)]) == 1
    assert {s for s, *_rest in _rows(out, "csv")} == {"søren"}
    err = capsys.readouterr().err
    assert ("sag s\\xf8ren: afvist: $: filnavnet er ikke gyldig UTF-8 og kan ikke være "
            "sagens id; omdøb filen\n") in err
    assert "sprang 1 over, der ikke ender på .json: s\\xf8ren.txt\n" in err
    assert "1 sag bedømt, 1 ikke bedømt" in err

    # DuckDB takes only UTF-8 paths: such an output or Parquet input is refused up front
    # (the output ended in a RuntimeError, std::bad_cast)
    latin = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"r\xe6kker"))
    for bad_out in (latin + ".csv", latin + ".duckdb"):
        assert main(["batch", str(PACK), str(folder), "--out", bad_out]) == 1
        assert ("stien er ikke gyldig UTF-8, og DuckDB og Spark kan kun skrive til en "
                "UTF-8-sti") in capsys.readouterr().err
    assert not [p for p in os.listdir(tmp_path) if "kker" in p]
    parquet = tmp_path / "sager.parquet"
    duckdb.connect().execute(f"COPY (SELECT 1 AS x) TO '{parquet}' (FORMAT PARQUET)")
    os.rename(parquet, latin + ".parquet")
    assert main(["batch", str(PACK), latin + ".parquet", "--out", str(out)]) == 1
    assert "DuckDB kan kun læse en Parquet-fil med en UTF-8-sti" in capsys.readouterr().err
    # Spark's engine reads a Parquet input with DuckDB too (it ended in std::bad_cast);
    # refused before Spark is started
    from regelkode.backends.sql.batch import BatchFejl, run_batch

    with pytest.raises(BatchFejl, match="DuckDB kan kun læse en Parquet-fil"):
        run_batch(program, tmp_path / os.fsdecode(b"r\xe6kker.parquet"), out,
                  engine="spark")


def test_jsonl_with_a_malformed_case_goes_on(tmp_path, program, samples, capsys):
    cases = list(samples.values())[:3]
    bad = dict(cases[1], forløb_startdato="2024-02-30")
    lines = [json.dumps(cases[0]), "{ikke json", json.dumps(bad), "", json.dumps(cases[2])]
    src = tmp_path / "sager.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "ud.jsonl"
    assert main(["batch", str(PACK), str(src), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert ("sag 2: afvist: $: ugyldig JSON (kolonne 2): forventede et feltnavn i dobbelte "
            "anførselstegn") in err
    assert "sag 3: afvist: $.forløb_startdato: 2024-02-30 er ikke en gyldig dato" in err
    judged = {row[0] for row in _rows(out, "jsonl")}
    assert judged == {"1", "5"}          # ids are line numbers; the blank line 4 is no case
    assert "regelkode: 2 sager bedømt, 2 ikke bedømt på " in err
    one = tmp_path / "én.jsonl"
    one.write_text(json.dumps(cases[0]) + "\n", encoding="utf-8")
    assert main(["batch", str(PACK), str(one), "--out", str(out)]) == 0
    assert "regelkode: 1 sag bedømt på " in capsys.readouterr().err


def test_json_python_cannot_read_is_a_refused_case_not_a_traceback(tmp_path, samples,
                                                                   capsys):
    """Nesting deeper than Python's recursion limit, and an integer of more digits than
    Python reads, in a JSONL line and in a folder's file: refused like any malformed
    case, in Danish, and the batch goes on."""
    good = json.dumps(next(iter(samples.values())), ensure_ascii=False)
    deep = "[" * 100_000 + "]" * 100_000
    digits = '{"forløb_startdato": ' + "1" * 5000 + "}"
    src = tmp_path / "sager.jsonl"
    src.write_text("\n".join([deep, digits, good]) + "\n", encoding="utf-8")
    folder = tmp_path / "sager"
    folder.mkdir()
    for name, text in (("a", deep), ("b", digits), ("c", good)):
        (folder / f"{name}.json").write_text(text, encoding="utf-8")
    for source, deep_id, digits_id, good_id in ((src, "1", "2", "3"), (folder, "a", "b", "c")):
        out = tmp_path / "ud.jsonl"
        assert main(["batch", str(PACK), str(source), "--out", str(out)]) == 1
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert f"sag {deep_id}: afvist: $: JSON'en er for dybt indlejret" in err
        assert f"sag {digits_id}: afvist: $: et tal har for mange cifre" in err
        assert {row[0] for row in _rows(out, "jsonl")} == {good_id}


def test_a_name_twice_in_an_object_is_a_refused_case(tmp_path, samples, capsys):
    """JSON does not say which of two values under one name counts: Python's json takes
    the last, DuckDB's reader the first. A case holding one is refused at the name's
    path, from a JSONL line (its `id` too) and from a folder's file alike."""
    good = next(iter(samples.values()))
    text = json.dumps(good, ensure_ascii=False)
    top = text.replace('{', '{"forløb_startdato": "2020-01-01", ', 1)
    i = text.index('"samtaler": [{') + len('"samtaler": [{')
    nested = text[:i] + '"dato": "2020-01-01", ' + text[i:]
    assert json.loads(top) == json.loads(nested) == good     # Python would judge them
    lines = [top, nested, '{"id": "a", "id": "b"}', text]
    src = tmp_path / "sager.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    folder = tmp_path / "sager"
    folder.mkdir()
    for name, line in zip("abcd", lines, strict=True):
        (folder / f"{name}.json").write_text(line, encoding="utf-8")
    why = "står to gange i samme objekt; JSON siger ikke, hvilken af værdierne der gælder"
    for source, ids in ((src, "1234"), (folder, "abcd")):
        out = tmp_path / "ud.jsonl"
        assert main(["batch", str(PACK), str(source), "--out", str(out)]) == 1
        err = capsys.readouterr().err
        assert f"sag {ids[0]}: afvist: $.forløb_startdato: {why}" in err
        assert f"sag {ids[1]}: afvist: $.samtaler[0].dato: {why}" in err
        assert f"sag {ids[2]}: afvist: $.id: {why}" in err
        assert {row[0] for row in _rows(out, "jsonl")} == {ids[3]}


def test_a_case_too_large_or_not_a_file_is_refused_not_read(tmp_path, samples, capsys,
                                                            monkeypatch):
    """Cases are read as every case file is (files.py): a FIFO or a directory named
    `*.json` is refused before it is opened for reading, a file or a JSONL line longer
    than a case may be is refused without being held whole, and the batch goes on."""
    from regelkode import files

    good = json.dumps(next(iter(samples.values())), ensure_ascii=False)
    # the pack's own sample cases are read by `check` under the same limit
    limit = max(p.stat().st_size for p in (PACK / "sager").glob("*.json")) + 10
    monkeypatch.setattr(files, "MAX_CASE_BYTES", limit)
    padding = " " * (limit - len(good.encode("utf-8")) + 1)
    folder = tmp_path / "sager"
    folder.mkdir()
    (folder / "a.json").write_text(good, encoding="utf-8")
    (folder / "b.json").write_text(good + padding, encoding="utf-8")
    os.mkfifo(folder / "c.json")
    (folder / "d.json").mkdir()
    out = tmp_path / "ud.jsonl"
    assert main(["batch", str(PACK), str(folder), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"sag b: afvist: $: filen er over {limit} bytes" in err
    assert "sag c: afvist: $: filen er ikke en almindelig fil" in err
    assert "sag d: afvist: $: filen er ikke en almindelig fil" in err
    assert {row[0] for row in _rows(out, "jsonl")} == {"a"}

    src = tmp_path / "sager.jsonl"
    src.write_text("\n".join([good, good + padding, good]) + "\n", encoding="utf-8")
    assert main(["batch", str(PACK), str(src), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"sag 2: afvist: $: linjen er over {limit} bytes og læses ikke" in err
    assert {row[0] for row in _rows(out, "jsonl")} == {"1", "3"}


def test_a_jsonl_line_may_carry_its_own_id(tmp_path, program, samples, capsys):
    """`id` (a text or a whole number) names the case instead of its line number; a
    bad id is refused at `$.id`, a repeated one too (the first case keeps it), and a
    pack with a fact called `id` keeps line numbers: there it is a fact."""
    from regelkode.backends.sql.cases import jsonl_case

    cases = list(samples.values())[:3]
    lines = [dict(cases[0], id="KBH-17"), dict(cases[1], id=4711), cases[2],
             dict(cases[0], id=""), dict(cases[0], id=1.5), dict(cases[0], id=True),
             dict(cases[1], id="KBH-17"), dict(cases[2], id="KBH-99",
                                               forløb_startdato="2024-02-30")]
    src = tmp_path / "sager.jsonl"
    src.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in lines),
                   encoding="utf-8")
    out = tmp_path / "ud.parquet"
    assert main(["batch", str(PACK), str(src), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    for n in (4, 5, 6):
        assert f"sag {n}: afvist: $.id: sagens id skal være" in err
    # a case with an id of its own is refused with its line too, and a repeated id
    # names the line that has it first
    assert ("sag KBH-17 (linje 7): afvist: $.id: id'et 'KBH-17' er allerede brugt af "
            "linje 1;") in err
    assert "sag KBH-99 (linje 8): afvist: $.forløb_startdato: 2024-02-30" in err
    assert {row[0] for row in _rows(out, "parquet")} == {"KBH-17", "4711", "3"}
    # the first KBH-17 is the one judged: its rows equal a batch of that case alone
    alone = tmp_path / "alene.jsonl"
    alone.write_text(json.dumps(cases[0], ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["batch", str(PACK), str(alone), "--out", str(tmp_path / "a.parquet")]) == 0
    first = sorted(r[1:] for r in _rows(out, "parquet") if r[0] == "KBH-17")
    assert first == sorted(r[1:] for r in _rows(tmp_path / "a.parquet", "parquet"))
    assert jsonl_case(1, b'{"id": "x"}', {"id": ("tekst",)}) == ("1", {"id": "x"}, None)


def test_an_id_keeps_one_rule_whatever_the_input(tmp_path, program, samples, capsys):
    """A whole number or a non-empty text without control characters (cases.valid_id),
    from a JSONL line, a Parquet row's `sag` — on the fast path and the Python path —
    and a case file's name alike. Parquet used to take an empty id, a line break
    (which breaks a CSV row and the report's line), and a struct, a boolean or a
    float written as Python writes them ("{'a': 1}", "True", "1.0")."""
    from regelkode.backends.sql.bulk import load
    from regelkode.backends.sql.engine import DuckDBEngine

    case = next(iter(samples.values()))
    ids = ["KBH-1", "Århus 2", "", "a\nb", "Ω-3", "x\u00a0y", "tab\there"]
    parquet = _typed_parquet(tmp_path, program, [case] * len(ids), ids)
    engine = DuckDBEngine(program)
    fast, rest, _tail = load(engine.con, program, parquet, None)
    # printable ASCII and Latin-1 pass in SQL; the rest is Python's to decide
    assert fast == 2 and [n for n, _text in rest] == [3, 4, 5, 6, 7]
    engine.close()
    out = tmp_path / "ud.csv"
    assert main(["batch", str(PACK), str(parquet), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    for n in (3, 4, 6, 7):
        assert f"sag {n}: afvist: $.sag: sagens id skal være en ikke-tom tekst" in err
    assert {row[0] for row in _rows(out, "csv")} == {"KBH-1", "Århus 2", "Ω-3"}

    # an untyped `sag` takes the Python path: the same rule, no Python spelling of values
    odd = tmp_path / "odd.parquet"
    duckdb.connect().execute(
        f"COPY (SELECT * FROM (VALUES ({{'a': 1}}, true, 1.0::DOUBLE, 7::BIGINT)) "
        f"AS t(s, b, d, i)) TO '{odd}' (FORMAT PARQUET)")
    for column, ok in (("s", False), ("b", False), ("d", False), ("i", True)):
        one = tmp_path / f"{column}.parquet"
        duckdb.connect().execute(f"COPY (SELECT {column} AS sag FROM '{odd}') TO '{one}' "
                                 "(FORMAT PARQUET)")
        assert main(["batch", str(PACK), str(one), "--out", str(tmp_path / "o.csv")]) == (
            0 if ok else 1)
        err = capsys.readouterr().err
        assert ("sag 1: afvist: $.sag: sagens id skal være" in err) != ok
        assert {str(row[0]) for row in _rows(tmp_path / "o.csv", "csv")} == (
            {"7"} if ok else set())

    # a case file's name is its id: a control character in it is refused, shown escaped
    folder = tmp_path / "sager"
    folder.mkdir()
    for name in ("ok.json", "a\nb.json"):
        (folder / name).write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    assert main(["batch", str(PACK), str(folder), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert ("sag 'a\\nb': afvist: $: filnavnet kan ikke være sagens id (sagens id skal være "
            "en ikke-tom tekst uden kontroltegn eller et heltal); omdøb filen\n") in err
    assert {row[0] for row in _rows(out, "csv")} == {"ok"}


def test_the_fast_paths_id_characters_are_printable_in_python():
    """bulk.ID_CHARACTERS may be narrower than str.isprintable, never wider: a text id
    that passes in SQL skips the Python check."""
    from regelkode.backends.sql.bulk import ID_CHARACTERS

    con = duckdb.connect()
    chars = [chr(cp) for cp in range(1, 0x3000) if not 0xD800 <= cp <= 0xDFFF]
    passed = {c for (c,) in con.execute(
        "SELECT c FROM unnest(?::VARCHAR[]) AS t(c) WHERE regexp_full_match(c, ?)",
        [chars, ID_CHARACTERS]).fetchall()}
    assert passed and all(c.isprintable() for c in passed)
    assert {"a", " ", "~", "æ", "Ø", "ÿ"} <= passed
    assert not passed & {"\n", "\t", "\x7f", "\u00a0", "\u00ad", "\u2028"}


def test_a_line_number_taken_by_an_earlier_id_is_refused_at_the_line(tmp_path, samples,
                                                                      capsys):
    """Line 1 names itself "2"; line 2 has no `id`, so its id is its number, 2: it is
    refused at the line (`$`), which has no `id` field to point at."""
    cases = list(samples.values())[:2]
    src = tmp_path / "sager.jsonl"
    src.write_text(json.dumps(dict(cases[0], id=2), ensure_ascii=False) + "\n"
                   + json.dumps(cases[1], ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "ud.parquet"
    assert main(["batch", str(PACK), str(src), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "sag 2: afvist: $: linjenummeret 2 er allerede brugt som id af linje 1;" in err
    assert "$.id" not in err
    assert {row[0] for row in _rows(out, "parquet")} == {"2"}


def test_a_parquet_id_used_twice_or_missing_is_refused(tmp_path, program, samples, capsys):
    """A typed file whose `sag` column repeats an id keeps the fast path for the other
    rows; the rows of a repeated id are validated in Python in file order, so the
    first *valid* case with the id is judged and a later one refused, as from JSONL.
    A row with no id is refused, not named "None"."""
    from regelkode.backends.sql.bulk import load
    from regelkode.backends.sql.engine import DuckDBEngine

    cases = list(samples.values())[:2]
    malformed = _bad_variants(cases[1])[0]
    rows_in = [("a", cases[0]), ("b", cases[1]), ("a", cases[1]), (None, cases[0]),
               ("c", malformed), ("c", cases[1])]
    parquet = _typed_parquet(tmp_path, program, [c for _id, c in rows_in],
                             [i for i, _case in rows_in])
    engine = DuckDBEngine(program)
    loaded = load(engine.con, program, parquet, None)
    assert loaded is not None, "a repeated id must not send every row to Python"
    fast, rest, _tail = loaded
    assert fast == 1 and [n for n, _text in rest] == [1, 3, 4, 5, 6]
    engine.close()
    out = tmp_path / "ud.parquet"
    assert main(["batch", str(PACK), str(parquet), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "sag a (række 3): afvist: $.sag: id'et 'a' er allerede brugt af række 1;" in err
    assert "sag 4: afvist: $.sag: sagens id mangler" in err
    assert "sag c (række 5): afvist: $.forudgående_forsørgelse:" in err
    assert "række 6" not in err, "a refused row does not take its id from the next"
    rows = _rows(out, "parquet")
    judged = {s: sorted(r[1:] for r in rows if r[0] == s) for s in ("a", "b", "c")}
    # "a" is the first row's case (cases[0]), not the third's (cases[1]); "c" is row 6's
    assert judged["a"] and judged["a"] != judged["b"] and judged["c"] == judged["b"]


def _renamed(path, select: str, old: str, new: str):
    """A Parquet file of `select` with the name `old` made `new` in its footer: DuckDB
    writes no two names that it takes for one, other writers do. (Same length, so the
    footer stays valid.)"""
    duckdb.connect().execute(f"COPY ({select}) TO '{path}' (FORMAT PARQUET)")
    data = path.read_bytes()
    assert len(old.encode()) == len(new.encode()) and data.count(old.encode()) == 2
    path.write_bytes(data.replace(old.encode(), new.encode()))
    return path


def test_two_columns_duckdb_takes_for_one_refuse_the_file(tmp_path, program, capsys):
    """DuckDB renames the second of two names that differ only in the case of ASCII
    letters (`sag`, `Sag` → `Sag_1`), in a struct too. Read on, the file's cases would
    be refused over a column it does not have, or the second read as a fact named so."""
    from regelkode.backends.sql.batch import BatchFejl, _name_clash, run_batch

    out = tmp_path / "ud.csv"
    files = {
        "kolonnerne 'sag' og 'Sag'": _renamed(
            tmp_path / "1.parquet", "SELECT 1 AS sag, DATE '1970-01-01' AS xag", "xag", "Sag"),
        "kolonnerne 'fødselsdato' og 'fødselsdato'": _renamed(
            tmp_path / "2.parquet", "SELECT DATE '1970-01-01' AS fødselsdato, DATE '1970-01-01' AS "
            "qødselsdato", "qødselsdato", "fødselsdato"),
        "felterne 'dato' og 'DATO' i kolonnen 'samtaler'": _renamed(
            tmp_path / "3.parquet", "SELECT [{'dato': DATE '2024-01-01', "
            "'qqqq': DATE '2024-01-01'}] AS samtaler", "qqqq", "DATO"),
    }
    for what, parquet in files.items():
        assert main(["batch", str(PACK), str(parquet), "--out", str(out)]) == 1
        err = capsys.readouterr().err
        assert f"{parquet}: {what} har samme navn for DuckDB" in err, err
        assert "afvist" not in err and not out.exists()
        # the Spark engine reads the file with DuckDB too: refused before Spark starts
        with pytest.raises(BatchFejl, match="har samme navn for DuckDB"):
            run_batch(program, parquet, out, engine="spark")
    # DuckDB tells ø from Ø: two columns, and the second is a fact the pack lacks
    parquet = _renamed(tmp_path / "4.parquet", "SELECT DATE '1970-01-01' AS fødselsdato, "
                       "DATE '1970-01-01' AS føjselsdato", "føjselsdato", "fØdselsdato")
    assert main(["batch", str(PACK), str(parquet), "--out", str(out)]) == 1
    assert "$.fØdselsdato: ukendt faktum `fØdselsdato`" in capsys.readouterr().err
    # the schema is walked without recursion: a deep file is no RecursionError
    deep = [("duckdb_schema", 1)] + [(f"n{i}", 1) for i in range(50_000)] + [("x", None)]
    assert _name_clash(deep) is None
    assert _name_clash([*deep[:-1], ("X", 2), ("a", None), ("A", None)]) == ("n0", "a", "A")


def test_csv_and_duckdb_outputs_and_a_fixed_date(tmp_path, samples):
    src = tmp_path / "sager.jsonl"
    src.write_text(json.dumps(next(iter(samples.values())), ensure_ascii=False) + "\n",
                   encoding="utf-8")
    assert main(["batch", str(PACK), str(src), "--out", str(tmp_path / "ud.csv"),
                 "--dato", "2030-01-01"]) == 0
    assert (tmp_path / "ud.definitioner.csv").is_file()
    db = tmp_path / "ud.duckdb"
    assert main(["batch", str(PACK), str(src), "--out", str(db), "--dato", "2030-01-01"]) == 0
    con = duckdb.connect(str(db), read_only=True)
    tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
    assert tables == {"resultater", "definitioner", "regler"}
    csv_rows = _rows(tmp_path / "ud.csv", "csv")
    assert len(csv_rows) == con.execute("SELECT count(*) FROM resultater").fetchone()[0]
    assert not list(tmp_path.glob(".*tmp-*")), "no temporary file is left behind"


def test_every_output_format_holds_the_same_text_rows(tmp_path, samples):
    """The file outputs write rule ids, statuses and definition names from ENUMs
    (engine.materialise(labels=True)); each file's columns are text all the same,
    and hold what the DuckDB table (no labels) holds."""
    src = tmp_path / "sager.jsonl"
    src.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n"
                           for c in list(samples.values())[:3]), encoding="utf-8")
    db = tmp_path / "ud.duckdb"
    assert main(["batch", str(PACK), str(src), "--out", str(db)]) == 0
    for fmt in ("parquet", "jsonl", "csv"):
        assert main(["batch", str(PACK), str(src), "--out", str(tmp_path / f"ud.{fmt}")]) == 0
    con = duckdb.connect(str(db), read_only=True)
    for table, key in (("resultater", "regel"), ("definitioner", "definition")):
        expected = con.execute(f"SELECT * FROM {table}").fetchall()
        assert expected
        types = dict(con.execute(f"SELECT column_name, data_type FROM "
                                 f"information_schema.columns WHERE table_name = '{table}'"
                                 ).fetchall())
        assert types[key] == "VARCHAR" and types["mangler"] == "VARCHAR[]"
        for fmt in ("parquet", "jsonl", "csv"):
            out = tmp_path / f"ud.{fmt}"
            path = out if table == "resultater" else out.with_name(f"ud.definitioner.{fmt}")
            if fmt == "csv":        # the missing facts as one text, `;` between
                got = [(*r[:3], r[3].split(";") if r[3] else []) for r in duckdb.connect(
                    ).execute(f"SELECT * FROM read_csv('{path}', all_varchar = true)")
                    .fetchall()]
            else:
                got = _rows(path, fmt)
            assert [(*r[:3], list(r[3])) for r in got] == \
                [(*r[:3], list(r[3])) for r in expected], (table, fmt)
        name = "ud.parquet" if table == "resultater" else "ud.definitioner.parquet"
        schema = duckdb.connect().execute(
            f"SELECT name, converted_type FROM parquet_schema('{tmp_path / name}')").fetchall()
        assert dict(schema)[key] == "UTF8"


def test_parquet_input_with_an_id_column(tmp_path, program, samples):
    name, case = next(iter(samples.items()))
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(dict(case, sag=name), ensure_ascii=False) + "\n",
                   encoding="utf-8")
    parquet = tmp_path / "in.parquet"
    duckdb.connect().execute(f"COPY (SELECT * FROM read_json('{src}')) TO '{parquet}' "
                             "(FORMAT PARQUET)")
    out = tmp_path / "ud.parquet"
    assert main(["batch", str(PACK), str(parquet), "--out", str(out)]) == 0
    got = {(s, r): st for s, r, st, _m in _rows(out, "parquet")}
    for r in interpret.evaluate(program, case).regler:
        assert got[(name, r.id)] == r.status


def test_bad_arguments_are_messages_not_tracebacks(tmp_path, capsys):
    assert main(["batch", str(PACK), str(tmp_path / "mangler"), "--out",
                 str(tmp_path / "ud.parquet")]) == 1
    assert main(["batch", str(PACK), str(tmp_path), "--out", str(tmp_path / "ud.xlsx")]) == 1
    assert main(["batch", str(PACK), str(tmp_path), "--out", str(tmp_path / "u.csv"),
                 "--dato", "2024-13-01"]) == 1
    err = capsys.readouterr().err
    assert "findes ikke" in err and "ukendt outputformat" in err and "ikke en dato" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("fmt", ["parquet", "duckdb"])
def test_an_output_named_like_a_folder_is_refused_before_the_batch(tmp_path, samples,
                                                                   capsys, fmt):
    src = tmp_path / "sager.jsonl"
    src.write_text(json.dumps(next(iter(samples.values())), ensure_ascii=False) + "\n",
                   encoding="utf-8")
    out = tmp_path / f"ud.{fmt}"
    # the definitions' file beside a Parquet output, or the database itself
    (tmp_path / ("ud.definitioner.parquet" if fmt == "parquet" else "ud.duckdb")).mkdir()
    assert main(["batch", str(PACK), str(src), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "er en mappe; --out skal navngive en fil" in err and "Traceback" not in err
    assert "bedømt" not in err, "refused before a case is read"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["sager.jsonl", "ud.definitioner.parquet" if fmt == "parquet" else "ud.duckdb"])


@pytest.mark.parametrize("out", ["sager.jsonl", "sager.parquet", "kopi.jsonl",
                                 "ud.jsonl"])
def test_an_output_that_is_the_input_is_refused(tmp_path, samples, capsys, out):
    """`--out` naming the input (or a link to it), or its definitions' file being the
    input, would replace the cases with their results."""
    case = json.dumps(next(iter(samples.values())), ensure_ascii=False) + "\n"
    jsonl = tmp_path / "sager.jsonl"
    jsonl.write_text(case, encoding="utf-8")
    assert main(["batch", str(PACK), str(jsonl), "--out", str(tmp_path / "sager.parquet")]) == 0
    (tmp_path / "kopi.jsonl").symlink_to(jsonl)
    (tmp_path / "ud.definitioner.jsonl").write_text(case, encoding="utf-8")
    src = {"sager.parquet": "sager.parquet", "ud.jsonl": "ud.definitioner.jsonl"}.get(
        out, "sager.jsonl")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    capsys.readouterr()
    assert main(["batch", str(PACK), str(tmp_path / src), "--out", str(tmp_path / out)]) == 1
    err = capsys.readouterr().err
    assert "er inputfilen; resultaterne ville erstatte sagerne" in err, err
    assert "bedømt" not in err and "Traceback" not in err
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


@pytest.mark.parametrize("fmt", ["csv", "duckdb"])
def test_a_batch_that_fails_while_writing_keeps_the_old_outputs(tmp_path, samples,
                                                                 monkeypatch, fmt):
    """Outputs are moved into place only when all of them are complete: a failure
    while writing leaves the previous run's files as they were and no temporary
    file."""
    from regelkode.backends.sql import batch
    from regelkode.backends.sql.outfiles import targets

    src = tmp_path / "sager.jsonl"
    src.write_text(json.dumps(next(iter(samples.values())), ensure_ascii=False) + "\n",
                   encoding="utf-8")
    out = tmp_path / f"ud.{fmt}"
    assert main(["batch", str(PACK), str(src), "--out", str(out)]) == 0
    before = {p: p.read_bytes() for p in targets(out, fmt).values()}

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")
    # the last write of each format: the definitions' COPY, or closing the database
    monkeypatch.setattr(batch, "copy_to", lambda select, f, path: (
        fail() if "definitioner" in path.name else f"COPY ({select}) TO '{path}' (FORMAT CSV)"))
    close = batch.DuckDBEngine.close
    monkeypatch.setattr(batch.DuckDBEngine, "close", lambda self: (close(self), fail()))
    assert main(["batch", str(PACK), str(src), "--out", str(out)]) == 1
    assert {p: p.read_bytes() for p in targets(out, fmt).values()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["sager.jsonl", *(p.name for p in before)])


def test_a_value_beyond_the_engines_range_is_named_not_misjudged(program, samples):
    case = dict(next(iter(samples.values())), antal_børn_med_bidragspligt=10 ** 12)
    runner = backend("sql").runner(program, None)
    out = runner.judge([(case, None)])
    assert out == [OutOfRange("$.antal_børn_med_bidragspligt",
                              "SQL-backenden regner kun med heltal under 1.000.000.000")]
    # inside a list of records: the element's field, and the first value in fact order
    case = next(c for c in samples.values() if len(c.get("samtaler") or []) >= 2)
    samtaler = [dict(s) for s in case["samtaler"]]
    samtaler[1]["dato"] = "9500-01-01"
    late = dict(case, samtaler=samtaler, beregningsdato="9600-01-01")
    assert runner.judge([(late, None)]) == [OutOfRange(
        "$.samtaler[1].dato", "SQL-backenden regner kun med årene 1000-8999")]
    assert runner.judge([(dict(case, beregningsdato="9600-01-01"), None)]) == [OutOfRange(
        "beregningsdato", "SQL-backenden regner kun med årene 1000-8999")]


def test_no_pack_case_is_beyond_the_range(program, samples):
    from regelkode.backends.sql.cases import case_row

    for name, case in samples.items():
        case_row(program, name, case)       # raises UdenforOmraade if one were


def test_progress_only_on_a_terminal(tmp_path, samples):
    import io

    from regelkode.backends.sql.batch import Progress

    quiet = io.StringIO()
    Progress(quiet, every=1).tick(1, "validerer")
    assert quiet.getvalue() == ""

    class Tty(io.StringIO):
        def isatty(self):
            return True

    loud = Tty()
    p = Progress(loud, every=1)
    p.tick(1, "validerer")
    p.done("1 sag valideret")
    assert loud.getvalue().startswith("\rvaliderer: 1 sag\r")




def _bad_variants(case):
    """Cases a typed Parquet file can hold that the runtime or the SQL range refuses."""
    talks = case.get("samtaler") or [{"dato": "2024-01-02", "form": "telefon"}]
    return [
        dict(case, forudgående_forsørgelse="lottogevinst"),              # not an enum value
        dict(case, samtaler=[*talks, dict(talks[0], form="brevdue")]),    # nor in a list
        dict(case, samtaler=[*talks, None]),                              # a null list item
        dict(case, antal_børn_med_bidragspligt=10 ** 12),                 # beyond SQL's range
        dict(case, månedlig_ydelse_før_fradrag="2000000000000.00"),
        dict(case, fødselsdato="9500-01-01"),
        dict(case, tidligere_forløb=[{"startdato": "2019-01-01", "slutdato": "2019-06-30",
                                      "længde": {"måneder": None, "dage": 3}}]),
    ]


def test_typed_parquet_is_checked_in_sql_with_the_runtimes_refusals(tmp_path, program,
                                                                     samples, capsys):
    """The fast path (bulk.py) judges what the Python path judges and refuses the same
    cases with the same JSON path and message; only the refused rows reach Python."""
    from regelkode.backends.sql.bulk import load
    from regelkode.backends.sql.engine import DuckDBEngine

    cases = list(samples.values())
    bad = _bad_variants(cases[0])
    parquet = _typed_parquet(tmp_path, program, cases + bad)
    jsonl = tmp_path / "in.jsonl"       # the same cases, as _typed_parquet wrote them
    engine = DuckDBEngine(program)
    loaded = load(engine.con, program, parquet, None)
    assert loaded is not None, "the typed file must take the fast path"
    fast, rest, _tail = loaded
    assert fast == len(cases)
    assert [n for n, _text in rest] == list(range(len(cases) + 1, len(cases) + len(bad) + 1))
    engine.close()

    outs, errs = [], []
    for src in (jsonl, parquet):
        out = tmp_path / f"ud_{src.suffix[1:]}.parquet"
        assert main(["batch", str(PACK), str(src), "--out", str(out)]) == 1
        outs.append(sorted(_rows(out, "parquet")))
        errs.append(sorted(line for line in capsys.readouterr().err.splitlines()
                           if line.startswith("sag ")))
    assert outs[0] == outs[1] and errs[0] == errs[1]
    assert len(errs[0]) == len(bad)
    assert len({s for s, *_rest in outs[0]}) == len(cases)


def test_a_large_jsonl_is_validated_by_several_processes_with_the_same_result(
        tmp_path, program, samples, monkeypatch):
    """Worker processes (validate.py) give the serial path's rows and refusals, in
    input order, across chunk boundaries; blank and malformed lines included."""
    from regelkode.backends.sql import validate
    from regelkode.backends.sql.batch import Progress, Summary, write_rows

    cases = list(samples.values())
    lines = []
    for i, case in enumerate(cases * 3):
        # some lines carry their own id, and one id comes twice: refused the second time
        lines.append(json.dumps(dict(case, id=f"k{i % 7}") if i % 3 == 0 else case,
                                ensure_ascii=False))
        if i % 4 == 1:
            lines += ["", "{ikke json", json.dumps(dict(case, forløb_startdato="2024-02-30"))]
    src = tmp_path / "sager.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def run(parallel: bool):
        monkeypatch.setattr(validate, "PARALLEL_BYTES", 0 if parallel else 1 << 60)
        monkeypatch.setattr(validate, "CHUNK_LINES", 3)
        monkeypatch.setattr(validate, "workers", lambda: 2)
        summary = Summary()
        rows = tmp_path / f"rows_{parallel}.jsonl"
        n = write_rows(program, src, rows, None, summary, Progress())
        return n, rows.read_text(encoding="utf-8"), [p.line() for p in summary.problems]

    serial, parallel = run(False), run(True)
    assert parallel == serial
    with_id = [i for i in range(len(cases) * 3) if i % 3 == 0]
    repeats = len(with_id) - len({i % 7 for i in with_id})
    assert repeats > 0
    assert serial[0] == len(cases) * 3 - repeats and len(serial[2]) > 4
    assert sum("er allerede brugt" in line for line in serial[2]) == repeats


def test_the_scratch_database_leaves_nothing_behind(tmp_path, program, samples,
                                                    monkeypatch):
    """The engine's tables live in a database file with small row groups (so DuckDB
    judges on every core) in a temporary directory that closing removes; nothing is
    written where the batch is run."""
    import glob
    import tempfile

    from regelkode.backends.sql.engine import DuckDBEngine

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    engine = DuckDBEngine(program)
    files = glob.glob(str(scratch / "regelkode-sql-*" / "arbejde.duckdb"))
    assert len(files) == 1
    engine.con.execute("CREATE TABLE t AS SELECT range AS i FROM range(20000)")
    groups = engine.con.execute(
        "SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('t')").fetchone()[0]
    assert groups == 3            # 8,192 rows a group, not DuckDB's 122,880
    engine.close()
    assert list(scratch.iterdir()) == []

    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    (work / "in.jsonl").write_text(json.dumps(next(iter(samples.values()))) + "\n",
                                   encoding="utf-8")
    assert main(["batch", str(PACK), "in.jsonl", "--out", "ud.duckdb"]) == 0
    assert sorted(p.name for p in work.iterdir()) == ["in.jsonl", "ud.duckdb"]
    assert list(scratch.iterdir()) == []
    tables = duckdb.connect(str(work / "ud.duckdb")).execute(
        "SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()
    assert tables == [("definitioner",), ("regler",), ("resultater",)]


@pytest.mark.parametrize("groups", [10, 1])
def test_the_fast_path_keeps_the_files_row_order(tmp_path, program, samples, monkeypatch,
                                                 groups):
    """Without an ORDER BY, the rows keep the file's order on every thread (DuckDB's
    insertion order), and a file whose rows all pass is read once, with no rest. A
    file of fewer row groups than threads is read in ranges at once, a table each,
    and `sager` is a view of them in order."""
    from regelkode.backends.sql import bulk
    from regelkode.backends.sql.engine import DuckDBEngine

    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n"
                             for c in samples.values()), encoding="utf-8")
    parquet = tmp_path / "in.parquet"
    n = 20_000
    # ids in no sorted order, over many row groups or one, so that a scan in parallel
    # would show if it reordered them
    con = duckdb.connect()
    con.execute(f"CREATE TABLE c AS SELECT row_number() OVER () - 1 AS k, * FROM read_json("
                f"'{jsonl}', format='newline_delimited', "
                f"columns={bulk.typed_columns(program)})")
    con.execute(
        f"COPY (SELECT CAST((i * 7919) % {n} AS VARCHAR) AS sag, c.* EXCLUDE (k) FROM "
        f"range({n}) r(i) JOIN c ON c.k = i % {len(samples)} ORDER BY i) "
        f"TO '{parquet}' (FORMAT PARQUET, ROW_GROUP_SIZE {n // groups})")
    monkeypatch.setattr(bulk, "ROW_GROUP_SIZE", 3000)      # 4 ranges of 5,000 rows
    engine = DuckDBEngine(program)
    try:
        engine.con.execute("SET threads = 4")
        fast, rest, tail = bulk.load(engine.con, program, parquet, None)
        assert fast == n and list(rest) == []
        got = [s for (s,) in engine.con.execute("SELECT sag FROM sager").fetchall()]
        assert got == [str(i * 7919 % n) for i in range(n)]
        made = dict(engine.con.execute(
            "SELECT table_name, table_type FROM information_schema.tables "
            "WHERE table_catalog = current_database()").fetchall())
        if groups == 1:
            assert tail == "sager_3" and made == {
                "sager": "VIEW", **{f"sager_{i}": "BASE TABLE" for i in range(4)}}
        else:
            assert tail == "sager" and made == {"sager": "BASE TABLE"}
    finally:
        engine.close()


def test_rows_python_validates_follow_a_file_read_in_ranges(tmp_path, program, samples,
                                                            monkeypatch):
    """The rows the SQL checks cannot pass go after the others, to the last range's
    table: the batch's output is the same whether the file is read in ranges or not."""
    from regelkode.backends.sql import bulk

    cases = list(samples.values())
    n = 2400
    rows = [cases[i % len(cases)] for i in range(n)]
    rows[100] = _bad_variants(cases[0])[0]
    ids = [f"s{i}" for i in range(n)]
    ids[2000] = "s7"            # row 8's id again: both rows are Python's to validate
    parquet = _typed_parquet(tmp_path, program, rows, ids)
    made = []
    ranges = bulk._ranges
    monkeypatch.setattr(bulk, "_ranges", lambda *a: made.append(ranges(*a)) or made[-1])
    outs = {}
    for size in (8192, 600):        # whole; or one range per thread (DuckDB's default)
        monkeypatch.setattr(bulk, "ROW_GROUP_SIZE", size)
        outs[size] = tmp_path / f"ud{size}.csv"
        assert main(["batch", str(PACK), str(parquet), "--out", str(outs[size])]) == 1
    threads = int(duckdb.connect().execute("SELECT current_setting('threads')").fetchone()[0])
    assert len(made[0]) == 1 and len(made[1]) == min(threads, 4)
    assert outs[8192].read_bytes() == outs[600].read_bytes()
    order = list(dict.fromkeys(row[0] for row in _rows(outs[600], "csv")))
    assert order[-1] == "s7" and order[:3] == ["s0", "s1", "s2"] and "s100" not in order
