"""The benchmark's report: the targets, every figure as a ratio against a baseline of
the same run, the Markdown table for the site and the short table `make bench` prints.

Split from run.py, which measures; this only reads the result dict it builds.
"""

from __future__ import annotations

from pathlib import Path

from .js import markdown as js_markdown

TARGET_RATIO = 1.5           # generated ≤ 1.5 × hand-written, per case, explanations on
TARGET_FULL_US = 40.0        # the full pack, evaluate(), every fact known
TARGET_FULL_RATIO = 2.0      # … ≤ 2 × hand-written (measured: the five-rule baseline)
TARGET_TO_DICT = 2.0         # to_dict() ≤ 2 × evaluate()
TARGET_BATCH_S = 10.0        # 100,000 cases in under 10 s on 2 cores
TARGET_ONE_PROCESS_S = 5.0   # 100,000 full reports in one process
TARGET_COMPILE_S = 1.0       # the pack
TARGET_COMPILE_100_S = 60.0  # 100 × the pack


def _fmt(x: float, digits: int = 1) -> str:
    """Danish number format: 1.234,5."""
    return f"{x:,.{digits}f}".replace(",", "\0").replace(".", ",").replace("\0", ".")


def _int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def targets(r: dict) -> list[tuple[str, bool, str]]:
    out = []
    m = r["pr_sag"]["median_us"]
    if "mini" in r:
        ratio = r["mini"]["forhold"]["genereret_5_output"]
        out.append(("5-output-udsnittet: evaluate() ≤ 1,5 × den håndskrevne funktion",
                    ratio <= TARGET_RATIO, f"{_fmt(ratio, 2)} ×"))
    ratio = m["udsnit_til"] / m["baseline_til"]
    out.append(("fem regler af pakken ≤ 1,5 × håndskrevet (bench/baseline.py), forklaringer til",
                ratio <= TARGET_RATIO, f"{_fmt(ratio, 2)} ×"))
    us = m["fuld_kendt_evaluate"]
    out.append(("hele pakken, alle fakta kendt: evaluate() ≤ 40 µs", us <= TARGET_FULL_US,
                f"{_fmt(us)} µs"))
    ratio = m["fuld_kendt_evaluate"] / m["baseline_kendt_fra"]
    n_rules = r["pr_sag"]["regler"]["fuld"]
    out.append((f"hele pakken ≤ 2 × håndskrevet (ingen håndskrevet udgave af alle {n_rules} "
                "regler: målt mod de fem regler)", ratio <= TARGET_FULL_RATIO,
                f"{_fmt(ratio, 2)} ×"))
    ratio = m["fuld_kendt_til"] / m["fuld_kendt_evaluate"]
    out.append(("to_dict() ≤ 2 × evaluate() (hele pakken)", ratio <= TARGET_TO_DICT,
                f"{_fmt(ratio, 2)} ×"))
    if "én_proces" in r:
        secs = r["én_proces"]["sekunder_pr_100000"]
        out.append(("100.000 fulde rapporter i én proces under 5 s", secs < TARGET_ONE_PROCESS_S,
                    f"{_fmt(secs)} s"))
    if "batch" in r:
        b = r["batch"]
        secs = b["sekunder_for_100000_paa_2_kerner"]
        out.append(("100.000 sager under 10 s på 2 kerner", secs < TARGET_BATCH_S,
                    f"{_fmt(secs)} s"))
    for c in r.get("oversættelse", []):
        if c["faktor"] == 1:
            out.append(("pakken oversættes under 1 s", c["i_alt_s"] < TARGET_COMPILE_S,
                        f"{_fmt(c['i_alt_s'], 2)} s"))
        if c["faktor"] == 100:
            out.append(("100 × pakken oversættes under 60 s", c["i_alt_s"] < TARGET_COMPILE_100_S,
                        f"{_fmt(c['i_alt_s'])} s"))
        if c["faktor"] > 1 and "lineær" in c:
            out.append((f"oversættelsen lineær ved {c['faktor']} × (tid pr. regel højst 1,5 × "
                        "pakkens)", c["lineær"], f"{_fmt(c['forhold_pr_regel'], 2)} ×"))
    return out


