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


# where the time goes: functions of the generated module by the part of the work they do
_GROUPS = (
    ("validering", re.compile(r"^(_valider|_v\d+|_felt|_maske_af|normaliser|_norm|_parser|_dato|"
                              r"beregningsdato|_fuld)$")),
    ("definitioner", re.compile(r"^(definition_|__missing__$)")),
    ("regler", re.compile(r"^regel_")),
    ("runtime-operationer", re.compile(r"^(op_|_flet|_tal|_plus|_hele|_dato_plus|_plus_maaneder|"
                                       r"_filtrer|_yderst|_divider|_til_oere|_k$|_lige)")),
    ("rapport", re.compile(r"^(tilfoej|til_json|udfyld|tekst|forklar_ukendt|to_dict|fakta|"
                           r"definitioner|regler|opsummering|_fakta_json|_definition_json|"
                           r"__init__|_decimal_tekst|Rapport)")),
)


def profile(module, cases: list, to_dict: bool) -> dict:
    """cProfile over `cases`: calls per case, and each part's share of the time."""
    prof = cProfile.Profile()
    evaluate = module.evaluate
    prof.enable()
    for c in cases:
        r = evaluate(c)
        if to_dict:
            r.to_dict()
    prof.disable()
    stats = pstats.Stats(prof).stats
    calls = sum(v[1] for v in stats.values())
    parts: dict = {}
    total = 0.0
    for (filename, _line, name), (_cc, _nc, tottime, _ct, _callers) in stats.items():
        total += tottime
        group = "andet"
        if filename == "~":
            group = "indbygget (dict.get, regex, datoer, …)"
        elif filename == module.__file__:
            for label, pattern in _GROUPS:
                if pattern.search(name):
                    group = label
                    break
        parts[group] = parts.get(group, 0.0) + tottime
    return {"sager": len(cases), "kald_pr_sag": calls / len(cases),
            "andel": {k: v / total for k, v in sorted(parts.items(), key=lambda kv: -kv[1])}}


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
