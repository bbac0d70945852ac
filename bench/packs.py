"""Synthetic packs made from the real pack's YAML: a subset, and the pack replicated N times.

- `subset_pack`: only the chosen rules and what they depend on (definitions,
  parameters, facts, types), so the generated module can be timed on the
  same work as the hand-written baseline. Dependencies come from the
  compiled pack's IR, parameters' `beregnet` formulas are followed by name.
- `replicated_pack`: every definition, rule and exception copied N times
  with renamed ids (`<id>_k2`, …) and every reference inside the copies
  renamed with them; facts, types and parameters are shared. This is how
  compile time is measured on a rule base 10× and 100× the size.

Both write plain pack folders (YAML through PyYAML, `kilder/` copied) that
`compile_pack` reads like any other.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from regelkode.ir import nodes as ir

SECTIONS = ("typer", "fakta", "parametre", "definitioner", "regler", "undtagelser")
# libyaml when PyYAML has it: writing the 100× pack is ~70,000 YAML entries, and only the
# compiler's reading of them is being measured, not ours.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _read_sections(pack_dir: Path) -> list[tuple[str, dict]]:
    """(file name, {section: {id: body}}) for every rule file of the pack."""
    out = []
    for path in sorted(pack_dir.glob("*.yaml")):
        if path.name in ("pakke.yaml", "konflikter.yaml", "lovdaekning.yaml"):
            continue
        tree = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
        out.append((path.name, {s: tree[s] for s in SECTIONS if tree.get(s)}))
    return out


def _dump(path: Path, tree: dict) -> None:
    path.write_text(yaml.dump(tree, Dumper=_DUMPER, allow_unicode=True, sort_keys=False,
                              width=100), encoding="utf-8")


def _copy_common(src: Path, dst: Path, *, conflicts: bool, cases: bool) -> None:
    """pakke.yaml, the sources and (when asked) the conflicts and sample cases. The law
    coverage (lovdaekning.yaml) goes with the conflicts: a pack with every rule; a subset
    encodes only some units of the law, so its pakke.yaml declares no coverage."""
    if dst.exists():
        shutil.rmtree(dst)
    dst.mkdir(parents=True)
    if conflicts:
        shutil.copy(src / "pakke.yaml", dst / "pakke.yaml")
        if (src / "lovdaekning.yaml").exists():
            shutil.copy(src / "lovdaekning.yaml", dst / "lovdaekning.yaml")
    else:
        manifest = yaml.load((src / "pakke.yaml").read_text(encoding="utf-8"), Loader=_LOADER)
        manifest.pop("lovdækning", None)
        _dump(dst / "pakke.yaml", manifest)
    if (src / "kilder").is_dir():
        shutil.copytree(src / "kilder", dst / "kilder")
    if conflicts and (src / "konflikter.yaml").exists():
        shutil.copy(src / "konflikter.yaml", dst / "konflikter.yaml")
    if cases and (src / "sager").is_dir():
        shutil.copytree(src / "sager", dst / "sager")


def _walk(node, out: dict) -> None:
    cls = node.__class__
    if cls is ir.Fact:
        out["fakta"].add(node.name)
    elif cls is ir.Def:
        out["definitioner"].add(node.name)
    elif cls is ir.Param:
        out["parametre"].add(node.name)
    for child in ir.children(node):
        _walk(child, out)


def _type_names(text: str) -> list[str]:
    """`liste af samtale` -> [samtale]; built-in types are filtered by the caller."""
    return re.findall(r"[^\W\d][\w]*", str(text))


def subset_pack(program: ir.Program, src: Path, parent: Path, rule_ids: tuple[str, ...]) -> Path:
    """A pack with only `rule_ids` and everything they depend on, in `parent/<pack id>`."""
    dst = parent / src.name              # a pack's folder is named after its id
    needed = {"fakta": set(), "definitioner": set(), "parametre": set()}
    rules = {r.id: r for r in program.rules}
    missing = [rid for rid in rule_ids if rid not in rules]
    if missing:
        raise KeyError(f"reglerne findes ikke i pakken: {', '.join(missing)}")
    for rid in rule_ids:
        r = rules[rid]
        for node in (r.applies, r.requirement):
            if node is not None:
                _walk(node, needed)
        for part in r.message:
            if not isinstance(part, str):
                needed["fakta" if part[0] == "f" else "definitioner"].add(part[1])
    defs = {d.name: d for d in program.defs}
    todo = list(needed["definitioner"])
    while todo:
        name = todo.pop()
        before = set(needed["definitioner"])
        _walk(defs[name].expr, needed)
        todo += sorted(needed["definitioner"] - before)

    files = _read_sections(src)
    found = {s: {} for s in SECTIONS}
    for _name, sections in files:
        for s, entries in sections.items():
            found[s].update(entries)
    # Parameters computed from others (`beregnet: forrige × (1 + tilpasningsprocent …)`).
    todo = sorted(needed["parametre"])
    while todo:
        body = found["parametre"][todo.pop()]
        for period in body.get("historik", ()):
            for word in _type_names(period.get("beregnet", "")):
                if word in found["parametre"] and word not in needed["parametre"]:
                    needed["parametre"].add(word)
                    todo.append(word)
    types: set[str] = set()
    todo = [found["fakta"][f]["type"] for f in needed["fakta"]]
    while todo:
        for word in _type_names(todo.pop()):
            if word in found["typer"] and word not in types:
                types.add(word)
                body = found["typer"][word]
                todo += [f["type"] for f in (body.get("felter") or {}).values()]

    def pick(section, names):
        # Keep the original order; drop examples (they may use facts the subset doesn't have).
        return {k: {kk: vv for kk, vv in v.items() if kk != "eksempler"}
                for k, v in found[section].items() if k in names}

    _copy_common(src, dst, conflicts=False, cases=False)
    tree = {"typer": pick("typer", types), "fakta": pick("fakta", needed["fakta"]),
            "parametre": pick("parametre", needed["parametre"]),
            "definitioner": pick("definitioner", needed["definitioner"]),
            "regler": pick("regler", set(rule_ids))}
    _dump(dst / "udsnit.yaml", {k: v for k, v in tree.items() if v})
    return dst


def _renamer(names: set[str], suffix: str):
    if not names:
        return lambda text: text
    # Whole names only: `alder_ved_start` must not touch `alder_ved_start_dato`.
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in
                                                 sorted(names, key=len, reverse=True))
                         + r")(?!\w)")
    return lambda text: pattern.sub(lambda m: m.group(1) + suffix, text)


def _rename(value, sub):
    if isinstance(value, str):
        return sub(value)
    if isinstance(value, list):
        return [_rename(v, sub) for v in value]
    if isinstance(value, dict):
        return {(sub(k) if isinstance(k, str) else k): _rename(v, sub) for k, v in value.items()}
    return value


def replicated_pack(src: Path, parent: Path, copies: int) -> tuple[Path, int]:
    """The pack with its definitions, rules and exceptions `copies` times; (folder, rules)."""
    dst = parent / src.name
    files = _read_sections(src)
    _copy_common(src, dst, conflicts=True, cases=True)
    ids: set[str] = set()
    for _name, sections in files:
        for s in ("definitioner", "regler", "undtagelser"):
            ids |= set(sections.get(s, {}))
            for body in sections.get(s, {}).values():
                ids |= _exception_ids(body)
    n_rules = 0
    for name, sections in files:
        _dump(dst / name, sections)
        n_rules += len(sections.get("regler", {}))
    for k in range(2, copies + 1):
        sub = _renamer(ids, f"_k{k}")
        for name, sections in files:
            copy = {s: _rename(sections[s], sub) for s in ("definitioner", "regler",
                                                           "undtagelser") if s in sections}
            if copy:
                _dump(dst / f"kopi{k:03d}_{name}", copy)
                n_rules += len(copy.get("regler", {}))
    return dst, n_rules


def _exception_ids(body) -> set[str]:
    out = set()
    for e in (body.get("undtagelser") or []) if isinstance(body, dict) else []:
        if isinstance(e, dict) and "id" in e:
            out.add(e["id"])
            out |= _exception_ids(e)
    return out
