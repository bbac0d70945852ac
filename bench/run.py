"""The benchmark: evaluation against a hand-written baseline, batch, compile, site.

`python -m bench` (what `make bench` runs) prints a table and writes
`build/bench.json`; `--side site/docs/hastighed.md` also puts the table on
the review site's page. Targets are reported, never asserted: machines are
noisy. What is asserted is agreement: the generated module, the reference
interpreter and the hand-written baseline must give the same results on
every case the benchmark evaluates, or the run fails with the case printed.

How each number is taken, and why:

- per case: every implementation runs on the same case back to back (so
  machine noise hits them alike), each case `REPS` times; a case's time is
  its fastest run (noise only ever adds), the reported figure the median
  over the cases. Garbage collection stays on, as in production.
- the unit of work per case is "case in, report out as JSON-shaped data":
  the baseline returns dicts; the generated module's report is turned into
  the same dicts with `to_dict()`. The generated module also formats its
  explanations lazily, so `evaluate()` alone is reported separately.
- batch: worker processes (one per core) each evaluate a pool of distinct
  cases several times over; only the evaluation is timed (the parent's
  clock between two barriers), not making the cases; the faster of two runs.
- compile: `compile_pack` (= `regelkode check`) and `build_outputs` (the
  Python module, compiled by CPython, and the case schema) on the pack and
  on copies 10× and 100× its size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import multiprocessing as mp
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from regelkode.backends.python.emit import emit_module
from regelkode.backends.python.fast import emit_fast_module
from regelkode.checks.analysis import compile_checked
from regelkode.cli import build_outputs
from regelkode.ir import interpret

from . import baseline, figures, mini
from . import js as js_bench
from .cases import _conform, _generic, make_case, rates
from .packs import replicated_pack, subset_pack
from .report import _fmt, markdown_table, ratios, short_table, targets, write_page

ROOT = Path(__file__).resolve().parents[1]
PACK = ROOT / "rules" / "ressourceforloeb"

# The batch runs twice and the faster run counts: the machine may be shared, and
# other work only ever makes a run slower (the same reasoning as best-of per case).
BATCH_ATTEMPTS = 2


class Disagreement(Exception):
    """Two implementations gave different results for a case."""


# --- the machine

def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                capture_output=True, text=True, check=False).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=ROOT, capture_output=True, text=True,
                               check=False).stdout.strip()
    except OSError:
        commit, dirty = "", ""
    return {
        "nproc": cores, "cpu": cpu, "python": platform.python_version(),
        "implementation": platform.python_implementation(), "platform": platform.platform(),
        "dato": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit + (" (med uncommittede ændringer)" if dirty else ""),
        "load_før": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }


# --- loading the three implementations

class Setup:
    def __init__(self, work: Path):
        self.work = work
        self.compiled = compile_checked(PACK)
        if not self.compiled.ok:
            raise SystemExit("bench: pakken kan ikke oversættes; kør `regelkode check "
                             f"{PACK.relative_to(ROOT)}`")
        self.program = self.compiled.program
        self.rates = rates(self.program)
        self.module_path = work / "fuld" / f"{self.program.pack}.py"
        # what `regelkode build` writes (the fast backend), and the plain emitter's module
        # (every operation a three-valued op_* call) as the reference point it replaced
        self.source = emit_fast_module(self.program)
        self.module = _load(self.source, self.module_path, "bench_fuld")
        self.plain = _load(emit_module(self.program), work / "fuld" / "plain.py", "bench_plain")
        mini_c = compile_checked(mini.PACK)
        if not mini_c.ok:
            raise SystemExit("bench: bench/mini/regelkode_mini kan ikke oversættes")
        self.mini = _load(emit_fast_module(mini_c.program), work / "mini" / "mini.py",
                          "bench_mini")
        self.mini_plain = _load(emit_module(mini_c.program), work / "mini" / "plain.py",
                                "bench_mini_plain")
        sub_dir = subset_pack(self.program, PACK, work / "udsnit", baseline.REGEL_IDER)
        self.subset = compile_checked(sub_dir)
        if not self.subset.ok:
            raise SystemExit("bench: udsnitspakken kan ikke oversættes: " + "; ".join(
                d.message for d in self.subset.diags.errors))
        self.sub_module = _load(emit_fast_module(self.subset.program),
                                work / "udsnit" / f"{self.program.pack}.py", "bench_udsnit")
        self.sub_facts = frozenset(self.sub_module.FAKTA) | {"beregningsdato"}

    def case(self, i: int) -> dict:
        return make_case(i, self.program.facts, self.rates)

    def complete_case(self, i: int) -> dict:
        """Case i with every fact and field given (missing ones made up): "all facts known"."""
        import random
        sag = self.case(i)
        rng = random.Random(f"fuld:{i}")
        b = dt.date.fromisoformat(sag["beregningsdato"])
        for navn, typ in self.program.facts.items():
            v = sag.get(navn)
            sag[navn] = _conform(rng, _generic(rng, typ, b) if v is None else v, typ, b, 0.0)
        return sag

    def project(self, sag: dict) -> dict:
        """The case with only the facts the subset pack has (it refuses any others)."""
        return {k: v for k, v in sag.items() if k in self.sub_facts}


def _load(source: str, path: Path, name: str):
    """Write a generated module to `path` and import it (as a file, like an embedding would)."""
    import importlib.util
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# --- agreement

def _show(sag) -> str:
    return json.dumps(sag, ensure_ascii=False, sort_keys=True)


def check_case(s: Setup, i: int, sag: dict, *, interpreter: bool = True) -> int:
    """Raise Disagreement unless all implementations agree on case i; returns the
    number of baseline entries whose message or explanation differs (statuses agree)."""
    rapport = s.module.evaluate(sag)
    fuld = rapport.to_dict()
    if interpreter:
        fortolket = interpret.evaluate(s.program, sag).to_dict()
        if fortolket != fuld:
            rules = [r["id"] for r, t in zip(fuld["regler"], fortolket["regler"],
                                              strict=False) if r != t] or ["definitioner"]
            raise Disagreement(f"sag {i}: det genererede modul og fortolkeren er uenige om "
                               f"{', '.join(rules)}\n{_show(sag)}")
    sub = {r["id"]: r for r in (x.to_dict() for x in s.sub_module.evaluate(
        s.project(sag)).regler)}
    by_id = {r["id"]: r for r in fuld["regler"]}
    hand = baseline.evaluate(sag)
    soft = 0
    for part in ("fakta", "definitioner"):
        soft += sum(fuld[part].get(n) != v for n, v in hand[part].items())
    for entry in hand["regler"]:
        rid = entry["id"]
        if rid not in by_id:
            raise Disagreement(f"reglen {rid} findes ikke længere i pakken; ret bench/baseline.py")
        gen = by_id[rid]
        if sub[rid] != gen:
            raise Disagreement(f"sag {i}: udsnitspakken og den fulde pakke er uenige om {rid}\n"
                               f"{_show(sag)}")
        if (entry["status"], entry["mangler"]) != (gen["status"], gen["mangler"]):
            raise Disagreement(
                f"sag {i}: den håndskrevne baseline og det genererede modul er uenige om {rid}: "
                f"baseline {entry['status']} {entry['mangler']}, genereret {gen['status']} "
                f"{gen['mangler']}\n{_show(sag)}")
        soft += entry != gen
    return soft


# --- per case

def per_case(s: Setup, n: int, reps: int) -> dict:
    cases = [s.case(i) for i in range(n)]
    projected = [s.project(c) for c in cases]
    known = [s.complete_case(i) for i in range(n)]
    soft = sum(check_case(s, i, c) for i, c in enumerate(cases))
    for i, c in enumerate(known[:max(1, n // 10)]):
        if s.module.evaluate(c).to_dict() != interpret.evaluate(s.program, c).to_dict():
            raise Disagreement(f"sag {i} (alle fakta kendt): modulet og fortolkeren er uenige")
    full, sub, program, plain = s.module, s.sub_module, s.program, s.plain

    def rules_json(rapport):
        return [r.to_dict() for r in rapport.regler]

    variants = {
        "baseline_til": (lambda c: baseline.evaluate(c), projected),
        "baseline_fra": (lambda c: baseline.evaluate(c, forklaring=False), projected),
        "udsnit_til": (lambda c: rules_json(sub.evaluate(c)), projected),
        "udsnit_fra": (lambda c: rules_json(sub.evaluate(c, forklaring=False)), projected),
        "fuld_til": (lambda c: rules_json(full.evaluate(c)), cases),
        "fuld_fra": (lambda c: rules_json(full.evaluate(c, forklaring=False)), cases),
        "fuld_evaluate": (lambda c: full.evaluate(c), cases),
        "baseline_kendt_fra": (lambda c: baseline.evaluate(c, forklaring=False),
                               [s.project(c) for c in known]),
        "fuld_kendt_evaluate": (lambda c: full.evaluate(c), known),
        "fuld_kendt_til": (lambda c: full.evaluate(c).to_dict(), known),
        "gammel_evaluate": (lambda c: plain.evaluate(c), cases),
        "gammel_til": (lambda c: rules_json(plain.evaluate(c)), cases),
        "fortolker_evaluate": (lambda c: interpret.evaluate(program, c), cases),
    }
    best = {k: [float("inf")] * n for k in variants}
    names = list(variants)
    clock = time.perf_counter_ns
    gc.collect()
    for rep in range(reps):
        order = names[rep % len(names):] + names[:rep % len(names)]
        for i in range(n):
            for k in order:
                fn, cs = variants[k]
                c = cs[i]
                t0 = clock()
                fn(c)
                t = clock() - t0
                if t < best[k][i]:
                    best[k][i] = t
    med = {k: statistics.median(v) / 1000 for k, v in best.items()}      # µs
    return {"sager": n, "gentagelser": reps, "median_us": med, "afvigende_tekster": soft,
            "regler": {"baseline": len(baseline.REGEL_IDER), "udsnit": len(sub.REGLER),
                       "fuld": len(full.REGLER)}}


def memory_per_evaluation(s: Setup, n: int) -> dict:
    """tracemalloc's peak while one case is evaluated (largest over n cases), in KiB."""
    cases = [s.case(i) for i in range(n)]
    peaks = []
    tracemalloc.start()
    try:
        for c in cases:
            tracemalloc.reset_peak()
            before = tracemalloc.get_traced_memory()[0]
            r = s.module.evaluate(c)
            peaks.append(tracemalloc.get_traced_memory()[1] - before)
            del r
    finally:
        tracemalloc.stop()
    return {"median_kib": statistics.median(peaks) / 1024, "max_kib": max(peaks) / 1024}