ROWS = (
    ("baseline_til", "håndskrevet (bench/baseline.py)", "baseline", "til"),
    ("baseline_fra", "håndskrevet (bench/baseline.py)", "baseline", "fra"),
    ("baseline_kendt_fra", "håndskrevet, alle fakta kendt", "baseline", "fra"),
    ("udsnit_til", "genereret, udsnit af pakken", "udsnit", "til"),
    ("udsnit_fra", "genereret, udsnit af pakken", "udsnit", "fra"),
    ("fuld_til", "genereret, hele pakken", "fuld", "til"),
    ("fuld_fra", "genereret, hele pakken", "fuld", "fra"),
    ("fuld_evaluate", "genereret, hele pakken, kun evaluate()", "fuld", "doven"),
    ("fuld_kendt_evaluate", "genereret, hele pakken, alle fakta kendt, kun evaluate()", "fuld",
     "doven"),
    ("fuld_kendt_til", "genereret, hele pakken, alle fakta kendt, evaluate() + to_dict()", "fuld",
     "til"),
    ("gammel_evaluate", "gammel emitter (kun op_*), hele pakken, kun evaluate()", "fuld",
     "doven"),
    ("gammel_til", "gammel emitter (kun op_*), hele pakken", "fuld", "til"),
    ("fortolker_evaluate", "fortolkeren, hele pakken, kun evaluate()", "fuld", "doven"),
)


MINI_ROWS = (
    ("håndskrevet", "håndskrevet funktion (bench/mini), ingen validering eller ukendt"),
    ("genereret_5_output", "genereret: evaluate() og de fem output"),
    ("genereret_evaluate", "genereret: kun evaluate()"),
    ("genereret_evaluate_fra", "genereret: evaluate(forklaring=False)"),
    ("genereret_to_dict", "genereret: evaluate() + to_dict()"),
    ("genereret_to_dict_fra", "genereret: evaluate(forklaring=False) + to_dict()"),
    ("gammel_5_output", "gammel emitter: evaluate() og de fem output"),
    ("gammel_to_dict", "gammel emitter: evaluate() + to_dict()"),
)
PHASES = (("validering", "validering"), ("regler_og_definitioner", "regler og definitioner"),
          ("regelresultater", "regelresultater"),
          ("json_forklaringer_og_resten_af_definitionerne",
           "JSON, forklaringer, resten af definitionerne"))


def _load_text(m: dict) -> str:
    """The machine's load average (1 min) before and after: other work slows every number."""
    before, after = m.get("load_før"), m.get("load_efter")
    if not before or not after:
        return ""
    return (f"; belastning (load average, 1 min) {_fmt(before[0], 2)} før og "
            f"{_fmt(after[0], 2)} efter kørslen")


