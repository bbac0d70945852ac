"""A pack that extends another on the same site: the base first, and each rule once.

`eksempel_lag` extends `eksempel`, adds a rule, an exception to `må_starte`
and overrides the parameter `maksimal_varighed`. Its pages show what it adds
or changes; every other rule, definition and parameter is shown only under
`eksempel` and linked to there, so navigation and search hold it once.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from regelkode.checks.analysis import compile_checked
from regelkode.site.pages import emit_site

PACKS = Path(__file__).resolve().parents[2] / "tests" / "packs"


@pytest.fixture(scope="module")
def packs():
    out = {p: compile_checked(PACKS / p) for p in ("eksempel_lag", "eksempel")}
    assert all(c.ok for c in out.values())
    return out


@pytest.fixture(scope="module")
def site(packs):
    # The overlay is given first (as `discover_packs` sorts a municipality before
    # its national pack when its name sorts first).
    return emit_site([packs["eksempel_lag"], packs["eksempel"]])


def _anchors(site, prefix):
    ids = Counter()
    for path, text in site.pages.items():
        if path.startswith(prefix + "/regler/"):
            ids.update(re.findall(r"^## .*\{#([^}]+)\}$", text, re.MULTILINE))
    return ids


def test_base_pack_comes_first(site):
    sections = [item for _t, item in site.nav if isinstance(item, list)]
    assert sections[0][0][1].startswith("genereret/eksempel/")
    assert sections[1][0][1].startswith("genereret/eksempel_lag/")
    start = site.pages["index.md"]
    assert start.index("genereret/eksempel/") < start.index("genereret/eksempel_lag/")


def test_each_rule_once_unless_the_overlay_changes_it(site, packs):
    base = _anchors(site, "genereret/eksempel")
    overlay = _anchors(site, "genereret/eksempel_lag")
    assert set(base) == set(packs["eksempel"].pack.rules)
    assert max(base.values()) == 1 and max(overlay.values()) == 1
    lag = packs["eksempel_lag"].pack
    # its own rule, a rule using the definition it adds an exception to (må_starte),
    # one using the parameter it overrides, and nothing it left alone
    assert {"lagets_regel", "alder_under_60", "varighed_højst"} <= set(overlay)
    assert "{#må_starte}" in site.pages["genereret/eksempel_lag/definitioner.md"]
    untouched = [r for r in lag.rules if r not in overlay]
    assert untouched, "the overlay should leave some national rules alone"
    for rid in untouched:
        assert lag.rules[rid].layer == "eksempel"


def test_overlay_links_to_the_base_pack_for_what_it_leaves_alone(site, packs):
    lag = packs["eksempel_lag"].pack
    overlay = _anchors(site, "genereret/eksempel_lag")
    untouched = sorted(r for r in lag.rules if r not in overlay)
    text = "\n".join(t for p, t in site.pages.items() if p.startswith("genereret/eksempel_lag/"))
    # any link to an untouched rule goes to the national page
    for rid in untouched:
        for target in re.findall(r"\]\(<([^>]*#" + re.escape(rid) + r")>\)", text):
            assert "../eksempel/" in target or target.startswith("../../eksempel/"), target
    defs = site.pages["genereret/eksempel_lag/definitioner.md"]
    assert "gælder uændret og står under" in defs
    params = site.pages["genereret/eksempel_lag/parametre.md"]
    assert "{#maksimal_varighed}" in params          # overridden here: shown here


def test_overlay_sources_and_conflicts_show_only_its_own(site):
    base = site.pages["genereret/eksempel/kilder.md"]
    overlay = site.pages["genereret/eksempel_lag/kilder.md"]
    assert "De øvrige står under [" in overlay and "](../eksempel/kilder.md)" in overlay
    heads = [line for line in overlay.splitlines() if line.startswith("### ")]
    assert len(heads) < len([line for line in base.splitlines() if line.startswith("### ")])
    assert "Her står kun denne pakkes egne konflikter" in site.pages[
        "genereret/eksempel_lag/konflikter.md"]


def test_overlay_site_builds_strict_with_every_link_resolving(packs, tmp_path):
    # MkDocs --strict fails on a link to a missing page or anchor: the overlay's
    # links into the base pack and its trimmed sources page must all resolve.
    from regelkode.site import build as site_mod

    site_mod.build_site([packs["eksempel_lag"], packs["eksempel"]], tmp_path, quiet=True)
    assert (tmp_path / "site" / "genereret" / "eksempel_lag" / "kilder" / "index.html").is_file()
