"""The JS module's speed per case against the Python module's, measured in the same run.

Both judge the same cases (the benchmark's generated ones) and must agree:
every JS report, as JSON text, must equal the Python module's `to_dict()`
written by `json.dumps` (a disagreement fails the run). Each side then takes
each case's best of `reps` runs of "case in, report out as JSON data"
(`evaluate(c).to_dict()` / `evaluate(c).toDict()`) and of `evaluate()` alone,
and the median over the cases. Node runs all cases in one process; its first
pass (the JIT warming up) is the agreement check and is not timed.
"""

from __future__ import annotations

import gc
import json
import statistics
import subprocess
import time
from pathlib import Path

from regelkode.backends.js.backend import BACKEND, node_path
from regelkode.backends.js.emit import emit_module

DRIVER = Path(__file__).resolve().parent / "js_driver.mjs"


class JsDisagreement(Exception):
    pass


def per_case(s, n: int, reps: int) -> dict:
    reason = BACKEND.unavailable()
    if reason:
        return {"mangler": reason}
    cases = [s.case(i) for i in range(n)]
    module = s.work / "js" / f"{s.program.pack}.mjs"
    module.parent.mkdir(parents=True, exist_ok=True)
    module.write_text(emit_module(s.program), encoding="utf-8")
    proc = subprocess.run([node_path(), str(DRIVER), str(module), str(reps)],
                          input="".join(json.dumps(c, ensure_ascii=True) + "\n" for c in cases),
                          capture_output=True, text=True, encoding="utf-8", check=False)
    if proc.returncode != 0:
        raise JsDisagreement(f"node fejlede: {proc.stderr[-2000:]}")
    js = json.loads(proc.stdout)
    py = s.module
    for i, (c, text) in enumerate(zip(cases, js["reports"], strict=True)):
        expected = json.dumps(py.evaluate(c).to_dict(), ensure_ascii=False,
                              separators=(",", ":"))
        if text != expected:
            raise JsDisagreement(f"sag {i}: JS-modulet og Python-modulet er uenige\n"
                                 f"{json.dumps(c, ensure_ascii=False, sort_keys=True)}")
    best = {"til": [float("inf")] * n, "evaluate": [float("inf")] * n}
    clock = time.perf_counter_ns
    gc.collect()
    for _ in range(reps):
        for i, c in enumerate(cases):
            t0 = clock()
            py.evaluate(c).to_dict()
            t = clock() - t0
            best["til"][i] = min(best["til"][i], t)
            t0 = clock()
            py.evaluate(c)
            t = clock() - t0
            best["evaluate"][i] = min(best["evaluate"][i], t)
    python = {k: statistics.median(v) / 1000 for k, v in best.items()}
    return {"sager": n, "gentagelser": reps, "node": js["node"],
            "python_til_us": python["til"], "python_evaluate_us": python["evaluate"],
            "js_til_us": js["til_us"], "js_evaluate_us": js["evaluate_us"]}


def markdown(r: dict, fmt) -> list[str]:
    lines = ["", "### JavaScript-modulet (Node)", ""]
    if "mangler" in r:
        return [*lines, f"Ikke målt: {r['mangler']}."]
    lines += [f"{r['sager']} sager, hver sags bedste af {r['gentagelser']}, median; "
              f"Node {r['node']}. JS-rapporterne er byte for byte Python-modulets.", "",
              "| måling | Python µs | JS µs | JS ÷ Python |", "|---|---:|---:|---:|"]
    for label, key in (("evaluate() + rapport som JSON-data", "til"),
                       ("kun evaluate()", "evaluate")):
        p, j = r[f"python_{key}_us"], r[f"js_{key}_us"]
        lines.append(f"| {label} | {fmt(p)} | {fmt(j)} | {fmt(j / p, 2)} |")
    return lines