def markdown_table(r: dict) -> str:
    m, p = r["maskine"], r["pr_sag"]
    med = p["median_us"]
    lines = [
        f"- **Maskine:** {m['nproc']} kerner (`nproc`), {m['cpu']}, "
        f"{m['implementation']} {m['python']}, {m['platform']}",
        f"- **Kørt:** {m['dato']}, commit `{m['commit']}`" + _load_text(m),
        f"- **Kommando:** `{r['kommando']}`",
        "",
        f"### Evaluering pr. sag ({p['sager']} sager, hver sags bedste af {p['gentagelser']}, "
        "median)",
        "",
        "| implementering | regler | forklaringer | median µs pr. sag | × håndskrevet |",
        "|---|---:|---|---:|---:|",
    ]
    for key, label, rules, expl in ROWS:
        base = med["baseline_kendt_fra" if key.startswith("fuld_kendt") else
                   "baseline_fra" if expl == "fra" else "baseline_til"]
        lines.append(f"| {label} | {p['regler'][rules]} | {expl} | {_fmt(med[key])} | "
                     f"{_fmt(med[key] / base, 2)} |")
    ratio = med["fortolker_evaluate"] / med["fuld_evaluate"]
    lines += ["", f"Fortolkeren er {_fmt(ratio, 1)} × langsommere end det genererede modul "
              "(begge kun `evaluate()`, hele pakken)."]
    if "mini" in r:
        mi = r["mini"]
        lines += ["", f"### 5-output-udsnittet ({mi['sager']} sager, bench/mini)", "",
                  "| implementering | median µs pr. sag | × håndskrevet |", "|---|---:|---:|"]
        for key, label in MINI_ROWS:
            lines.append(f"| {label} | {_fmt(mi['median_us'][key], 2)} | "
                         f"{_fmt(mi['forhold'][key], 1)} |")
    if "én_proces" in r:
        e = r["én_proces"]
        lines += ["", f"{_int(e['rapporter'])} fulde rapporter (evaluate() + to_dict(), alle "
                  f"fakta kendt) i én proces: {_fmt(e['sekunder'], 1)} s, dvs. "
                  f"{_fmt(e['sekunder_pr_100000'], 1)} s pr. 100.000 "
                  f"({_fmt(e['forhold_til_baseline'], 1)} × den håndskrevne baseline med fem "
                  "regler på de samme sager)."]
    prof = r.get("profil")
    if prof:
        lines += ["", "### Hvor tiden går (hele pakken, evaluate() + to_dict(), median µs pr. sag)",
                  "", "| sager | kald pr. sag (evaluate / + to_dict) | " +
                  " | ".join(label for _k, label in PHASES) + " |",
                  "|---|---:|" + "---:|" * len(PHASES)]
        for key, label in (("alle_fakta_kendt", "alle fakta kendt"),
                           ("stikprøve", "stikprøven (nogle fakta mangler)")):
            p = prof[key]
            lines.append(f"| {label} | {_fmt(p['kald_pr_sag'], 0)} / "
                         f"{_fmt(p['kald_pr_sag_to_dict'], 0)} | " + " | ".join(
                             _fmt(p["faser_us"][k]) for k, _label in PHASES) + " |")
        fb = prof["tilbagefald"]
        lines += ["", f"Hurtige veje, der måtte give op og regne med tre værdier: "
                  f"{_fmt(fb['tilbagefald_pr_sag'], 1)} pr. sag i stikprøven (oftest "
                  + ", ".join(f"`{k}`" for k, _n in fb["hyppigste"][:3]) + "); de fleste "
                  "regler og definitioner, der læser et manglende faktum, tager den "
                  "tre-værdige vej direkte."]
    if "hukommelse" in r:
        h = r["hukommelse"]
        lines.append(f"Én evaluering af hele pakken allokerer højst {_fmt(h['max_kib'], 0)} KiB "
                     f"(median {_fmt(h['median_kib'], 0)} KiB; tracemalloc).")
    if "batch" in r:
        b = r["batch"]
        lines += ["", f"### Batch (den hurtigste af {b.get('forsøg', 1)} kørsler)", "",
                  "| sager | processer | sekunder | sager pr. sekund | pr. kerne | "
                  "100.000 på 2 kerner | maks. RSS pr. proces |",
                  "|---:|---:|---:|---:|---:|---:|---:|",
                  f"| {_int(b['sager'])} ({_int(b['forskellige_sager'])} forskellige × "
                  f"{b['gange_hver']}) | {b['processer']} | {_fmt(b['sekunder'], 2)} | "
                  f"{_fmt(b['sager_pr_sekund'], 0)} | {_fmt(b['sager_pr_sekund_pr_kerne'], 0)} | "
                  f"{_fmt(b['sekunder_for_100000_paa_2_kerner'], 2)} s | "
                  f"{_fmt(b['maxrss_mib'], 0)} MiB (heraf sagerne og modulet "
                  f"{_fmt(b['rss_før_mib'], 0)} MiB) |"]
        one = r.get("batch_1_proces")
        if one:
            lines.append(
                f"| {_int(one['sager'])} | 1 | {_fmt(one['sekunder'], 2)} | "
                f"{_fmt(one['sager_pr_sekund'], 0)} | {_fmt(one['sager_pr_sekund'], 0)} | | "
                f"{_fmt(one['maxrss_mib'], 0)} MiB |")
            lines += ["", f"{b['processer']} processer bedømmer "
                      f"{_fmt(b['sager_pr_sekund'] / one['sager_pr_sekund'], 2)} gange så mange "
                      "sager pr. sekund som én proces alene."]
    if "js" in r:
        lines += js_markdown(r["js"], _fmt)
    if r.get("oversættelse"):
        lines += ["", "### Oversættelse", "",
                  "| størrelse | regler | check s | build s | i alt s | ms pr. regel |",
                  "|---|---:|---:|---:|---:|---:|"]
        for c in r["oversættelse"]:
            lines.append(f"| {c['faktor']} × | {c['regler']} | {_fmt(c['check_s'], 2)} | "
                         f"{_fmt(c['build_s'], 2)} | {_fmt(c['i_alt_s'], 2)} | "
                         f"{_fmt(c['ms_pr_regel'], 2)} |")
    site = r.get("site")
    if site is not None:
        lines += ["", "### Site", ""]
        if "mangler" in site:
            lines.append(f"Ikke målt: {site['mangler']}.")
        else:
            lines += ["| Markdown s (første gang) | Markdown s | mkdocs build s | i alt s |",
                      "|---:|---:|---:|---:|",
                      f"| {_fmt(site.get('markdown_foerste_s', site['markdown_s']), 2)} | "
                      f"{_fmt(site['markdown_s'], 2)} | {_fmt(site['mkdocs_s'], 2)} | "
                      f"{_fmt(site['i_alt_s'], 2)} |"]
    lines += ["", "### Mål", "", "| mål | opfyldt | målt |", "|---|---|---:|"]
    for label, ok, value in targets(r):
        lines.append(f"| {label} | {'ja' if ok else '**nej**'} | {value} |")
    a = r["enighed"]
    lines += ["", f"Enighed: {_int(a['sager'])} forskellige sager er bedømt af det genererede "
              "modul, fortolkeren og den håndskrevne baseline med samme status og samme "
              f"manglende fakta for alle regler ({a['afvigende_tekster']} afvigende meddelelser "
              "eller forklaringer hos baseline)."]
    return "\n".join(lines) + "\n"


