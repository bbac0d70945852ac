"""Command line: `regelkode build | check | eval | test | …`.

Exit codes: 0 success; 1 diagnostics with errors, failing examples, coverage
below the pack's minimum, a refused case or a build that could not be written;
2 wrong usage; 3 `eval --fejl-ved-brud` judged a rule `brud`; 130 interrupted
(Ctrl-C). No input gives a traceback: every problem the user can cause is a
diagnostic.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import tempfile
from pathlib import Path

from . import diagnostics as D
from . import files
from . import runtime as rt
from .checks.analysis import compile_checked
from .front.parse_errors import read_json_file
from .passes.pipeline import Compiled

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_BREACH = 0, 1, 2, 3

STATUS_MARK = {"opfyldt": "✓", "brud": "✗", "opmærksomhed": "!", "ikke_relevant": "–",
               "ukendt": "?", "konflikt": "‼"}


# argparse's own words are English and reach us only through gettext's global
# catalogue; these are the ones a user of this CLI can meet, in Danish. A message not
# listed (another Python's wording) is shown as argparse wrote it.
_USAGE_ERRORS = [(re.compile(pattern), danish) for pattern, danish in (
    (r"the following arguments are required: (.*)", r"disse argumenter mangler: \1"),
    (r"invalid choice: (.*) \(choose from (.*)\)", r"ugyldigt valg: \1 (vælg mellem \2)"),
    (r"expected one argument", "skal have en værdi"),
    (r"expected at most one argument", "kan have højst én værdi"),
    (r"expected at least one argument", "skal have mindst én værdi"),
    (r"unrecognized arguments: (.*)", r"ukendte argumenter: \1"),
    (r"ambiguous option: (.*) could match (.*)", r"tvetydigt tilvalg: \1 kan være \2"),
    (r"not allowed with argument (.*)", r"kan ikke bruges sammen med \1"),
    (r"one of the arguments (.*) is required", r"et af argumenterne \1 skal angives"),
    (r"ignored explicit argument (.*)", r"tager ingen værdi: \1"),
    (r"invalid (\w+) value: (.*)", r"ugyldig værdi: \2"),
)]


def _danish_usage_error(message: str) -> str:
    head, sep, rest = message.partition(": ")
    if head.startswith("argument ") and sep:        # "argument --engine: invalid choice …"
        return f"{head}: {_danish_usage_error(rest)}"
    for pattern, danish in _USAGE_ERRORS:
        if m := pattern.fullmatch(message):
            return m.expand(danish)
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "brug: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with a Danish usage line, headings, help option and usage errors."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "argumenter"
        self._optionals.title = "tilvalg"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="vis denne hjælp og afslut")

    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"{self.prog}: fejl: {_danish_usage_error(message)}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def _packs(args_packs: list[str]) -> list[Path]:
    from .front.load import discover_packs
    if args_packs:
        return [Path(p) for p in args_packs]
    root = Path("rules")
    return discover_packs(root) if root.is_dir() else []


def _print_diags(diags: D.Diagnostics, fmt: str, stream=None) -> None:
    items = diags.sorted()
    # JSON readers need a document even when there is nothing to say.
    if items or fmt == "json":
        print(D.render(items, fmt), file=stream or sys.stderr)


def _compile_all(paths, fmt, *, report: bool = True) -> tuple[list[Compiled], bool]:
    results, ok = [], True
    if not paths:
        print("regelkode: ingen regelpakker fundet (angiv en mappe, fx rules/ressourceforloeb)",
              file=sys.stderr)
        return [], False
    for path in paths:
        c = compile_checked(path)
        results.append(c)
        if not c.ok:
            ok = False
    diags = D.Diagnostics()
    for c in results:
        diags.extend(c.diags)
    if report:
        _print_diags(diags, fmt)
    return results, ok


def cmd_check(args) -> int:
    results, ok = _compile_all(_packs(args.packs), args.format)
    if args.dump and results and results[0].program is not None:
        _dump(results[0], args.dump)
    if ok and args.format == "text":
        for c in results:
            print(f"{c.pack.id}: {len(c.pack.rules)} regler, {len(c.pack.defs)} definitioner, "
                  f"{len(c.pack.params)} parametre, {len(c.pack.facts)} fakta — ingen fejl")
    return EXIT_OK if ok else EXIT_FAIL


def _dump(c: Compiled, stage: str) -> None:
    from .backends.python.fast import emit_fast_module
    if stage == "python":
        print(emit_fast_module(c.program))
    elif stage == "ir":
        for d in c.program.defs:
            print(f"{d.name} = {d.expr!r}")
        for r in c.program.rules:
            print(f"{r.id}: gælder={r.applies!r}\n  krav={r.requirement!r}")
    elif stage == "ast":
        for name, d in sorted(c.pack.defs.items()):
            print(f"{name}: {d.value.node if d.value else d.table!r}")
        for rid, r in sorted(c.pack.rules.items()):
            print(f"{rid}: {r.requirement.node!r}")


def build_outputs(c: Compiled) -> dict[str, bytes]:
    """Every registered backend's files for one compiled pack (backends/__init__.py)."""
    from .backends import emit_all
    return {path: text.encode("utf-8") for path, text in emit_all(c.program).items()}


