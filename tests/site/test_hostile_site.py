"""Every free-text field of a pack is inert on every page of the built site.

tests/reliability/hostile_pack.py puts a payload with its own marker in each
field of a copy of tests/packs/fjendtlig (titles, area titles in `områder`, a
rule's `område`, messages, notes, example names, conflict texts, law and
document texts, the reviewer's name). The built HTML and the search index are
parsed: no marker may sit in a <script>, an event handler or a src/href, and
no page may have a second <title> (mkdocs-material's `page.title | striptags`
unescaped the nav title, so an area title closed the <title> and ran a script).
tests/browser/test_hostile_pack.py opens the same site in Chromium.
"""

from __future__ import annotations

import re

import pytest

from regelkode.checks.analysis import compile_checked
from regelkode.site import build as site_mod
from reliability.hostile_pack import markers_shown, problems, write_hostile_pack


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("fjendtlig-alt")
    pack, where = write_hostile_pack(root / "rules")
    c = compile_checked(pack)
    assert c.ok, [str(d) for d in c.diags.errors]
    site = site_mod.build_site([c], root / "build", quiet=True)
    return site, where


def test_no_free_text_field_becomes_markup_anywhere_in_the_site(hostile):
    site, where = hostile
    found = problems(site)
    assert not found, "\n".join(found[:20]) + "\n" + "\n".join(
        f"{m} = {where[m]}" for m in sorted(
            {m.upper() for f in found for m in re.findall(r"(?i)xss\d+", f)}))


def test_every_poisoned_field_reaches_the_site(hostile):
    # Otherwise the test above would pass for a field the site never shows.
    site, where = hostile
    missing = where.keys() - markers_shown(site)
    # The site quotes a law's provisions where rules cite them; one no rule cites is not shown.
    missing = {m for m in missing if not where[m].startswith("kilder/love/")}
    assert not missing, sorted(f"{m} = {where[m]}" for m in missing)


def test_an_area_title_is_text_in_the_title_element(hostile):
    site, where = hostile
    area = next(m for m, w in where.items() if w.startswith("pakke.yaml.områder"))
    pages = [p for p in site.rglob("*.html") if f"window.rkXss=&#x27;{area}" in
             p.read_text(encoding="utf-8").split("</title>")[0]]
    assert pages, "the area's page has its title, escaped, in <title>"
