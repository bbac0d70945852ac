"""The 5-output excerpt (issue 15's yardstick): a plain hand-written function and its cases.

`regelkode_mini/` is the excerpt as a pack (a copy of the shared bench-mini
pack: 11 inputs; `eligible`, `monthly_benefit`, `conversations_ok`,
`activity_ok` as definitions; two rules whose `brud` count is `violations`).
`handwritten` is what a developer writes for the same five outputs with every
input known: no validation, no unknowns, no explanations — the per-case
limit. It reads the same JSON case the module reads and does the same exact
arithmetic (the years as a decimal, the amount as integer øre; no float), so
the two do the same work but for what the module adds: validation, `ukendt`
and a report with explanations on request.
"""

from __future__ import annotations

import random
from decimal import Decimal

PACK = __import__("pathlib").Path(__file__).resolve().parent / "regelkode_mini"
OUTPUTS = ("eligible", "monthly_benefit", "conversations_ok", "activity_ok", "violations")
PRIOR_BENEFITS = ("ledighedsydelse", "sygedagpenge", "other")
SEED = 20261123


def handwritten(c):
    """The five outputs of one case, in plain Python (the per-case limit)."""
    age = c["age"]
    wishes = c["wishes_course"]
    eligible = (
        c["rehab_team_recommends"]
        and not c["work_ability_cannot_improve"]
        and (Decimal(c["years_to_pension_age"]) >= 6 or wishes)
        and not (age > 40 and c["previous_courses"] >= 1 and not wishes)
    )
    pb = c["prior_benefit"]
    if pb == "ledighedsydelse" or pb == "sygedagpenge":
        kr, _, oere = c["prior_benefit_monthly"].partition(".")
        monthly = int(kr) * 100 + int(oere.ljust(2, "0"))
    elif c["has_children"] and age >= 30:
        monthly = 1638200
    elif age >= 30:
        monthly = 1232600
    else:
        monthly = 800000
    conversations_ok = c["conversations_first_26_weeks"] >= 4
    activity_ok = c["days_to_first_activity"] <= 182
    violations = ((not conversations_ok) + (not activity_ok)) if eligible else 0
    return {
        "eligible": eligible,
        "monthly_benefit": monthly,
        "conversations_ok": conversations_ok,
        "activity_ok": activity_ok,
        "violations": violations,
    }


def generated(module, c, forklaring=True):
    """The same five outputs from the generated module's report."""
    r = module.evaluate(c, forklaring=forklaring)
    d = r.definition
    return {
        "eligible": d("eligible"),
        "monthly_benefit": d("monthly_benefit"),
        "conversations_ok": d("conversations_ok"),
        "activity_ok": d("activity_ok"),
        "violations": r.opsummering()["brud"],
    }


def make_cases(n: int, seed: int = SEED) -> list[dict]:
    """The shared bench-mini generator's cases, written as the pack reads them: the years
    as decimal text, the amount as "%.2f" kroner (boundaries over-sampled)."""
    rng = random.Random(seed)
    r = rng.random
    out = []
    for _ in range(n):
        years = rng.choice((5.99, 6.0, 6.01)) if r() < 0.15 else round(rng.uniform(0.0, 50.0), 2)
        age = rng.choice((29, 30, 40, 41)) if r() < 0.15 else rng.randint(18, 67)
        days = rng.choice((181, 182, 183)) if r() < 0.15 else rng.randint(0, 365)
        out.append({
            "age": age,
            "years_to_pension_age": repr(years),
            "wishes_course": r() < 0.5,
            "rehab_team_recommends": r() < 0.8,
            "work_ability_cannot_improve": r() < 0.2,
            "has_children": r() < 0.5,
            "prior_benefit": rng.choice(PRIOR_BENEFITS),
            "prior_benefit_monthly": f"{round(rng.uniform(0.0, 30000.0), 2):.2f}",
            "conversations_first_26_weeks": rng.randint(0, 8),
            "days_to_first_activity": days,
            "previous_courses": rng.randint(0, 3),
        })
    return out
