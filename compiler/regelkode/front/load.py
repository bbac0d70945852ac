"""Loading: pack folder -> `PackSource` of YAML trees that remember positions.

YAML is composed with PyYAML's SafeLoader and converted by hand, so that
every mapping, sequence and scalar keeps its span, duplicate keys are
reported, and tags that would construct objects are refused. Scalars stay
text except booleans, integers and null: a date or a decimal in a rule file
is read by our own parser, never by YAML's implicit typing.

Just over 600 lines: reading files safely (sizes, FIFOs, symlinks), composing YAML
with positions and finding a pack's files belong together — each refusal must name
the file and position the same way.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import jsonschema
import yaml

from .. import files
from ..diagnostics import Diagnostics, Span, did_you_mean
from .parse_errors import yaml_message

PACK_ID = re.compile(r"^[a-z][a-z0-9_]*\Z")     # \Z: `$` would allow "x\n"
MAX_NODES = 200_000
_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_FILE_BYTES = 2_000_000

_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
}


class SourceFile:
    """A file's text with a line index, to turn offsets into spans."""

    def __init__(self, display: str, text: str):
        self.display = display
        self.text = text
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def span(self, start: int, end: int | None = None) -> Span:
        line, col = self.line_col(start)
        if end is None:
            end_line, end_col = line, col + 1
        else:
            end_line, end_col = self.line_col(end)
        return Span(self.display, line, col, end_line, end_col)

    def line_col(self, index: int) -> tuple[int, int]:
        index = max(0, min(index, len(self.text)))
        i = bisect.bisect_right(self._starts, index) - 1
        return i + 1, index - self._starts[i] + 1


class YStr(str):
    """A YAML scalar's text that knows where it came from."""

    source: SourceFile
    span: Span
    start: int
    end: int
    style: str | None

    def offset_span(self, start: int, end: int | None = None) -> Span:
        """The span in the file of characters [start, end) of this string."""
        mapping = self._mapping()
        a = mapping[min(max(start, 0), len(mapping) - 1)]
        if end is None or end <= start:
            return self.source.span(a)
        b = mapping[min(end - 1, len(mapping) - 1)] + 1
        return self.source.span(a, b)

    def _mapping(self) -> list[int]:
        cached = self.__dict__.get("_map")
        if cached is None:
            cached = align(str(self), self.source.text, self.start, self.end)
            self.__dict__["_map"] = cached
        return cached


def align(value: str, text: str, start: int, end: int) -> list[int]:
    """Map each character of a scalar's value to its index in the file.

    Works for plain, quoted, literal and folded scalars: it walks value and
    source together, skipping indentation, quotes, block indicators and
    folded line breaks. Escapes in double quotes map approximately.
    """
    out: list[int] = []
    i, j = 0, start
    while i < len(value):
        if j >= end:
            out.extend([max(start, end - 1)] * (len(value) - i))
            break
        v, s = value[i], text[j]
        if v == s or (v.isspace() and s.isspace()):
            out.append(j)
            i += 1
            j += 1
        elif s.isspace():
            j += 1
        elif v.isspace():
            out.append(j)
            i += 1
        else:
            j += 1
    out.append(out[-1] + 1 if out else start)
    return out


class YMap(dict):
    span: Span
    key_spans: dict
    value_spans: dict


class YList(list):
    span: Span
    item_spans: list


def value_span(container, key) -> Span:
    if isinstance(container, YMap):
        return container.value_spans.get(key, container.span)
    if isinstance(container, YList):
        try:
            return container.item_spans[key]
        except (IndexError, TypeError):
            return container.span
    raise TypeError(type(container))


def key_span(container: YMap, key) -> Span:
    return container.key_spans.get(key, container.span)


