"""The fast backend's figures (issue 15): the 5-output excerpt against its hand-written
function, 100,000 full reports in one process, and a profile of where the time goes.

Same method as run.py's per-case figures: implementations interleaved case by
case, each case's best of `reps` runs, the median over cases. Every figure is
also given as a ratio against a baseline measured in the same run (`forhold`),
since the absolute numbers move with the machine's load.
"""

from __future__ import annotations

import cProfile
import gc
import pstats
import re
import statistics
import time

from . import mini


def best_of(variants: dict, cases: list, reps: int) -> dict:
    """Median over the cases of each case's fastest run, µs, for each variant."""
    best = {k: [float("inf")] * len(cases) for k in variants}
    clock = time.perf_counter_ns
    names = list(variants)
    for rep in range(reps):
        order = names[rep % len(names):] + names[:rep % len(names)]
        for i, c in enumerate(cases):
            for k in order:
                fn = variants[k]
                t0 = clock()
                fn(c)
                t = clock() - t0
                if t < best[k][i]:
                    best[k][i] = t
    return {k: statistics.median(v) / 1000 for k, v in best.items()}


class Disagreement(Exception):
    pass


def mini_per_case(fast, plain, n: int, reps: int) -> dict:
    """The excerpt: hand-written vs the generated module (fast, and the plain emitter's)."""
    cases = mini.make_cases(n)
    for i, c in enumerate(cases):
        want, got = mini.handwritten(c), mini.generated(fast, c)
        if want != got:
            raise Disagreement(f"udsnittet (mini), sag {i}: håndskrevet {want}, "
                               f"genereret {got}\n{c}")
    variants = {
        "håndskrevet": mini.handwritten,
        "genereret_5_output": lambda c: mini.generated(fast, c),
        "genereret_evaluate": lambda c: fast.evaluate(c),
        "genereret_evaluate_fra": lambda c: fast.evaluate(c, forklaring=False),
        "genereret_to_dict": lambda c: fast.evaluate(c).to_dict(),
        "genereret_to_dict_fra": lambda c: fast.evaluate(c, forklaring=False).to_dict(),
        "gammel_5_output": lambda c: _plain_outputs(plain, c),
        "gammel_to_dict": lambda c: plain.evaluate(c).to_dict(),
    }
    med = best_of(variants, cases, reps)
    base = med["håndskrevet"]
    return {"sager": n, "gentagelser": reps, "median_us": med,
            "forhold": {k: v / base for k, v in med.items()}}


def _plain_outputs(module, c):
    """The five outputs from the plain emitter's (eager) report."""
    r = module.evaluate(c)
    d = r._definitioner
    return {"eligible": d["eligible"], "monthly_benefit": d["monthly_benefit"],
            "conversations_ok": d["conversations_ok"], "activity_ok": d["activity_ok"],
            "violations": r.opsummering()["brud"]}


def one_process(module, cases: list, total: int, baseline_fn, baseline_cases: list) -> dict:
    """`total` full reports (evaluate + to_dict) in this process, cycling over `cases`;
    the baseline (hand-written, five rules) over the same number of cases as reference."""
    # the compiler and the IR of this process are not what a production process holds:
    # keep them out of the collector's way (as the batch workers do)
    gc.collect()
    gc.freeze()
    evaluate = module.evaluate
    rounds, rest = divmod(total, len(cases))
    t0 = time.perf_counter()
    for _ in range(rounds):
        for c in cases:
            evaluate(c).to_dict()
    for c in cases[:rest]:
        evaluate(c).to_dict()
    secs = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(rounds):
        for c in baseline_cases:
            baseline_fn(c)
    for c in baseline_cases[:rest]:
        baseline_fn(c)
    base = time.perf_counter() - t0
    return {"rapporter": total, "sekunder": secs, "sekunder_pr_100000": secs * 100_000 / total,
            "baseline_sekunder": base, "forhold_til_baseline": secs / base}


def profile(module, cases: list, reps: int = 3) -> dict:
    """Where the time of a case goes, measured by phase (each case's best of `reps`, median
    over the cases), and cProfile's count of Python calls per case with the functions that
    take the most time of their own."""
    evaluate = module.evaluate
    med = best_of({
        "validering": module._valider,
        "evaluate": evaluate,
        "evaluate_regler": lambda c: evaluate(c).regler,
        "evaluate_to_dict": lambda c: evaluate(c).to_dict(),
    }, cases, reps)
    phases = {
        "validering": med["validering"],
        "regler_og_definitioner": max(0.0, med["evaluate"] - med["validering"]),
        "regelresultater": max(0.0, med["evaluate_regler"] - med["evaluate"]),
        "json_forklaringer_og_resten_af_definitionerne": max(
            0.0, med["evaluate_to_dict"] - med["evaluate_regler"]),
    }
    prof = cProfile.Profile()
    prof.enable()
    for c in cases:
        evaluate(c).to_dict()
    prof.disable()
    stats = pstats.Stats(prof).stats
    calls_to_dict = sum(v[1] for v in stats.values()) / len(cases)
    top = sorted(stats.items(), key=lambda kv: -kv[1][2])[:8]
    prof = cProfile.Profile()
    prof.enable()
    for c in cases:
        evaluate(c)
    prof.disable()
    calls = sum(v[1] for v in pstats.Stats(prof).stats.values()) / len(cases)
    return {"sager": len(cases), "kald_pr_sag": calls, "kald_pr_sag_to_dict": calls_to_dict,
            "faser_us": phases, "i_alt_us": med["evaluate_to_dict"],
            "mest_tid_to_dict": [name for (_f, _l, name), _v in top]}


def fallbacks(source: str, name: str, loader, cases: list) -> dict:
    """How often a fast path gave way to the three-valued one, per case (a copy of the
    module that counts them)."""
    counting = re.sub(r"def ((?:regel|definition|delt)_\w+)\(s\):", r'def \1(s):\n    _FN = "\1"',
                      source)
    counting = counting.replace("pass  # unknown after all: three-valued", "_FALD[_FN] += 1")
    counting = counting.replace("class _Ukendt(Exception):",
                                "_FALD = __import__('collections').Counter()\n\n\n"
                                "class _Ukendt(Exception):", 1)
    module = loader(counting, name)
    complete = 0
    for c in cases:
        complete += module._valider(c)[1] == 0
        module.evaluate(c)
    top = module._FALD.most_common(5)
    return {"sager": len(cases), "fuldstændige_sager": complete,
            "tilbagefald_pr_sag": sum(module._FALD.values()) / len(cases),
            "hyppigste": [[k, v] for k, v in top]}
