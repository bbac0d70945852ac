"""Golden files for the generated JavaScript and TypeScript declarations.

tests/golden/js/<case>/pakke.txt names the pack; forventet.mjs is the module
without the embedded runtime (the runtime is tested op by op against Python in
tests/differential/test_js_runtime.py), forventet.d.ts the declarations. Run
pytest with --update-golden after a deliberate change. Also: the module is
deterministic, imports nothing, names every rule and definition by its id
next to its source line, and the hostile names of fjendtlige_navne neither
break it nor its declarations — Node loads it and judges like the reference.
"""

import json
import re
import subprocess
from pathlib import Path

import pytest

from regelkode.backends import Refusal, backend
from regelkode.backends.js.emit import emit_module, runtime_source
from regelkode.backends.js.types import emit_dts
from regelkode.checks.analysis import compile_checked
from regelkode.ir import interpret

HERE = Path(__file__).resolve().parents[1] / "golden" / "js"
CASES = sorted(p.name for p in HERE.iterdir() if p.is_dir())


def compiled_of(case: str, root: Path, monkeypatch):
    monkeypatch.chdir(root)
    pack = (HERE / case / "pakke.txt").read_text().strip()
    c = compile_checked(Path(pack))
    assert c.ok, [d.message for d in c.diags.errors]
    return c


@pytest.mark.parametrize("case", CASES)
def test_generated_js_matches_golden(case, monkeypatch, repo_root, update_golden):
    c = compiled_of(case, repo_root, monkeypatch)
    source = emit_module(c.program)
    runtime = runtime_source()
    assert runtime in source
    outputs = {"forventet.mjs": source.replace(runtime, "// (the JS runtime embedded here)\n"),
               "forventet.d.ts": emit_dts(c.program)}
    for name, text in outputs.items():
        expected = HERE / case / name
        if update_golden or not expected.exists():
            expected.write_text(text, encoding="utf-8")
        assert text == expected.read_text(encoding="utf-8"), name


@pytest.mark.parametrize("case", CASES)
def test_generated_js_is_deterministic_self_contained_and_readable(case, monkeypatch,
                                                                   repo_root):
    c = compiled_of(case, repo_root, monkeypatch)
    first = emit_module(c.program)
    assert first == emit_module(compiled_of(case, repo_root, monkeypatch).program)
    assert not re.search(r"^\s*import\b|\brequire\(", first, re.MULTILINE)     # dependency-free
    assert "/work/" not in first and str(repo_root) not in first
    for rid, rule in c.pack.rules.items():
        if re.fullmatch(r"[A-Za-z_æøåÆØÅ][A-Za-z0-9_æøåÆØÅ]*", rid):
            assert f"function regel_{rid}(" in first
        assert f"// {rule.span.file}:{rule.span.line}\n" in first


@pytest.mark.parametrize("case", CASES)
def test_node_loads_it_and_judges_like_the_reference(case, monkeypatch, repo_root, tmp_path):
    reason = backend("js").unavailable()
    if reason:
        pytest.skip(reason)
    c = compiled_of(case, repo_root, monkeypatch)
    runner = backend("js").runner(c.program, tmp_path)
    cases = [({}, None), ({"beregningsdato": "2024-02-29"}, None), ({"ukendt_x": 1}, None)]
    got = runner.judge(cases)
    for (sag, dato), g in zip(cases, got, strict=True):
        try:
            want = interpret.evaluate(c.program, sag, dato=dato).to_dict()
        except Exception as exc:
            want = Refusal(exc.sti, exc.besked)
        assert json.dumps(g, ensure_ascii=False, default=repr) == json.dumps(
            want, ensure_ascii=False, default=repr)
    # the classic-script build (the site's) runs too
    from regelkode.backends.js.emit import emit_script
    script = tmp_path / "classic.js"
    script.write_text(emit_script(c.program) + "\nconsole.log(JSON.stringify(Object.keys("
                      f"globalThis.Regelkode[{json.dumps(c.program.pack)}]).length));\n",
                      encoding="utf-8")
    out = subprocess.run(["node", str(script)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) > 5