class _Converter:
    def __init__(self, source: SourceFile, diags: Diagnostics):
        self.source = source
        self.diags = diags
        self.count = 0
        self.too_big = False
        self.too_deep = False

    def span(self, node) -> Span:
        return self.source.span(node.start_mark.index, node.end_mark.index)

    def convert(self, node, depth: int = 1):
        self.count += 1
        if depth > MAX_YAML_DEPTH:
            # block nesting (which libyaml composes) and aliases that contain
            # themselves (`&a [*a]`) reach here; flow nesting stops in _compose
            if not self.too_deep:
                self.too_deep = True
                self.diags.error("yaml-depth", f"YAML-strukturen er indlejret mere end "
                                 f"{MAX_YAML_DEPTH} niveauer", self.span(node))
            return None
        if self.count > MAX_NODES:
            if not self.too_big:
                self.too_big = True
                self.diags.error("yaml-size", f"filen har over {MAX_NODES} YAML-knuder "
                                 "(for stor, eller ankre der gentages)", self.span(node))
            return None
        if node.tag not in _ALLOWED_TAGS:
            self.diags.error("yaml-tag", f"YAML-tagget `{node.tag}` er ikke tilladt i en regelfil",
                             self.span(node), "regelfiler må kun indeholde tekst, tal, "
                             "sandhedsværdier, lister og tabeller")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            out = YList()
            out.span = self.span(node)
            out.item_spans = []
            for item in node.value:
                out.append(self.convert(item, depth + 1))
                out.item_spans.append(self.span(item))
            return out
        return self._scalar(node)

    def _mapping(self, node, depth):
        out = YMap()
        out.span = self.span(node)
        out.key_spans = {}
        out.value_spans = {}
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode) or knode.tag not in (
                "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool",
                "tag:yaml.org,2002:null", "tag:yaml.org,2002:float",
                "tag:yaml.org,2002:timestamp",
            ):
                self.diags.error("yaml-key", "en nøgle skal være en simpel tekst", self.span(knode))
                continue
            key = self._scalar(knode, force_text=True)
            if key in out:
                self.diags.error("duplicate-key", f"nøglen `{key}` står to gange",
                                 self.span(knode),
                                 f"første gang på linje {out.key_spans[key].line}")
                continue
            out.key_spans[key] = self.span(knode)
            out.value_spans[key] = self.span(vnode)
            out[key] = self.convert(vnode, depth + 1)
        return out

    def _scalar(self, node, force_text: bool = False):
        tag = node.tag
        if not force_text:
            if tag == "tag:yaml.org,2002:null":
                return None
            if tag == "tag:yaml.org,2002:bool":
                return node.value.lower() in ("true", "yes", "on")
            if tag == "tag:yaml.org,2002:int":
                try:
                    return int(node.value.replace("_", ""), 0)
                except ValueError:
                    pass
        if _SURROGATE.search(node.value):
            # YAML's "\ud800" escape gives a lone surrogate, which no UTF-8 file,
            # report or generated module can hold (UnicodeEncodeError downstream)
            self.diags.error("yaml-surrogate", "teksten indeholder en enlig surrogat "
                             "(\\ud800-\\udfff), som ikke er gyldig Unicode", self.span(node),
                             "skriv tegnet selv, eller brug \\U og otte cifre, fx \\U0001F600")
            return None
        s = YStr(node.value)
        s.source = self.source
        s.start = node.start_mark.index
        s.end = node.end_mark.index
        s.span = self.span(node)
        s.style = node.style or None
        return s


def read_text(path: Path, display: str, diags: Diagnostics) -> SourceFile | None:
    try:
        data = files.read_bytes(path, MAX_FILE_BYTES)
    except files.FileRefused as exc:
        diags.error(exc.code, str(exc), Span(display, 1, 1))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", errors="replace")
        src = SourceFile(display, good)
        diags.error("encoding", f"filen er ikke gyldig UTF-8 (byte 0x{data[exc.start]:02x})",
                    src.span(len(good)))
        return None
    text = text.removeprefix("\ufeff")
    return SourceFile(display, text)


