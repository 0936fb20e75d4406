"""The rule registry, the catalogue, the rule cases and docs/rules.md stay in step."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from laas_audit import docs_gen
from laas_audit.checks import (
    CHECKS,
    load_aliases,
    load_cancel_reasons,
    load_catalogue,
    load_same_problem,
)
from laas_audit.engine import finding_id, resolve_codes
from laas_audit.errors import InputError
from laas_audit.policy import rules_dir

ROOT = Path(__file__).resolve().parent.parent
CASE_DIR = Path(__file__).parent / "rule_cases"
FAMILY = {"1": "stale", "2": "mismatch", "3": "privilege", "4": "hygiene"}


def test_every_registered_check_has_words_and_every_entry_a_check() -> None:
    catalogue = load_catalogue()
    assert list(catalogue) == list(CHECKS), "same codes, same order"
    assert len(CHECKS) >= 14


def test_codes_are_well_formed_and_in_their_category_family() -> None:
    for code, info in load_catalogue().items():
        assert re.fullmatch(r"LA[1-4]\d\d", code)
        assert info.code == code
        assert info.category == FAMILY[code[2]], f"{code} is {info.category}"


def test_slugs_and_titles_are_unique_and_words_are_bilingual() -> None:
    catalogue = load_catalogue().values()
    slugs = [r.slug for r in catalogue]
    assert len(set(slugs)) == len(slugs)
    assert len({r.title_th for r in catalogue}) == len(slugs)
    thai = re.compile("[\u0e00-\u0e7f]")
    for r in catalogue:
        assert thai.search(r.title_th) and thai.search(r.why_th) and thai.search(r.action_th)
        assert r.title_en.isascii() or not thai.search(r.title_en.replace("e-LAAS", ""))
        assert "๑๙๗๖" in r.clause or "ระเบียบ" in r.clause


def test_a_duplicate_code_in_the_catalogue_is_rejected(tmp_path: Path) -> None:
    text = (rules_dir() / "catalogue.yaml").read_text(encoding="utf-8")
    first = text.split("\nLA102:")[0]
    path = tmp_path / "catalogue.yaml"
    path.write_text(first + "\n" + first.split("\n", 7)[-1], encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_catalogue(path)
    assert "catalogue.yaml" in err.value.message()


def test_a_catalogue_entry_missing_words_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.yaml"
    path.write_text(
        "LA901:\n  slug: x\n  category: stale\n  severity: high\n  title_th: ก\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_catalogue(path)
    assert "LA901" in err.value.en and "missing" in err.value.en


def test_every_rule_has_a_firing_and_a_clean_case() -> None:
    fires: dict[str, int] = {}
    clean: dict[str, int] = {}
    for path in sorted(CASE_DIR.glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in doc["cases"]:
            bucket = fires if case.get("expect") else clean
            bucket[doc["rule"]] = bucket.get(doc["rule"], 0) + 1
    for code in CHECKS:
        assert fires.get(code, 0) >= 1, f"{code} has no case where it fires"
        assert clean.get(code, 0) >= 1, f"{code} has no case where it must stay silent"
    assert set(fires) | set(clean) <= set(CHECKS), "a case file names an unknown rule"


def test_docs_rules_md_is_not_stale() -> None:
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == docs_gen.render(), (
        "docs/rules.md is stale: run `python -m laas_audit.docs_gen > docs/rules.md`"
    )


def test_docs_name_every_rule_and_its_check() -> None:
    text = docs_gen.render()
    for code, check in CHECKS.items():
        assert f"## {code}" in text
        assert f"`{check.__module__}.{check.__name__}`" in text


def test_finding_ids_are_stable_across_releases() -> None:
    # A changed id scheme would turn every persisting finding into "new" in the next cycle.
    assert finding_id("LA101", "somchai.j") == "LA101-53c1e083a1"
    assert finding_id("LA302", "manop.c", "procurement+cash") != finding_id("LA302", "manop.c")


def test_codes_are_selected_case_insensitively_and_unknown_ones_rejected() -> None:
    assert resolve_codes(["la302", "LA101"]) == ["LA101", "LA302"]
    assert resolve_codes(None) == list(CHECKS)
    with pytest.raises(InputError) as err:
        resolve_codes(["LA999"])
    assert "LA999" in err.value.en and "LA999" in err.value.th


def test_aliases_point_at_current_codes() -> None:
    for old, new in load_aliases().items():
        assert new in CHECKS and old not in CHECKS


def test_the_stale_rules_are_one_problem_and_a_bad_name_is_rejected(tmp_path: Path) -> None:
    groups = load_same_problem()
    assert {groups[c] for c in ("LA101", "LA102", "LA103", "LA105")} == {"account-should-go"}
    assert "LA401" not in groups and "LA201" not in groups  # another problem: stays resolved
    text = (rules_dir() / "catalogue.yaml").read_text(encoding="utf-8")
    path = tmp_path / "catalogue.yaml"
    path.write_text(text.replace("same_problem: account-should-go", "same_problem: บัญชี", 1),
                    encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_same_problem(path)
    assert "LA101.same_problem" in err.value.en and "catalogue.yaml" in err.value.message()


def test_la105_gives_the_cancellation_forms_reason_and_a_blank_one_is_rejected(
    tmp_path: Path,
) -> None:
    assert load_cancel_reasons() == {"LA105": "เกษียณอายุราชการ"}
    text = (rules_dir() / "catalogue.yaml").read_text(encoding="utf-8")
    path = tmp_path / "catalogue.yaml"
    path.write_text(text.replace("cancel_reason: เกษียณอายุราชการ", 'cancel_reason: " "'),
                    encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_cancel_reasons(path)
    assert "LA105.cancel_reason" in err.value.en
