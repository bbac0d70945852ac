"""`regelkode sql` and `regelkode batch`: the SQL backend on the command line.

`sql PACK [--dialect D]` prints the views; `batch PACK INPUT --out OUT`
judges a caseload (see backends/sql/batch.py). Exit codes as the rest of
the CLI: 0 every case judged, 1 a pack with errors, a refused case or an
unreadable input, 2 wrong usage.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from . import files
from .backends.sql.dialects import DIALECTS
from .runtime import _tusinder

EXIT_OK, EXIT_FAIL = 0, 1


def _compiled(pack: str):
    from . import diagnostics as D
    from .checks.analysis import compile_checked

    c = compile_checked(Path(pack))
    if not c.ok:
        print(D.render(c.diags.sorted(), "text"), file=sys.stderr)
        return None
    return c


def cmd_sql(args) -> int:
    from .backends.sql.expr import Unsupported
    from .backends.sql.program import emit_sql

    c = _compiled(args.pack)
    if c is None:
        return EXIT_FAIL
    try:
        sys.stdout.write(emit_sql(c.program, args.dialect))
    except Unsupported as exc:
        print(f"regelkode: pakken kan ikke skrives som SQL: {exc}", file=sys.stderr)
        return EXIT_FAIL
    return EXIT_OK


def _date(text: str | None):
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return False


def cmd_batch(args) -> int:
    from .backends.sql.batch import BatchFejl, cases_text, run_batch
    from .backends.sql.expr import Unsupported

    dato = _date(args.dato)
    if dato is False:
        print(f"regelkode: --dato: {args.dato} er ikke en dato ÅÅÅÅ-MM-DD", file=sys.stderr)
        return EXIT_FAIL
    c = _compiled(args.pack)
    if c is None:
        return EXIT_FAIL
    if args.engine == "spark":
        from .backends.sql.spark import unavailable
        reason = unavailable()
        if reason:
            print(f"regelkode: --engine spark: {reason}", file=sys.stderr)
            return EXIT_FAIL
    try:
        summary = run_batch(c.program, Path(args.input), Path(args.out), dato=dato,
                            engine=args.engine)
    except (BatchFejl, Unsupported) as exc:
        print(f"regelkode: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except files.FileRefused as exc:
        print(f"regelkode: {args.input}: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except OSError as exc:
        print(f"regelkode: {exc}", file=sys.stderr)
        return EXIT_FAIL
    for problem in summary.problems:
        print(problem.line(), file=sys.stderr)
    if summary.skipped:
        names = ", ".join(summary.skipped[:5]) + (", …" if len(summary.skipped) > 5 else "")
        n = _tusinder(len(summary.skipped))
        print(f"regelkode: {files.shown(args.input)}: sprang {n} over, der ikke ender på "
              f".json: {names}", file=sys.stderr)
    counts = f"{cases_text(summary.judged)} bedømt"
    if summary.problems:
        counts += f", {_tusinder(len(summary.problems))} ikke bedømt"
    outputs = ", ".join(str(p) for p in summary.outputs)
    seconds = f"{summary.seconds:.1f}".replace(".", ",")
    print(f"regelkode: {counts} på {seconds} s → {outputs}", file=sys.stderr)
    return EXIT_FAIL if summary.problems else EXIT_OK


def register(sub) -> None:
    p = sub.add_parser("sql", help="skriv pakkens regler som SQL-views over en tabel `sager`")
    p.add_argument("pack", metavar="PACK", help="regelpakkens mappe, fx rules/ressourceforloeb")
    p.add_argument("--dialect", choices=DIALECTS, default="duckdb",
                   help="SQL-dialekt: duckdb (standard), spark, postgres (skriver også "
                   "de navngivne typer og tabellen sager) eller trino")
    p.set_defaults(func=cmd_sql)

    p = sub.add_parser("batch", help="bedøm mange sager med SQL (DuckDB eller Spark)")
    p.add_argument("pack", metavar="PACK", help="regelpakkens mappe, fx rules/ressourceforloeb")
    p.add_argument("input", metavar="INPUT",
                   help="en mappe med sager (*.json), en .jsonl- eller en .parquet-fil")
    p.add_argument("--out", required=True,
                   help="resultatet: .parquet, .jsonl, .csv eller en DuckDB-database (.duckdb)")
    p.add_argument("--dato", help="bedømmelsesdato ÅÅÅÅ-MM-DD for alle sager "
                                  "(standard: hver sags beregningsdato)")
    p.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb",
                   help="SQL-motor (standard: duckdb; spark kræver regelkode[spark])")
    p.set_defaults(func=cmd_batch)