def text_table(r: dict) -> str:
    # The Markdown table reads fine in a terminal too; one format, no drift.
    return markdown_table(r)


def ratios(r: dict) -> dict:
    """Every figure as a ratio against a baseline measured in the same run."""
    med = r["pr_sag"]["median_us"]
    out = {"pr_sag_mod_håndskrevet": {
        k: v / med["baseline_fra" if k.endswith("_fra") or k.endswith("evaluate")
                   else "baseline_til"] for k, v in med.items()}}
    out["pr_sag_mod_gammel_emitter"] = {
        "evaluate": med["fuld_evaluate"] / med["gammel_evaluate"],
        "til": med["fuld_til"] / med["gammel_til"]}
    out["to_dict_mod_evaluate"] = med["fuld_kendt_til"] / med["fuld_kendt_evaluate"]
    if "mini" in r:
        out["mini_mod_håndskrevet"] = r["mini"]["forhold"]
    if "én_proces" in r:
        out["én_proces_mod_baseline"] = r["én_proces"]["forhold_til_baseline"]
    if "js" in r and "mangler" not in r["js"]:
        js = r["js"]
        out["js_mod_python"] = {"evaluate": js["js_evaluate_us"] / js["python_evaluate_us"],
                                "til": js["js_til_us"] / js["python_til_us"]}
    if "batch" in r:
        out["batch_pr_sag_mod_per_sag_måling"] = (
            1e6 / r["batch"]["sager_pr_sekund_pr_kerne"]) / med["fuld_evaluate"]
    if r.get("oversættelse"):
        out["oversættelse_pr_regel_mod_pakken"] = {
            f"{c['faktor']}x": c["forhold_pr_regel"] for c in r["oversættelse"]}
    return out


def short_table(r: dict) -> str:
    """What `make bench` prints: the targets, and the few figures behind them."""
    med = r["pr_sag"]["median_us"]
    lines = ["| mål | opfyldt | målt |", "|---|---|---:|"]
    for label, ok, value in targets(r):
        lines.append(f"| {label} | {'ja' if ok else 'NEJ'} | {value} |")
    lines += ["", f"hele pakken pr. sag: evaluate() {_fmt(med['fuld_evaluate'])} µs "
              f"(gammel emitter {_fmt(med['gammel_evaluate'])} µs), alle fakta kendt "
              f"{_fmt(med['fuld_kendt_evaluate'])} µs, + to_dict() "
              f"{_fmt(med['fuld_kendt_til'])} µs"]
    p = r.get("profil", {}).get("alle_fakta_kendt")
    if p:
        parts = ", ".join(f"{label} {_fmt(p['faser_us'][k])} µs" for k, label in PHASES)
        lines.append(f"hvor tiden går (alle fakta kendt, µs pr. sag): {parts}; "
                     f"{_fmt(p['kald_pr_sag'], 0)} Python-kald pr. evaluate()")
    return "\n".join(lines) + "\n"


def write_page(path: Path, table: str) -> None:
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    text = path.read_text(encoding="utf-8")
    if start not in text or end not in text:
        raise SystemExit(f"bench: {path} mangler markeringerne {start} og {end}")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{start}\n{table}{end}{tail}", encoding="utf-8")


