"""The "Ændringer" page: the semantic diff on the site, with pack text kept inert."""

import contextlib
import io
import json
import re
import shutil

import markdown

from regelkode.checks.analysis import compile_checked
from regelkode.checks.diff import diff_sides
from regelkode.checks.diff_render import site_markdown
from regelkode.checks.revisions import Side
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


def _two_versions(tmp_path, repo_root):
    """tests/packs/eksempel before and after: a rule's requirement and an example changed."""
    sides = {}
    for side in ("gammel", "ny"):
        pack = tmp_path / side / "eksempel"
        shutil.copytree(repo_root / "tests/packs/eksempel", pack)
        sides[side] = pack
    rules = next(p for p in sides["ny"].glob("*.yaml")
                 if "fire_samtaler" in p.read_text(encoding="utf-8"))
    text = rules.read_text(encoding="utf-8")
    assert "samtaler_i_tide er mindst 4" in text
    rules.write_text(text.replace("samtaler_i_tide er mindst 4", "samtaler_i_tide er mindst 3"),
                     encoding="utf-8")
    return (Side("gammel", {"eksempel": sides["gammel"]}),
            Side("ny", {"eksempel": sides["ny"]}))


def test_site_changes_are_a_table_and_a_nested_list(tmp_path, repo_root):
    old, new = _two_versions(tmp_path, repo_root)
    page = site_markdown(diff_sides(old, new, "eksempel"), "gammel", "nu")
    html = markdown.markdown(page, extensions=["tables", "attr_list"])
    # an overview table of the changed declarations...
    assert "<th>Ændring</th>" in html and "<td><code>fire_samtaler</code></td>" in html
    # ...and each change with its details as a list nested in its item, not one paragraph
    item = re.search(r"<li><strong>Ændret:</strong> regel <code>fire_samtaler</code>.*?</li>",
                     html, re.DOTALL)
    assert item and "<ul>" in item.group(0) and "mindst 3" in item.group(0)
    assert "<p>- " not in html and "\n  - " not in html
    # an outcome that changed, in words rather than symbols
    assert "ikke som forventet" in html or "som forventet" in html
    assert not re.search("[➕➖✏✅❌]", page)