# libyaml's composer (when PyYAML was built with it) reads a pack about twice as fast
# as the pure-Python one and gives the same nodes and marks; only a plain scalar's style
# is '' instead of None (see _scalar). Its error messages are worded differently, so a
# file it refuses is composed again by the pure-Python composer for the diagnostic.
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)

# Deeper than this, a YAML file is refused. A real pack nests about 12 levels
# (eksempler → givet → a list of records); nested exceptions take 2 per level.
MAX_YAML_DEPTH = 64
_BRACKETS = re.compile(r"[\[\]{}]")


class _TooDeep(Exception):
    def __init__(self, mark):
        super().__init__("too deep")
        self.mark = mark


class _DepthLimitedLoader(yaml.SafeLoader):
    """SafeLoader whose (recursive) composer stops at MAX_YAML_DEPTH with a position."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise _TooDeep(self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _flow_depth(text: str) -> int:
    """Nesting of [ and { — an over-estimate, as brackets inside quotes count too."""
    depth = best = 0
    for ch in _BRACKETS.findall(text):
        depth = depth + 1 if ch in "[{" else max(depth - 1, 0)
        best = max(best, depth)
    return best


def _compose(text: str):
    # libyaml's composer recurses in C: '[' * 100_000 crashed the whole process
    # with a segmentation fault. Deep flow nesting goes to the pure-Python
    # composer, which stops at MAX_YAML_DEPTH. (Block nesting is bounded by the
    # file size: 2000 levels of indentation already take 2 MB.)
    if _FAST_LOADER is not None and _flow_depth(text) <= MAX_YAML_DEPTH:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except (yaml.YAMLError, RecursionError):
            pass
    return yaml.compose(text, Loader=_DepthLimitedLoader)


def load_yaml(path: Path, display: str, diags: Diagnostics):
    """Parse one YAML file; returns the converted tree, or None on errors."""
    source = read_text(path, display, diags)
    if source is None:
        return None
    if not source.text.strip():
        diags.error("empty-file", "filen er tom", Span(display, 1, 1))
        return None
    try:
        node = _compose(source.text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        span = source.span(mark.index) if mark else Span(display, 1, 1)
        diags.error("yaml-syntax", yaml_message(exc.problem or exc.context), span)
        return None
    except yaml.YAMLError as exc:
        diags.error("yaml-syntax", yaml_message(str(exc)), Span(display, 1, 1))
        return None
    except _TooDeep as exc:
        diags.error("yaml-depth", f"YAML-strukturen er indlejret mere end {MAX_YAML_DEPTH} "
                    "niveauer", source.span(exc.mark.index))
        return None
    except RecursionError:
        diags.error("yaml-depth", "YAML-strukturen er for dybt indlejret", Span(display, 1, 1))
        return None
    # `---` or `~` alone composes to a null scalar, not to None: just as empty.
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"):
        diags.error("empty-file", "filen er tom", Span(display, 1, 1))
        return None
    if isinstance(node, yaml.ScalarNode):
        # Every YAML file of a pack is a mapping; a bare `42` converts to an int,
        # which has no span for the schema error to point at.
        diags.error("yaml-root", "filen skal indeholde en tabel (nøgle: værdi), ikke en enkelt "
                    "værdi", source.span(node.start_mark.index, node.end_mark.index))
        return None
    conv = _Converter(source, diags)
    try:
        return conv.convert(node)
    except RecursionError:
        diags.error("yaml-depth", "YAML-strukturen er for dybt indlejret", Span(display, 1, 1))
        return None


# --- JSON Schema ------------------------------------------------------------

_SCHEMAS: dict[str, dict] = {}


def schema(name: str) -> dict:
    if name not in _SCHEMAS:
        text = resources.files("regelkode").joinpath("schemas", f"{name}.schema.json").read_text(
            encoding="utf-8")
        _SCHEMAS[name] = json.loads(text)
    return _SCHEMAS[name]


def to_plain(value):
    """A YAML tree as plain dicts, lists and str: no positions, comparable and JSON-ready."""
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _span_at(tree, path) -> Span:
    node, span = tree, getattr(tree, "span", None)
    for part in path:
        if isinstance(node, (YMap, YList)):
            try:
                span = value_span(node, part)
                node = node[part]
            except (KeyError, IndexError, TypeError):
                break
        else:
            break
    return span


def _node_at(tree, path):
    node = tree
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


_TYPE_NAMES = {"string": "en tekst", "integer": "et heltal", "object": "en tabel (nøgle: værdi)",
               "array": "en liste", "boolean": "true eller false", "number": "et tal",
               "null": "ingenting"}


def validate(tree, schema_name: str, diags: Diagnostics) -> bool:
    validator = jsonschema.Draft202012Validator(schema(schema_name))
    ok = True
    errors = sorted(validator.iter_errors(to_plain(tree)),
                    key=lambda e: (list(map(str, e.absolute_path)), e.validator))
    for err in errors:
        ok = False
        path = list(err.absolute_path)
        span = _span_at(tree, path)
        where = "/".join(str(p) for p in path) or "(roden)"
        hint = None
        if err.validator == "additionalProperties":
            container = tree
            for p in path:
                container = container[p]
            allowed = list(err.schema.get("properties", {}))
            extra = [k for k in container if k not in err.schema.get("properties", {})]
            for key in extra:
                pattern_ok = any(re.search(p, key) for p in err.schema.get("patternProperties", {}))
                if pattern_ok:
                    continue
                kspan = key_span(container, key) if isinstance(container, YMap) else span
                diags.error("schema", f"ukendt nøgle `{key}` i {where}", kspan,
                            did_you_mean(key, allowed) or
                            ("tilladte nøgler: " + ", ".join(allowed) if allowed else None))
            continue
        if err.validator == "required":
            missing = err.message.split("'")[1] if "'" in err.message else err.message
            msg = f"nøglen `{missing}` mangler i {where}"
            if path:
                parent = _node_at(tree, path[:-1])
                if isinstance(parent, YMap):
                    span = key_span(parent, path[-1])
        elif err.validator == "type":
            expected = err.validator_value
            expected = [expected] if isinstance(expected, str) else expected
            msg = f"{where} skal være " + " eller ".join(_TYPE_NAMES.get(t, t) for t in expected)
        elif err.validator == "enum":
            msg = f"{where} skal være en af: " + ", ".join(map(str, err.validator_value))
        elif err.validator == "pattern":
            msg = f"{where}: `{err.instance}` har ikke den rigtige form"
            hint = err.schema.get("description")
        elif err.validator in ("oneOf", "anyOf"):
            msg = f"{where} har ikke en gyldig form"
            hint = err.schema.get("description")
        else:
            msg = f"{where}: {err.message}"
        diags.error("schema", msg, span, hint)
    return ok


# --- packs ------------------------------------------------------------------

@dataclass
class RuleFile:
    path: Path
    display: str
    tree: YMap


@dataclass
class PackSource:
    id: str
    path: Path
    display: str
    manifest: YMap
    files: list[RuleFile] = field(default_factory=list)
    conflicts: YMap | None = None
    conflicts_display: str | None = None
    laws: dict[str, tuple[str, YMap]] = field(default_factory=dict)
    law_coverage: tuple[str, YMap] | None = None   # lovdaekning.yaml: unit -> rules
    documents: dict[str, tuple[str, str]] = field(default_factory=dict)
    # stem -> plain dict from kilder/dokumenter/<stem>.yaml: title, publisher, address…
    document_meta: dict[str, dict] = field(default_factory=dict)
    cases: dict[str, Path] = field(default_factory=dict)
    parents: list[PackSource] = field(default_factory=list)

    def display_of(self, path: Path) -> str:
        return f"{self.display}/{files.shown(path.relative_to(self.path).as_posix())}"


RESERVED_FILES = {"pakke.yaml", "konflikter.yaml", "lovdaekning.yaml"}


def _inside(path: Path, root: Path) -> bool:
    return files.inside(path, root)


def _admit(path: Path, root: Path, display: str, diags: Diagnostics) -> bool:
    """Whether a file found in a pack may be read; says why not when it may not."""
    if files.resolve(path) is None:
        diags.error("symlink-loop", "filen er en symlink, der peger på sig selv (en løkke)",
                    Span(display, 1, 1))
        return False
    if not files.inside(path, root):
        # a symlink to a file elsewhere would be read like any other pack file
        diags.error("outside-pack", "filen peger uden for pakken", Span(display, 1, 1))
        return False
    return True


def _admit_quietly(path: Path, root: Path, display: str, diags: Diagnostics) -> bool:
    """Like _admit, but a file that points outside is skipped without a word: a
    symlinked `kilder/` or `sager/` folder has always been ignored that way."""
    if files.resolve(path) is None:
        return _admit(path, root, display, diags)
    return files.inside(path, root)


def load_pack(pack_dir: Path, diags: Diagnostics, *, _chain: tuple[str, ...] = ()) -> (
        PackSource | None):
    """Load a pack and, recursively, the packs it extends (siblings in the same folder)."""
    pack_dir = Path(pack_dir)
    rules_root = pack_dir.parent
    display = _display(pack_dir)
    manifest_path = pack_dir / "pakke.yaml"
    if not manifest_path.is_file():
        diags.error("no-manifest", f"{display} er ikke en regelpakke: pakke.yaml mangler",
                    Span(f"{display}/pakke.yaml", 1, 1))
        return None
    mdisplay = f"{display}/pakke.yaml"
    if not _admit(manifest_path, pack_dir, mdisplay, diags):
        return None
    manifest = load_yaml(manifest_path, mdisplay, diags)
    if manifest is None or not validate(manifest, "pakke", diags):
        return None
    pack_id = str(manifest["id"])
    if pack_id != pack_dir.name:
        diags.error("pack-id", f"pakkens id `{pack_id}` skal være mappens navn `{pack_dir.name}`",
                    value_span(manifest, "id"))
    pack = PackSource(pack_id, pack_dir, display, manifest)

    for parent_id in manifest.get("udvider") or []:
        span = manifest.value_spans.get("udvider", manifest.span)
        if parent_id in (*_chain, pack_id):
            diags.error("extends-cycle", f"pakkerne udvider hinanden i ring: "
                        f"{' → '.join((*_chain, pack_id, parent_id))}", span)
            continue
        parent_dir = rules_root / parent_id
        if not PACK_ID.match(parent_id) or not parent_dir.is_dir():
            diags.error("extends-unknown", f"pakken `{parent_id}` findes ikke i {rules_root.name}/",
                        span)
            continue
        if not _inside(parent_dir, rules_root):
            # a sibling that is a symlink to a folder elsewhere
            diags.error("outside-pack", f"pakken `{parent_id}` ligger uden for "
                        f"{rules_root.name}/", span)
            continue
        parent = load_pack(parent_dir, diags, _chain=(*_chain, pack_id))
        if parent is not None:
            pack.parents.append(parent)

    for path in sorted(pack_dir.glob("*.yaml")):
        if path.name in RESERVED_FILES:
            continue
        fdisplay = pack.display_of(path)
        if not _admit(path, pack_dir, fdisplay, diags):
            continue
        before = len(diags.errors)
        tree = load_yaml(path, fdisplay, diags)
        if tree is None or len(diags.errors) > before:
            continue  # its YAML errors say it all; schema errors on the remains would mislead
        if validate(tree, "regelfil", diags):
            pack.files.append(RuleFile(path, fdisplay, tree))

    conflicts = pack_dir / "konflikter.yaml"
    cdisplay = pack.display_of(conflicts)
    if conflicts.is_symlink() and files.resolve(conflicts) is None:
        _admit(conflicts, pack_dir, cdisplay, diags)
    elif conflicts.is_file() and _inside(conflicts, pack_dir):
        tree = load_yaml(conflicts, cdisplay, diags)
        if tree is not None and validate(tree, "konflikter", diags):
            pack.conflicts = tree
            pack.conflicts_display = cdisplay

    coverage = pack_dir / "lovdaekning.yaml"
    if coverage.is_file() and _inside(coverage, pack_dir):
        cdisplay = pack.display_of(coverage)
        tree = load_yaml(coverage, cdisplay, diags)
        if tree is not None and validate(tree, "lovdaekning", diags):
            pack.law_coverage = (cdisplay, tree)

    for path in sorted((pack_dir / "kilder" / "love").glob("*.yaml")):
        ldisplay = pack.display_of(path)
        if not _admit_quietly(path, pack_dir, ldisplay, diags):
            continue
        tree = load_yaml(path, ldisplay, diags)
        if tree is not None and validate(tree, "lov", diags):
            pack.laws[str(tree["kort"])] = (ldisplay, tree)
    for path in sorted((pack_dir / "kilder" / "dokumenter").glob("*.txt")):
        if not _admit_quietly(path, pack_dir, pack.display_of(path), diags):
            continue
        source = read_text(path, pack.display_of(path), diags)
        if source is not None:
            pack.documents[path.stem] = (source.display, source.text)
    _load_document_meta(pack, diags)
    for path in sorted((pack_dir / "sager").glob("*.json")):
        if _admit_quietly(path, pack_dir, pack.display_of(path), diags):
            pack.cases[path.stem] = path
    return pack


def _load_document_meta(pack: PackSource, diags: Diagnostics) -> None:
    """Each source document's provenance from the YAML file beside it (`dokument` schema).

    A document without one is a warning (a reviewer cannot tell where it comes
    from); a YAML file without its document is an error.
    """
    folder = pack.path / "kilder" / "dokumenter"
    for path in sorted(folder.glob("*.yaml")):
        display = pack.display_of(path)
        if not _inside(path, pack.path):
            diags.error("outside-pack", "filen peger uden for pakken", Span(display, 1, 1))
            continue
        if path.stem not in pack.documents:
            diags.error("document-meta-orphan",
                        f"{display} beskriver dokumentet `{path.stem}`, men "
                        f"{path.stem}.txt findes ikke i kilder/dokumenter/",
                        Span(display, 1, 1))
            continue
        tree = load_yaml(path, display, diags)
        if tree is not None and validate(tree, "dokument", diags):
            pack.document_meta[path.stem] = to_plain(tree)
    for stem, (display, _text) in sorted(pack.documents.items()):
        if stem not in pack.document_meta and not (folder / f"{stem}.yaml").exists():
            diags.warning("document-provenance",
                          f"kildedokumentet `{stem}` har ingen oplysninger om, hvor det "
                          "kommer fra", Span(display, 1, 1),
                          f"skriv titel, udgiver, art, adresse og hentet i "
                          f"kilder/dokumenter/{stem}.yaml")


def _display(path: Path) -> str:
    """The name messages and generated comments use: relative to the working folder
    when the pack is under it (so builds are the same from any checkout), else the
    absolute path — a name the user can open, not a shortened one that names no file."""
    import os
    resolved = files.resolve(path) or Path(os.path.abspath(path))
    rel = os.path.relpath(resolved, Path.cwd().resolve())
    if rel == ".." or rel.startswith("../"):
        return files.shown(resolved.as_posix())
    return files.shown(Path(rel).as_posix())


def discover_packs(rules_root: Path) -> list[Path]:
    return sorted(p for p in Path(rules_root).iterdir()
                  if p.is_dir() and (p / "pakke.yaml").is_file())
