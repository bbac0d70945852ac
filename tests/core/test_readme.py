"""The README's embedding example runs as written, against a fresh build."""

import re
import subprocess
import sys

from regelkode.cli import main


def test_readme_embedding_example_runs(repo_root, tmp_path, monkeypatch):
    monkeypatch.chdir(repo_root)
    assert main(["build", "rules/ressourceforloeb", "--no-site", "--out", str(tmp_path)]) == 0
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", readme, re.DOTALL).group(1)
    assert 'sys.path.insert(0, "build/ressourceforloeb")' in code
    code = code.replace('"build/ressourceforloeb"', repr(str(tmp_path / "ressourceforloeb")))
    proc = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True,
                          cwd=repo_root, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "fire_samtaler_første_seks_måneder opfyldt" in proc.stdout
    assert '"pakke": "ressourceforloeb"' in proc.stdout
