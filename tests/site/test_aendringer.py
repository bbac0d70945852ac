"""The "Ændringer" page: the semantic diff on the site, with pack text kept inert."""

import contextlib
import io
import json
import shutil

import markdown

from regelkode.checks.analysis import compile_checked
from regelkode.cli import main
from regelkode.site.pages import emit_site


def test_diff_markdown_keeps_pack_text_inert(tmp_path, repo_root):
    # An example with a hostile name whose outcome changes lands in the outcome table.
    hostile = "for sent <script>alert(1)</script> <b>fed</b> [l](javascript:x)"
    packs = []
    for side in ("gammel", "ny"):
        pack = tmp_path / side / "fjendtlig"
        shutil.copytree(repo_root / "tests/packs/fjendtlig", pack)
        rules = pack / "regler.yaml"
        text = rules.read_text(encoding="utf-8").replace("navn: for sent",
                                                         f"navn: {json.dumps(hostile)}")
        if side == "ny":
            text = text.replace("alvor: brud", "alvor: opmærksomhed", 1)
        rules.write_text(text, encoding="utf-8")
        packs.append(str(pack))
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        main(["diff", *packs, "--format", "markdown"])
    page = out.getvalue()
    assert "alert(1)" in page and "opmærksomhed" in page      # the changed outcome is shown...
    html = markdown.markdown(page, extensions=["tables"])
    assert "<script" not in html and "<b>" not in html       # ...as text, never markup
    assert 'href="javascript' not in html


def test_site_has_a_changes_page_per_pack(repo_root):
    site = emit_site([compile_checked(repo_root / "tests/packs/eksempel")])
    page = site.pages["genereret/eksempel/aendringer.md"]
    assert page.startswith("# Ændringer")
    assert ("Ændringer", "genereret/eksempel/aendringer.md") in site.nav[1][1]