def cmd_build(args) -> int:
    import shutil

    from .output import recover, replace_trees
    from .site.build import SiteError, remove_stale_work, render_site
    out = Path(args.out)
    paths = _packs(args.packs)
    try:
        # First undo what a killed build may have left, whatever this build does:
        # a half swap rolled back, staging and MkDocs work folders of dead builds removed.
        for path in paths:
            recover(out / Path(path).name)
        recover(out / "site")
        remove_stale_work(out)
    except OSError as exc:
        print(f"regelkode: kunne ikke rydde op efter en afbrudt bygning: "
              f"{exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAIL
    results, ok = _compile_all(paths, args.format)
    if not ok:
        print("regelkode: bygningen er stoppet; intet er skrevet", file=sys.stderr)
        return EXIT_FAIL
    work = None
    try:
        staged = {c.pack.id: build_outputs(c) for c in results}
        trees = {out / pack_id: (files, None) for pack_id, files in staged.items()}
        if not args.no_site:
            # The site is rendered before anything is swapped, then swapped in with the
            # packs under one journal: a build killed in MkDocs (or anywhere) leaves the
            # previous packs and site together, never new packs beside an old site.
            work = render_site(results, out)
            trees[out / "site"] = (None, work / "html")
        # All or none: a full disk while writing the second leaves the first as it was.
        replace_trees(trees)
        for pack_id in staged:
            print(f"{out / pack_id / (pack_id + '.py')}")
        if not args.no_site and not args.quiet:
            print(out / "site" / "index.html")
    except OSError as exc:
        print(f"regelkode: kunne ikke skrive byggeresultatet: {exc.strerror or exc}; "
              "det forrige byggeresultat er uændret", file=sys.stderr)
        return EXIT_FAIL
    except SiteError as exc:
        print(f"regelkode: siden kunne ikke bygges: {exc}; det forrige byggeresultat er "
              "uændret", file=sys.stderr)
        return EXIT_FAIL
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    return EXIT_OK


def load_generated(c: Compiled, tmp: Path):
    from .backends.python.fast import emit_fast_module
    from .checks.examples import load_module
    return load_module(emit_fast_module(c.program), c.pack.id, tmp)


def _read_case(path: str):
    # Only a regular file, and only so much of it: a FIFO would block the read
    # forever and /dev/zero never ends.
    try:
        return read_json_file(Path(path))
    except files.FileRefused as exc:
        raise rt.SagFejl(exc.where or "$", f"{path}: {exc.reason}") from None


def cmd_eval(args) -> int:
    c = compile_checked(Path(args.pack))
    if not c.ok:
        _print_diags(c.diags, "text")
        return EXIT_FAIL
    try:
        sag = _read_case(args.case)
        with tempfile.TemporaryDirectory() as tmp:
            module = load_generated(c, Path(tmp))
            rapport = module.evaluate(sag, dato=args.dato)
    except rt.SagFejl as exc:
        print(f"regelkode: sagen afvises: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except Exception as exc:  # the generated module's own SagFejl class
        if type(exc).__name__ == "SagFejl":
            print(f"regelkode: sagen afvises: {exc}", file=sys.stderr)
            return EXIT_FAIL
        raise
    if args.json:
        print(json.dumps(rapport.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_report(rapport))
    if args.fejl_ved_brud and any(r.status == "brud" for r in rapport.regler):
        return EXIT_BREACH
    return EXIT_OK


def render_report(rapport) -> str:
    lines = [f"{rapport.pakke} {rapport.version} — bedømt på {rapport.beregningsdato.isoformat()}"]
    counts = rapport.opsummering()
    lines.append("  ".join(f"{STATUS_MARK[s]} {s}: {n}" for s, n in counts.items() if n))
    lines.append("")
    order = {"brud": 0, "konflikt": 1, "opmærksomhed": 2, "ukendt": 3, "opfyldt": 4,
             "ikke_relevant": 5}
    for r in sorted(rapport.regler, key=lambda r: (order[r.status], r.omraade, r.id)):
        lines.append(f"{STATUS_MARK[r.status]} {r.status.upper():<14} {r.id}  ({r.omraade})")
        lines.append(f"    {r.titel}")
        if r.meddelelse:
            lines.append(f"    → {r.meddelelse}")
        if r.status in ("brud", "opmærksomhed", "ukendt", "konflikt"):
            if r.kilder:
                lines.append("    kilder: " + "; ".join(r.kilder))
            used = {**r.fakta, **r.definitioner}
            if used:
                shown = ", ".join(f"{k}={_short(v)}" for k, v in used.items())
                lines.append(f"    grundlag: {shown}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def cmd_test(args) -> int:
    from .checks.examples import report_failures, run_examples
    # Compile and example diagnostics are printed together: with --format json
    # two separate arrays on stderr would not be one JSON document.
    results, ok = _compile_all(_packs(args.packs), args.format, report=False)
    diags = D.Diagnostics()
    for c in results:
        diags.extend(c.diags)
    if not ok:
        _print_diags(diags, args.format)
        return EXIT_FAIL
    failed = 0
    total = 0
    for c in results:
        with tempfile.TemporaryDirectory() as tmp:
            module = load_generated(c, Path(tmp))
            outcomes = run_examples(c, module)
        total += len(outcomes)
        failed += sum(1 for o in outcomes if not o.ok)
        report_failures(outcomes, diags)
        if args.coverage:
            from .checks.coverage import coverage_report
            cov_ok = coverage_report(c, args.format, sys.stdout)
            ok = ok and cov_ok
    _print_diags(diags, args.format)
    if args.format == "text":
        print(f"eksempler: {total - failed} passed, {failed} failed")
    return EXIT_OK if ok and not failed else EXIT_FAIL


# --- regelkode godkend (the review records are written by checks/review.py) ---

def add_godkend(sub) -> None:
    """Register `regelkode godkend` on the CLI's subparsers."""
    p = sub.add_parser(
        "godkend", help="registrér, at en jurist har gennemgået en regel (skriver gennemgået)",
        description="Skriver `gennemgået: {af, dato, fingeraftryk}` i reglens YAML-fil. "
        "Fingeraftrykket er reglens indhold nu; ændres reglen siden, viser siden og "
        "`regelkode check` det.")
    p.add_argument("pack", metavar="PACK", help="regelpakkens mappe, fx rules/ressourceforloeb")
    p.add_argument("id", metavar="RULE_ID", help="reglens id (også en definition eller parameter)")
    p.add_argument("--af", required=True, metavar="NAVN", help="hvem der har gennemgået den")
    p.add_argument("--dato", metavar="ÅÅÅÅ-MM-DD", help="datoen for gennemgangen (standard: i dag)")
    p.set_defaults(func=cmd_godkend)


def cmd_godkend(args) -> int:
    import datetime as dt
    import re

    from .checks.review import WHAT, ApproveError, approve, declarations
    from .diagnostics import did_you_mean

    af = " ".join(str(args.af).split())
    if not af:
        print("regelkode godkend: --af skal være et navn", file=sys.stderr)
        return EXIT_USAGE
    if args.dato:
        try:
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", args.dato):
                raise ValueError
            dato = dt.date.fromisoformat(args.dato)
        except ValueError:
            print(f"regelkode godkend: --dato `{args.dato}` er ikke en dato (ÅÅÅÅ-MM-DD)",
                  file=sys.stderr)
            return EXIT_USAGE
        if dato > dt.date.today():
            # a review cannot have happened yet: a typo (2062 for 2026) would stand for decades
            print(f"regelkode godkend: --dato {dato.isoformat()} ligger i fremtiden; en "
                  "gennemgang dateres den dag, den er sket", file=sys.stderr)
            return EXIT_USAGE
    else:
        dato = dt.date.today()
    c = compile_checked(Path(args.pack))
    if c.pack is None or c.diags.has_errors:
        items = c.diags.sorted()
        if items:
            print(D.render(items, "text"), file=sys.stderr)
        print("regelkode godkend: pakken har fejl; ret dem, før en regel godkendes",
              file=sys.stderr)
        return EXIT_FAIL
    decls = declarations(c.pack)
    found = [d for (_kind, name), d in decls.items() if name == args.id]
    if not found:
        hint = did_you_mean(args.id, sorted({name for _k, name in decls}))
        print(f"regelkode godkend: `{args.id}` er ikke en regel, definition eller parameter "
              f"i {c.pack.id}" + (f" ({hint})" if hint else ""), file=sys.stderr)
        return EXIT_FAIL
    decl = found[0]
    before = decl.state
    try:
        fp, where = approve(decl, af, dato)
    except ApproveError as exc:
        print(f"regelkode godkend: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except OSError as exc:
        print(f"regelkode godkend: kunne ikke skrive {decl.display}: {exc.strerror or exc}",
              file=sys.stderr)
        return EXIT_FAIL
    print(f"{WHAT[decl.kind]} {decl.id} er godkendt af {af} {dato.isoformat()} "
          f"(fingeraftryk {fp}; før: {before}) — skrevet i {where}")
    return EXIT_OK


def cmd_lovdaekning(args) -> int:
    from .checks.lovdaekning import law_coverage, render_text
    from .passes.pipeline import compile_pack
    c = compile_pack(Path(args.pack))
    if c.pack is None:
        _print_diags(c.diags, "text")
        return EXIT_FAIL
    diags = D.Diagnostics()
    diags.extend(D.Diagnostics())
    for d in c.diags.items:
        if d.is_error:
            diags.items.append(d)
    rows = law_coverage(c.pack, diags)
    _print_diags(diags, "text")
    if args.json:
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=2))
    else:
        print(render_text(rows), end="")
    if not rows:
        print("regelkode: pakken angiver intet lovomfang (pakke.yaml, lovdækning.omfang)",
              file=sys.stderr)
        return EXIT_FAIL
    gaps = any(r.status == "mangler" for r in rows)
    return EXIT_FAIL if gaps or diags.has_errors else EXIT_OK


def main(argv=None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # a path in bytes that are not UTF-8 (a name given on the command line) reaches a
        # message as lone surrogates: written escaped, not a UnicodeEncodeError
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    parser = _Parser(prog="regelkode", description="Regelkode: dansk lovgivning som kode.")
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO", required=True,
                                parser_class=_Parser)

    def packs_arg(p):
        p.add_argument("packs", nargs="*", metavar="PACK",
                       help="regelpakkens mappe (standard: alle pakker under rules/)")
        p.add_argument("--format", choices=("text", "json", "github"), default="text",
                       help="diagnosticeringsformat (standard: text)")

    p = sub.add_parser("build", help="oversæt pakker til Python-moduler, skema og site i build/")
    packs_arg(p)
    p.add_argument("--out", default="build", help="output-mappe (standard: build)")
    p.add_argument("--no-site", action="store_true", help="byg ikke reviewer-sitet")
    p.add_argument("--quiet", action="store_true", help="skriv mindre")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("check", help="alle diagnosticeringer; exit 1 ved fejl")
    packs_arg(p)
    p.add_argument("--dump", choices=("ast", "ir", "python"), help="vis et mellemtrin")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("eval", help="bedøm en sag (JSON) efter en pakke")
    p.add_argument("pack", metavar="PACK", help="regelpakkens mappe, fx rules/ressourceforloeb")
    p.add_argument("case", metavar="CASE.json", help="sagen som en JSON-fil")
    p.add_argument("--dato", help="bedømmelsesdato ÅÅÅÅ-MM-DD (standard: sagens beregningsdato)")
    p.add_argument("--json", action="store_true", help="skriv rapporten som JSON")
    p.add_argument("--fejl-ved-brud", action="store_true",
                   help="afslut med kode 3, hvis en regel er brudt (til CI og scripts)")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("test", help="kør pakkernes eksempler")
    packs_arg(p)
    p.add_argument("--coverage", action="store_true", help="rapportér regeldækning")
    p.set_defaults(func=cmd_test)

    p = sub.add_parser("lovdækning", aliases=["lovdaekning"],
                       help="hver sætning i lovomfanget: kodet, udenfor eller mangler; "
                       "exit 1 ved mangler")
    p.add_argument("pack", metavar="PACK", help="regelpakkens mappe, fx rules/ressourceforloeb")
    p.add_argument("--json", action="store_true", help="skriv enhederne som JSON")
    p.set_defaults(func=cmd_lovdaekning)

    from .checks.diff_render import register as add_diff  # semantic diff of two versions
    add_diff(sub)

    add_godkend(sub)

    from .cli_sql import register as add_sql  # `sql` and `batch`: the SQL backend
    add_sql(sub)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
