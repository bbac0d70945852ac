"""Build the review site: generated + hand-written pages -> `mkdocs build --strict` -> build/site.

In: all compiled packs and the output folder (`build/`). Out: `build/site/`,
replaced whole and atomically (`output.replace_tree`). The hand-written pages
(`site/docs/`) and the generated ones (`emit_markdown`) are assembled in a
work folder under `build/`, with a derived MkDocs config that inherits
`site/mkdocs.yml` and adds the navigation, so nothing is ever written into
`site/` and `git status` stays clean. A failing MkDocs build raises
`SiteError` with MkDocs's own messages; the previous site is kept.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from .. import mdtext as md
from ..output import replace_tree
from . import playground
from .lovdaekning import CSS as LAW_COVERAGE_CSS
from .pages import GENERATED, SiteDocs, emit_site

MKDOCS_TIMEOUT = 600
# MkDocs stamps the build date into sitemap.xml(.gz); a fixed date keeps two
# builds of the same sources byte-identical. A caller's SOURCE_DATE_EPOCH wins.
DEFAULT_SOURCE_DATE_EPOCH = "0"


CSS_PATH = "stylesheets/regelkode.css"
# A formal rule is read, not scrolled: long expressions wrap. Each rule starts
# below a rule line so that one rule's examples don't run into the next title.
CSS = """\
.md-typeset .rk-formel pre code { white-space: pre-wrap; overflow-wrap: anywhere; }
/* The timeline keeps its drawn size and scrolls sideways rather than shrink its text. */
.md-typeset .rk-tidslinje { overflow-x: auto; }
.md-typeset .rk-tidslinje img { max-width: none; }
.md-typeset hr.rk-skille {
  margin: 2.5em 0 0; border-bottom: 2px solid var(--md-default-fg-color--lightest);
}
"""


class SiteError(Exception):
    """The site could not be built; the message is Danish and says why."""


def _error(message: str) -> Exception:
    return SiteError(message)


def site_source() -> Path:
    """The folder holding mkdocs.yml and docs/: ./site in a checkout, the checkout the
    package sits in (an editable install), else the copy shipped in the wheel."""
    from importlib import resources
    packaged = Path(str(resources.files("regelkode").joinpath("site_source")))
    for candidate in (Path("site"), Path(__file__).resolve().parents[3] / "site", packaged):
        if (candidate / "mkdocs.yml").is_file():
            return candidate.resolve()
    raise _error("site/mkdocs.yml findes ikke; kør regelkode fra projektets rod")


def assemble(docs: SiteDocs, source: Path, work: Path) -> Path:
    """Hand-written pages + generated pages + a derived mkdocs.yml in `work`; returns the config."""
    target = work / "docs"
    hand = source / "docs"
    if hand.is_dir():
        shutil.copytree(hand, target, ignore=shutil.ignore_patterns(GENERATED, ".*"))
    else:
        target.mkdir(parents=True)
    for path in docs.pages:
        if (target / path).exists():
            raise _error(f"site/docs/{path} er håndskrevet, men siden genereres; "
                         "omdøb eller fjern den håndskrevne fil")
    titles = _page_titles(docs)
    for path, text in sorted(docs.pages.items()):
        dest = target / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(_with_title(text, titles.get(path)), encoding="utf-8")
    for path, data in sorted(docs.files.items()):
        dest = target / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
    css = target / CSS_PATH
    css.parent.mkdir(parents=True, exist_ok=True)
    css.write_text(CSS + LAW_COVERAGE_CSS, encoding="utf-8")
    config = {
        "INHERIT": str(source / "mkdocs.yml"),
        "extra_css": [CSS_PATH, playground.STYLE],
        "extra_javascript": [playground.LOADER],
        "docs_dir": "docs",
        "site_dir": "html",
        "nav": _nav(docs, target),
        # Broken links to anchors fail the strict build, like broken page links do.
        "validation": {"anchors": "warn", "unrecognized_links": "warn"},
    }
    path = work / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path


def _page_titles(docs: SiteDocs) -> dict[str, str]:
    """Each generated page's nav title (the start page has the site's name instead)."""
    titles: dict[str, str] = {}
    for title, item in docs.nav:
        for t, p in item if isinstance(item, list) else [(title, item)]:
            if p != "index.md":
                titles.setdefault(p, t)
    return titles


def _with_title(text: str, title: str | None) -> str:
    """The page with its title as front matter, escaped once.

    mkdocs-material writes `<title>{{ page.title | striptags }}</title>`, and
    `striptags` unescapes entities: the nav title (escaped once, as the nav
    needs) came out as live markup, so an area titled
    `</title><script>…</script>` ran its script on every page of the area. The
    theme prefers `page.meta.title`, which it writes as it is, in the <title>
    and the header: escaped once, it shows the text and is inert there too.
    """
    if title is None:
        return text
    return f"---\ntitle: {json.dumps(md.html_text(title), ensure_ascii=False)}\n---\n\n{text}"


def _nav(docs: SiteDocs, target: Path) -> list:
    # MkDocs puts nav titles into the HTML as they are: escape them like page text.
    nav = []
    for title, item in docs.nav:
        if isinstance(item, list):
            nav.append({md.html_text(title): [{md.html_text(t): p} for t, p in item]})
        else:
            nav.append({md.html_text(title): item})
    generated = set(docs.pages)
    hand = sorted(p.relative_to(target).as_posix() for p in target.rglob("*.md")
                  if p.relative_to(target).as_posix() not in generated)
    if hand:
        # Hand-written pages keep the title of their first heading.
        nav.append({"Om regelkode": hand})
    return nav


def run_mkdocs(config: Path) -> str:
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", DEFAULT_SOURCE_DATE_EPOCH)
    env["NO_MKDOCS_2_WARNING"] = "1"
    # Never `--quiet`: MkDocs then drops warnings before --strict can count them.
    # The output is captured either way and shown only when the build fails.
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
           "--config-file", str(config)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env,
                              timeout=MKDOCS_TIMEOUT, cwd=config.parent, check=False)
    except subprocess.TimeoutExpired:
        raise _error(f"mkdocs blev ikke færdig på {MKDOCS_TIMEOUT} sekunder") from None
    except OSError as exc:
        raise _error(f"mkdocs kunne ikke startes: {exc.strerror or exc}") from None
    output = (proc.stdout + proc.stderr).strip()
    if proc.returncode != 0:
        raise _error("mkdocs build --strict fejlede:\n" + _problems(output))
    return output


def _problems(output: str) -> str:
    lines = [line for line in output.splitlines()
             if re.match(r"\s*(WARNING|ERROR|Error|Aborted|Config value)", line)]
    return "\n".join(lines or output.splitlines()[-20:]) or "(ingen besked fra mkdocs)"


WORK_PREFIX = ".site-work-"


def remove_stale_work(out: Path) -> None:
    """Work folders of builds that were killed (their process is gone)."""
    from ..output import _alive
    out = Path(out)
    if not out.is_dir():
        return
    for stale in out.glob(WORK_PREFIX + "*"):
        pid = stale.name[len(WORK_PREFIX):]
        if pid.isdigit() and not _alive(int(pid)) and stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)


def render_site(results, out: Path) -> Path:
    """Generate and run MkDocs in `out/.site-work-<pid>/`; returns that folder.

    The HTML is in `<work>/html`; nothing outside the work folder changes, so
    the caller can swap the site in together with the packs (one journal: a kill
    at any moment leaves the previous build whole) and must remove the folder.
    """
    # Absolute: MkDocs runs inside the work folder, where a relative path would not resolve.
    out = Path(out).resolve()
    docs = emit_site(results)
    source = site_source()
    out.mkdir(parents=True, exist_ok=True)
    remove_stale_work(out)
    work = out / f"{WORK_PREFIX}{os.getpid()}"
    if work.exists():
        shutil.rmtree(work)
    try:
        config = assemble(docs, source, work)
        run_mkdocs(config)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return work


def build_site(results, out: Path, *, quiet: bool = False) -> Path:
    """Generate, build with MkDocs and install the site as `out/site`."""
    given = Path(out)
    work = render_site(results, given)
    try:
        replace_tree(given.resolve() / "site", copy_from=work / "html")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if not quiet:
        print(given / "site" / "index.html")
    return given.resolve() / "site"
