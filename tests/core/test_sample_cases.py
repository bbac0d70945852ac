"""`regelkode check` holds a pack's sample cases (`sager/*.json`) to the case contract:
the playground, `regelkode diff` and the differential tests used to skip one they
could not read, without a word."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

from regelkode import cli

ROOT = Path(__file__).resolve().parents[2]


def run(argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def test_a_sample_case_the_module_would_refuse_is_an_error(tmp_path):
    pack = tmp_path / "eksempel"
    shutil.copytree(ROOT / "tests" / "packs" / "eksempel", pack)
    anna = json.loads((pack / "sager" / "anna.json").read_text(encoding="utf-8"))
    bad = {
        "afkortet": '{"fødselsdato": ',
        "to_gange": '{"fødselsdato": "1980-05-17", "fødselsdato": "1990-05-17"}',
        "ukendt": json.dumps(dict(anna, navnet="x")),
        "dato": json.dumps(dict(anna, beregningsdato="2024-02-30")),
        "liste": json.dumps(dict(anna, samtaler=[None])),
    }
    for name, text in bad.items():
        (pack / "sager" / f"{name}.json").write_text(text, encoding="utf-8")
    code, _out, err = run(["check", pack])
    assert code == 1
    shown = f"{pack}/sager"
    assert (f"{shown}/afkortet.json:1:1: error[sample-case]: prøvesagen `eksempel/afkortet` "
            "kan ikke læses: ugyldig JSON (linje 1, kolonne 17): forventede en værdi") in err
    assert ("prøvesagen `eksempel/to_gange` kan ikke læses: $.fødselsdato står to gange i "
            "samme objekt") in err
    assert "prøvesagen `eksempel/ukendt` afvises: $.navnet: ukendt faktum `navnet`" in err
    assert ("prøvesagen `eksempel/dato` afvises: $.beregningsdato: 2024-02-30 er ikke en "
            "gyldig dato") in err
    assert "prøvesagen `eksempel/liste` afvises: $.samtaler[0]:" in err
    assert "anna" not in err and err.count("error[sample-case]") == len(bad)
    for name in bad:
        (pack / "sager" / f"{name}.json").unlink()
    assert run(["check", pack])[0] == 0
