"""`regelkode lovdækning` and the law-coverage check in `regelkode check`."""

from __future__ import annotations

import json

from .helpers import REPO, copy_eksempel, run_cli

SCOPE = """
lovdækning:
  omfang:
    - lov: LAB
      paragraffer: ["31"]
    - lov: LAB
      paragraffer: ["113 a"]
"""

MAPPING = """\
LAB:
  "§ 31":
    stk. 1, 1. pkt.: {udenfor: "Gælder andre målgrupper: forsikrede ledige (§ 6, nr. 1)."}
    stk. 1, 2. pkt.: {udenfor: "Gælder andre målgrupper: forsikrede ledige (§ 6, nr. 1)."}
    stk. 1, 3. pkt.: {udenfor: "Gælder andre målgrupper: forsikrede ledige (§ 6, nr. 1)."}
    stk. 2: {udenfor: "Gælder andre målgrupper: forsikrede ledige."}
    stk. 3: [fire_samtaler, seks_måneders_frist]
    stk. 4: {udenfor: "Gælder andre målgrupper: forsikrede ledige."}
    stk. 5: {udenfor: "Gælder andre målgrupper: personer omfattet af § 6, nr. 2-5."}
  "§ 113 a":
    1. pkt.: [fire_samtaler]
    2. pkt.: {udenfor: "Beskriver jobformidlerens arbejde."}
    3. pkt.: {mangler: "Samarbejdet med den koordinerende sagsbehandler."}
"""


def pack_with(tmp_path, mapping=MAPPING, scope=SCOPE):
    pack = copy_eksempel(tmp_path)
    with open(pack / "pakke.yaml", "a", encoding="utf-8") as fh:
        fh.write(scope)
    if mapping is not None:
        (pack / "lovdaekning.yaml").write_text(mapping, encoding="utf-8")
    return pack


def test_text_lists_every_unit_with_its_status(tmp_path):
    r = run_cli(["lovdækning", pack_with(tmp_path)])
    assert "LAB § 31, stk. 3 — regel: fire_samtaler, seks_måneders_frist" in r.out
    assert "LAB § 31, stk. 1, 2. pkt. — udenfor: Gælder andre målgrupper" in r.out
    assert "LAB § 113 a, stk. 1, 3. pkt. — mangler: Samarbejdet" in r.out
    assert "    Personen vælger, om arbejdsløshedskassen skal deltage" in r.out
    assert r.out.rstrip().endswith(
        "10 enheder: 2 regel, 0 definition, 0 parameter, 7 udenfor, 1 mangler")
    assert r.code == 1      # a unit in scope is mangler
    assert "warning[law-coverage-gap]" in r.err


def test_json_is_a_list_of_units(tmp_path):
    r = run_cli(["lovdækning", pack_with(tmp_path), "--json"])
    units = json.loads(r.out)
    assert len(units) == 10
    keys = {"lov", "paragraf", "stk", "nr", "pkt", "tekst", "status", "regler", "grund"}
    assert all(set(u) == keys for u in units)
    stk3 = next(u for u in units if u["paragraf"] == "31" and u["stk"] == 3)
    assert stk3["status"] == "regel" and stk3["regler"] == ["fire_samtaler", "seks_måneders_frist"]
    assert stk3["tekst"].startswith("For personer omfattet af § 6, nr. 2-5, 7 og 8")
    assert {u["paragraf"] for u in units} == {"31", "113 a"}
    assert all(u["grund"] for u in units if u["status"] == "udenfor")


def test_exit_0_when_nothing_is_mangler(tmp_path):
    mapping = MAPPING.replace('{mangler: "Samarbejdet med den koordinerende sagsbehandler."}',
                              '{udenfor: "Intern samarbejdspligt."}')
    r = run_cli(["lovdaekning", pack_with(tmp_path, mapping)])
    assert r.code == 0, r.err
    assert "1 mangler" not in r.out


def test_a_definition_alone_gives_status_definition(tmp_path):
    mapping = MAPPING.replace("stk. 3: [fire_samtaler, seks_måneders_frist]",
                              "stk. 3: [seks_måneders_frist]")
    units = json.loads(run_cli(["lovdækning", pack_with(tmp_path, mapping), "--json"]).out)
    assert next(u for u in units if u["stk"] == 3)["status"] == "definition"


def test_an_unmapped_unit_is_an_error_in_check_with_its_position(tmp_path):
    mapping = "".join(line + "\n" for line in MAPPING.splitlines()
                      if not line.startswith("    stk. 5:"))
    pack = pack_with(tmp_path, mapping)
    r = run_cli(["check", pack])
    assert r.code == 1
    assert ("lovdaekning.yaml:2:3: error[law-coverage-missing]: "
            "LAB § 31, stk. 5 er hverken kodet") in r.err
    assert "»For personer omfattet af § 6, nr. 2-5, skal første jobsamtale" in r.err
    # the hint says where the sentence is in the law file
    # (a pack outside the working folder is named by its absolute path)
    assert f"(lovteksten: {pack.resolve().as_posix()}/kilder/love/2024-280.yaml:14:1121)" in r.err


