"""The README's JavaScript example runs as written in Node, against a fresh build,
and prints the Python module's report for the same case."""

import json
import re
import subprocess

import pytest

from regelkode.backends import backend
from regelkode.backends.js.backend import node_path
from regelkode.checks.analysis import compile_checked
from regelkode.cli import main
from regelkode.ir import interpret


def test_readme_js_example_runs(repo_root, tmp_path, monkeypatch):
    reason = backend("js").unavailable()
    if reason:
        pytest.skip(reason)
    monkeypatch.chdir(repo_root)
    assert main(["build", "rules/ressourceforloeb", "--no-site", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "ressourceforloeb" / "ressourceforloeb.d.ts").is_file()
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```js\n(.*?)```", readme, re.DOTALL).group(1)
    module = "./build/ressourceforloeb/ressourceforloeb.mjs"
    assert module in code
    code = code.replace(module, (tmp_path / "ressourceforloeb" / "ressourceforloeb.mjs").as_uri())
    proc = subprocess.run([node_path(), "--input-type=module", "-e", code], capture_output=True,
                          text=True, cwd=repo_root, timeout=60)
    assert proc.returncode == 0, proc.stderr
    case = json.loads((repo_root / "rules/ressourceforloeb/sager/anna_alt_i_orden.json")
                      .read_text(encoding="utf-8"))
    c = compile_checked(repo_root / "rules/ressourceforloeb")
    expected = json.dumps(interpret.evaluate(c.program, case).to_dict(), ensure_ascii=False,
                          indent=2)
    assert proc.stdout == expected + "\n"
