"""YAML parsing: the fast parser gives the same data, and an impossible date is a YAML error."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from laas_audit.errors import InputError
from laas_audit.mapping import load_mapping
from laas_audit.policy import load_policy
from laas_audit.yaml_load import SafeLoader, safe_load

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = [ROOT / "rules" / "policy.yaml", ROOT / "rules" / "catalogue.yaml",
           ROOT / "report_templates" / "labels.yaml"]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_files_read_the_same_as_with_pyyaml_safe_load(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert safe_load(text) == yaml.safe_load(text)


def test_libyaml_parser_is_used_when_pyyaml_has_it() -> None:
    if not yaml.__with_libyaml__:
        pytest.skip("this PyYAML was built without libyaml")
    assert issubclass(SafeLoader, yaml.CSafeLoader)


@pytest.mark.parametrize("value", ["2569-02-29", "2026-02-30", "2026-10-01T25:00:00"])
def test_a_date_that_cannot_be_is_a_yaml_error_at_its_line(value: str) -> None:
    with pytest.raises(yaml.YAMLError) as caught:
        safe_load(f"# นโยบายของจังหวัด\nวันที่มีผล: {value}\n")
    assert caught.value.problem_mark.line + 1 == 2  # type: ignore[attr-defined]
    assert value in str(caught.value)


def test_policy_with_an_impossible_date_names_the_file_and_line(tmp_path: Path) -> None:
    policy = tmp_path / "นโยบาย สถ.จ.yaml"
    policy.write_text("thresholds:\n  password_max_age_days: 2569-02-29\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_policy(policy)
    assert "(บรรทัด 2)" in caught.value.th and "(line 2)" in caught.value.en
    assert "2569-02-29" in caught.value.en
    assert "ไม่ใช่วันที่ที่มีจริง" in caught.value.th and "เครื่องหมายคำพูด" in caught.value.th
    assert caught.value.location.file.endswith("นโยบาย สถ.จ.yaml")


def test_mapping_with_an_impossible_date_is_an_input_error(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("export:\n  username: 2569-02-29\n", encoding="utf-8")
    with pytest.raises(InputError):
        load_mapping(mapping)