# --- batch

_SETUP: Setup | None = None


def _rss_kib() -> int:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError):
        return 0


def _worker(w: int, first: int, pool: int, rounds: int, work: str, barrier, results,
            check: bool = True) -> None:
    try:
        # What the parent built (compiler, IR, the per-case run's cases) is inherited by
        # a forked worker; a batch process in production holds only the module. Keep the
        # inherited objects out of the garbage collector's way, as they would not exist.
        gc.freeze()
        s = _SETUP if _SETUP is not None else Setup(Path(work))
        cases = [s.case(i) for i in range(first, first + pool)]
        soft = sum(check_case(s, i, c) for i, c in enumerate(cases, first)) if check else 0
        evaluate = s.module.evaluate
        statuses: dict = {}
        gc.collect()
        rss_before = _rss_kib()
        elapsed = float("inf")
        for _attempt in range(BATCH_ATTEMPTS):
            barrier.wait()                  # start together
            t0 = time.perf_counter()
            for _ in range(rounds):
                for c in cases:
                    evaluate(c)
            elapsed = min(elapsed, time.perf_counter() - t0)
            barrier.wait()                  # the parent's clock stops when the last is done
        for c in cases:
            for r in evaluate(c).regler:
                statuses[r.status] = statuses.get(r.status, 0) + 1
        results.put({"w": w, "s": elapsed, "n": pool * rounds, "rss_før_kib": rss_before,
                     "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                     "statusser": statuses, "afvigende_tekster": soft})
    except BaseException as exc:            # reported by the parent, which fails the run
        try:
            barrier.abort()
        finally:
            results.put({"w": w, "fejl": f"{type(exc).__name__}: {exc}"})


def batch(s: Setup, total: int, pool_per_worker: int, first_case: int,
          workers: int | None = None, check: bool = True) -> dict:
    global _SETUP
    workers = workers or machine_cores()
    rounds = max(1, total // (workers * pool_per_worker))
    methods = mp.get_all_start_methods()
    ctx = mp.get_context("fork" if "fork" in methods else "spawn")
    if ctx.get_start_method() == "fork":
        _SETUP = s                        # inherited: no second compile in the workers
    barrier = ctx.Barrier(workers + 1)
    results = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(w, first_case + w * pool_per_worker,
                                                pool_per_worker, rounds, str(s.work),
                                                barrier, results, check))
             for w in range(workers)]
    for p in procs:
        p.start()
    try:
        wall = float("inf")
        for _attempt in range(BATCH_ATTEMPTS):
            barrier.wait()
            t0 = time.perf_counter()
            barrier.wait()
            wall = min(wall, time.perf_counter() - t0)
        out = [results.get() for _ in procs]
    except Exception:
        out = [results.get(timeout=5) for _ in procs]
        wall = float("nan")
    finally:
        for p in procs:
            p.join()
        _SETUP = None
    errors = [o["fejl"] for o in out if "fejl" in o]
    if errors:
        raise Disagreement("\n".join(errors))
    n = sum(o["n"] for o in out)
    per_core = statistics.median(o["n"] / o["s"] for o in out)
    statuses: dict = {}
    for o in out:
        for k, v in o["statusser"].items():
            statuses[k] = statuses.get(k, 0) + v
    return {
        "sager": n, "forskellige_sager": workers * pool_per_worker, "gange_hver": rounds,
        "processer": workers, "sekunder": wall, "sager_pr_sekund": n / wall,
        "forsøg": BATCH_ATTEMPTS,
        "sager_pr_sekund_pr_kerne": per_core,
        "sekunder_for_100000_paa_2_kerner": 100_000 / (2 * per_core),
        "maxrss_mib": max(o["maxrss_kib"] for o in out) / 1024,
        "rss_før_mib": max(o["rss_før_kib"] for o in out) / 1024,
        "statusser_pr_pulje": statuses,
        "afvigende_tekster": sum(o["afvigende_tekster"] for o in out),
    }


def machine_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


# --- compile

def _compile_once(path: Path) -> tuple[float, float, int]:
    gc.collect()
    t0 = time.perf_counter()
    c = compile_checked(path)
    t1 = time.perf_counter()
    if not c.ok:
        raise SystemExit(f"bench: {path} kan ikke oversættes: " + "; ".join(
            d.message for d in c.diags.errors[:5]))
    build_outputs(c)
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, len(c.program.rules)


def compile_scaling(work: Path, factors: tuple[int, ...], reps_small: int) -> list[dict]:
    out = []
    for k in factors:
        if k == 1:
            path = PACK
        else:
            path, _ = replicated_pack(PACK, work / f"x{k}", k)
        runs = [_compile_once(path) for _ in range(reps_small if k < 100 else 1)]
        check = statistics.median(r[0] for r in runs)
        build = statistics.median(r[1] for r in runs)
        rules = runs[0][2]
        out.append({"faktor": k, "regler": rules, "check_s": check, "build_s": build,
                    "i_alt_s": check + build, "ms_pr_regel": (check + build) / rules * 1000,
                    "kørsler": len(runs)})
    for c in out:
        # linear: the time per rule stays that of the pack itself (the baseline of this run)
        c["forhold_pr_regel"] = c["ms_pr_regel"] / out[0]["ms_pr_regel"]
        c["lineær"] = c["forhold_pr_regel"] <= 1.5
    return out


# --- site

def site_timing(work: Path) -> dict:
    try:
        from regelkode.site.build import build_site
        from regelkode.site.pages import emit_site
    except ImportError as exc:
        return {"mangler": f"sitegeneratoren kan ikke importeres ({exc})"}
    from regelkode.front.load import discover_packs
    results = [compile_checked(p) for p in discover_packs(ROOT / "rules")]
    broken = [c for c in results if not c.ok]
    if broken:
        errors = broken[0].diags.errors
        return {"mangler": f"pakken {broken[0].path.name} kan ikke oversættes"
                + (f" ({errors[0].message})" if errors else "")}
    cwd = Path.cwd()
    os.chdir(ROOT)                       # build_site finds site/mkdocs.yml from here
    try:
        # The first Markdown run fills caches (revision history, sources) that
        # build_site's own run then reuses: timed apart, so the mkdocs share is
        # build_site less a warm Markdown run, not less a cold one (which gave a
        # negative figure).
        t0 = time.perf_counter()
        emit_site(results)
        t1 = time.perf_counter()
        emit_site(results)
        t2 = time.perf_counter()
        build_site(results, work / "site-build", quiet=True)
        t3 = time.perf_counter()
    except Exception as exc:             # a broken site is reported, not fatal
        return {"mangler": f"sitet kunne ikke bygges: {type(exc).__name__}: {exc}"}
    finally:
        os.chdir(cwd)
    markdown = t2 - t1
    return {"markdown_foerste_s": t1 - t0, "markdown_s": markdown,
            "mkdocs_s": (t3 - t2) - markdown, "i_alt_s": t3 - t2, "pakker": len(results)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    ap.add_argument("--hurtig", action="store_true",
                    help="færre sager og ingen 100 ×-pakke (til udvikling; tallene er grovere)")
    ap.add_argument("--sager", type=int, help="sager i målingen pr. sag (standard 1000)")
    ap.add_argument("--faktorer", help="pakkens størrelser i oversættelsesmålingen, fx 1,10,100 "
                    "(standard 1,10,100; med --hurtig 1,10)")
    ap.add_argument("--out", default=str(ROOT / "build" / "bench.json"), help="JSON-resultatet")
    ap.add_argument("--side", metavar="MD", help="skriv tabellen ind i denne side "
                    "(mellem <!-- bench:start --> og <!-- bench:end -->)")
    ap.add_argument("--uden", action="append", default=[],
                    choices=("batch", "én_proces", "oversættelse", "site", "js"),
                    help="spring en del over")
    args = ap.parse_args(argv)
    quick = args.hurtig
    n = args.sager or (200 if quick else 1000)
    work = ROOT / "build" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    given = " ".join(argv if argv is not None else sys.argv[1:])
    if os.environ.get("MAKELEVEL"):
        command = f'make bench BENCH_ARGS="{given}"' if given else "make bench"
    else:
        command = f"python -m bench {given}".rstrip()
    r: dict = {"maskine": machine(), "kommando": command}
    t_start = time.perf_counter()
    try:
        print(f"bench: oversætter {PACK.relative_to(ROOT)} og et udsnit med "
              f"{len(baseline.REGEL_IDER)} regler …", flush=True)
        s = Setup(work)
        print(f"bench: {n} sager pr. sag-måling, tre implementeringer kontrolleres …", flush=True)
        r["pr_sag"] = per_case(s, n, reps=3)
        r["hukommelse"] = memory_per_evaluation(s, 100 if quick else 300)
        if "js" not in args.uden:
            print("bench: JavaScript-modulet i Node …", flush=True)
            r["js"] = js_bench.per_case(s, n, reps=3)
        print("bench: 5-output-udsnittet mod den håndskrevne funktion …", flush=True)
        r["mini"] = figures.mini_per_case(s.mini, s.mini_plain, n, reps=5)
        known = [s.complete_case(i) for i in range(min(n, 200))]
        r["profil"] = {
            "alle_fakta_kendt": figures.profile(s.module, known[:100]),
            "stikprøve": figures.profile(s.module, [s.case(i) for i in range(100)]),
            "tilbagefald": figures.fallbacks(
                s.source, "bench_tael", lambda src, name: _load(src, work / "tael.py", name),
                [s.case(i) for i in range(200)]),
        }
        if "én_proces" not in args.uden:
            total = 10_000 if quick else 100_000
            print(f"bench: {total:,} fulde rapporter i én proces …".replace(",", "."),
                  flush=True)
            pool = [s.complete_case(i) for i in range(n, n + 1000)]
            r["én_proces"] = figures.one_process(s.module, pool, total, baseline.evaluate,
                                                 [s.project(c) for c in pool])
        checked = n
        soft = r["pr_sag"]["afvigende_tekster"]
        if "batch" not in args.uden:
            total = 10_000 if quick else 100_000
            pool = 1000 if quick else 2500
            print(f"bench: batch med {total:,} sager …".replace(",", "."), flush=True)
            r["batch"] = batch(s, total, pool, first_case=n)
            if r["batch"]["processer"] > 1:
                # How well the cores scale: the same pool (already checked) in one process.
                r["batch_1_proces"] = batch(s, total // 10, pool, first_case=n, workers=1,
                                            check=False)
            checked += r["batch"]["forskellige_sager"]
            soft += r["batch"]["afvigende_tekster"]
        r["enighed"] = {"sager": checked, "afvigende_tekster": soft}
    except (Disagreement, figures.Disagreement, js_bench.JsDisagreement) as exc:
        print(f"bench: FEJL — implementeringerne er uenige:\n{exc}", file=sys.stderr)
        return 1
    if "oversættelse" not in args.uden:
        factors = (tuple(int(k) for k in args.faktorer.split(",")) if args.faktorer
                   else (1, 10) if quick else (1, 10, 100))
        print(f"bench: oversættelse ved {', '.join(f'{k} ×' for k in factors)} …", flush=True)
        r["oversættelse"] = compile_scaling(work, factors, reps_small=3)
    if "site" not in args.uden:
        print("bench: sitet …", flush=True)
        r["site"] = site_timing(work)
    r["maskine"]["load_efter"] = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    r["varighed_s"] = time.perf_counter() - t_start
    r["mål"] = [{"mål": label, "opfyldt": ok, "målt": value} for label, ok, value in targets(r)]
    r["forhold"] = ratios(r)
    table = markdown_table(r)
    print()
    print(short_table(r))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(r, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"bench: {out} ({_fmt(r['varighed_s'], 0)} s)")
    if args.side:
        write_page(Path(args.side), table)
        print(f"bench: tabellen er skrevet ind i {args.side}")
    return 0