def test_a_paragraph_missing_from_the_mapping_points_at_the_scope(tmp_path):
    mapping = MAPPING.split('  "§ 113 a":')[0]
    r = run_cli(["check", pack_with(tmp_path, mapping)])
    assert r.code == 1
    assert "pakke.yaml" in r.err and "LAB § 113 a, stk. 1, 1. pkt. er hverken kodet" in r.err


def test_unknown_ids_bad_keys_and_double_mapping_are_errors(tmp_path):
    mapping = (MAPPING.replace("stk. 3: [fire_samtaler, seks_måneders_frist]",
                               "stk. 3: [fire_samtalr]")
               .replace("    stk. 4:", "    stk. 9: [fire_samtaler]\n    stk 4: [x]\n    stk. 4:"))
    mapping = mapping.replace("  \"§ 113 a\":\n",
                              "  \"§ 113 a\":\n    stk. 1, 2. pkt.: [fire_samtaler]\n")
    r = run_cli(["check", pack_with(tmp_path, mapping)])
    assert r.code == 1
    assert "error[law-coverage-id]: `fire_samtalr` er hverken en regel" in r.err
    assert "fire_samtaler" in r.err    # did you mean
    assert "error[law-coverage-key]: LAB § 31 har ingen enhed `stk. 9`" in r.err
    assert "error[law-coverage-key]: `stk 4` er ikke en enhed" in r.err
    assert "er også dækket af `stk. 1, 2. pkt.`" in r.err


def test_an_encoding_must_name_the_sentence(tmp_path):
    lines = [line for line in MAPPING.splitlines() if not line.startswith("    stk. 1, ")]
    mapping = "\n".join(lines).replace("    stk. 2:", "    stk. 1: [fire_samtaler]\n    stk. 2:")
    r = run_cli(["check", pack_with(tmp_path, mapping)])
    assert "`stk. 1` dækker 3 enheder; en kodning skal nævne den enkelte sætning" in r.err


def test_an_udenfor_without_a_reason_is_refused_by_the_schema(tmp_path):
    mapping = MAPPING.replace('stk. 2: {udenfor: "Gælder andre målgrupper: forsikrede ledige."}',
                              'stk. 2: {udenfor: ""}')
    r = run_cli(["check", pack_with(tmp_path, mapping)])
    assert r.code == 1 and "lovdaekning.yaml:" in r.err


def test_scope_without_a_mapping_file_and_unknown_scope(tmp_path):
    r = run_cli(["check", pack_with(tmp_path, mapping=None)])
    assert r.code == 1 and "error[law-coverage-file]" in r.err
    scope = SCOPE.replace('["113 a"]', '["113 b"]').replace(
        "- lov: LAB\n      paragraffer: [\"31\"]", "- lov: LAX\n      paragraffer: [\"31\"]")
    r = run_cli(["check", pack_with(tmp_path / "b", scope=scope)])
    assert "error[law-coverage-scope]: loven `LAX`" in r.err
    assert "error[law-coverage-scope]: § 113 b findes ikke i teksten til LAB" in r.err


def test_a_mapping_without_scope_is_a_warning(tmp_path):
    pack = copy_eksempel(tmp_path)
    (pack / "lovdaekning.yaml").write_text(MAPPING, encoding="utf-8")
    r = run_cli(["check", pack])
    assert r.code == 0 and "warning[law-coverage-scope]: lovdaekning.yaml bruges ikke" in r.err


def test_a_pack_without_scope(tmp_path):
    r = run_cli(["lovdækning", copy_eksempel(tmp_path)])
    assert r.code == 1 and "angiver intet lovomfang" in r.err
    assert run_cli(["check", copy_eksempel(tmp_path / "c")]).code == 0


def test_the_ressourceforloeb_pack():
    r = run_cli(["lovdækning", REPO / "rules" / "ressourceforloeb", "--json"])
    units = json.loads(r.out)
    assert "error[" not in r.err                      # every unit in scope is mapped
    assert {u["lov"] for u in units} == {"LAB", "LAS", "LOB", "BEK 1708/2024"}
    assert all(u["grund"] for u in units if u["status"] in ("udenfor", "mangler"))
    assert all(u["regler"] for u in units if u["status"] in ("regel", "definition", "parameter"))
    assert sum(u["status"] == "udenfor" for u in units) * 2 <= len(units)
    # exit 1 exactly while something is mangler (issue 14: h14b encodes those)
    assert r.code == (1 if any(u["status"] == "mangler" for u in units) else 0)
