"""The policy file: strict validation with file + key, --policy merging, keyword helpers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from laas_audit.checks import load_catalogue
from laas_audit.engine import run_checks
from laas_audit.errors import InputError
from laas_audit.policy import Policy, load_policy, merge
from tests.casebuilder import build_context


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy()


def write(tmp_path: Path, text: str, name: str = "bad.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- rejected at load, with the file and the key ------------------------------------------------

BAD = [
    ("thresholdz:\n  dormant_days: 90\n", "thresholdz"),
    ("thresholds:\n  dormant_days: สามสิบ\n", "thresholds.dormant_days"),
    ("thresholds:\n  dormant_days: true\n", "thresholds.dormant_days"),
    ("thresholds:\n  dormant_days: -5\n", "thresholds.dormant_days"),
    ("thresholds:\n  dormant_dayz: 90\n", "thresholds.dormant_dayz"),
    ("matrix:\n  finance_staff: [cash, spaceship]\n", "matrix.finance_staff[1]"),
    ("matrix:\n  astronaut: [cash]\n", "matrix.astronaut"),
    (
        "conflicts:\n  - {classes: [procurement, spaceship], severity: high}\n",
        "conflicts[0].classes[1]",
    ),
    (
        "conflicts:\n  - {classes: [procurement, cash], severity: critical}\n",
        "conflicts[0].severity",
    ),
    ("conflicts:\n  - {classes: [cash], severity: high}\n", "conflicts[0].classes"),
    ("roles:\n  privileged_classes: [root]\n", "roles.privileged_classes[0]"),
    ("generic_accounts:\n  usernames: ['^(admin']\n", "generic_accounts.usernames[0]"),
    ("leaver_statuses: {extend: พักราชการ}\n", "leaver_statuses"),
    ("labels_th:\n  spaceship: ยานอวกาศ\n", "labels_th.spaceship"),
    ("status_negations: ไม่\n", "status_negations"),
    ("status_negations: [ไม่, '']\n", "status_negations[1]"),
    ("group_classes:\n  Cash-Office: [การเงิน]\n", "group_classes.Cash-Office"),
    ("version: ''\n", "version"),
    ("thresholds:\n  password_max_age_months: 0\n", "thresholds.password_max_age_months"),
    ("thresholds:\n  password_max_age_months: 5.5\n", "thresholds.password_max_age_months"),
    ("thresholds:\n  password_max_age_months: หก\n", "thresholds.password_max_age_months"),
    ("thresholds:\n  password_max_age_months: null\n", "thresholds.password_max_age_months"),
    ("thresholds:\n  dormant_days: null\n", "thresholds.dormant_days"),
    ("status_negation_fillers: มีการ\n", "status_negation_fillers"),
    ("deputies:\n  heads: [finance_director, astronaut]\n", "deputies.heads[1]"),
    ("deputies:\n  families: {finance_director: x}\n", "deputies.families.finance_director"),
    ("deputies:\n  families: {planning: clerk}\n", "deputies.families.planning"),
    ("deputies:\n  wordz: [รอง]\n", "deputies.wordz"),
    ("acting:\n  linking_words: ให้\n", "acting.linking_words"),
    ("retirement:\n  age: หกสิบ\n", "retirement.age"),
    ("retirement:\n  age: 60.5\n", "retirement.age"),
    ("retirement:\n  age: 6\n", "retirement.age"),
    ("retirement:\n  fiscal_year_end: '30-09'\n", "retirement.fiscal_year_end"),
    ("retirement:\n  fiscal_year_end: '02-29'\n", "retirement.fiscal_year_end"),
    ("retirement:\n  fiscal_year_end: 930\n", "retirement.fiscal_year_end"),
    ("retirement:\n  fiscal_year_end: '9-30'\n", "retirement.fiscal_year_end"),
    ("retirement:\n  agee: 60\n", "retirement.agee"),
    ("retirement: 60\n", "retirement"),
    ("finance_units:\n  subunits: โรงเรียน\n", "finance_units.subunits"),
    ("finance_units:\n  subunit: [โรงเรียน]\n", "finance_units.subunit"),
    ("section_heads:\n  words: หัวหน้าฝ่าย\n", "section_heads.words"),
    ("section_heads:\n  position_type: [นักบริหารงาน]\n", "section_heads.position_type"),
    ("finance_units:\n  divisions: {keywords: [กองพัสดุ]}\n", "finance_units.divisions"),
    (
        "finance_units:\n  divisions: [{keywords: [กองพัสดุ], classes: [พัสดุ]}]\n",
        "finance_units.divisions[0].classes[0]",
    ),
    (
        "finance_units:\n  divisions: [{keyword: [กองพัสดุ], classes: [procurement]}]\n",
        "finance_units.divisions[0].keyword",
    ),
    ("email:\n  office_words: klang\n", "email.office_words"),
    # a pair listed again (in either order) would report one problem twice
    (
        "conflicts:\n  - {classes: [procurement, cash], severity: high}\n"
        "  - {classes: [cash, procurement], severity: low}\n",
        "conflicts[1].classes",
    ),
]


@pytest.mark.parametrize(("text", "key"), BAD, ids=[k for _, k in BAD])
def test_bad_policy_is_rejected_with_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(InputError) as err:
        load_policy(write(tmp_path, text))
    e = err.value
    assert e.location.file == "bad.yaml"
    assert key in e.en and key in e.th
    assert e.hint_th and e.hint_en
    assert "bad.yaml" in e.message()


def test_bad_yaml_names_the_file_and_the_line(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        load_policy(write(tmp_path, "thresholds:\n  dormant_days: [90\n"))
    assert err.value.location.file == "bad.yaml"
    assert "YAML" in err.value.en and "line" in err.value.en and "บรรทัด" in err.value.th


def test_a_key_given_twice_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        load_policy(write(tmp_path, "thresholds:\n  dormant_days: 90\n  dormant_days: 60\n"))
    assert "duplicate key 'dormant_days'" in err.value.en


def test_a_list_at_the_top_level_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        load_policy(write(tmp_path, "- dormant_days\n"))
    assert "mapping" in err.value.en


def test_a_missing_policy_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        load_policy(tmp_path / "ไม่มีไฟล์.yaml")
    assert err.value.location.file == "ไม่มีไฟล์.yaml"


def test_an_empty_override_file_changes_nothing(tmp_path: Path, policy: Policy) -> None:
    merged = load_policy(write(tmp_path, "# nothing yet\n", "empty.yaml"))
    assert merged.thresholds == policy.thresholds and merged.matrix == policy.matrix
    assert merged.sources[-1].endswith("empty.yaml")


# -- --policy merging ---------------------------------------------------------------------------


def test_maps_merge_one_key_at_a_time(tmp_path: Path, policy: Policy) -> None:
    merged = load_policy(write(tmp_path, "thresholds:\n  dormant_days: 90\n", "p.yaml"))
    assert merged.thresholds.dormant_days == 90
    assert merged.thresholds.password_max_age_days == policy.thresholds.password_max_age_days
    assert merged.citation == policy.citation


def test_the_password_limit_is_six_months_unless_a_policy_gives_days(
    tmp_path: Path, policy: Policy
) -> None:
    assert policy.thresholds.password_max_age_months == 6
    assert policy.thresholds.password_max_age_days is None
    days = load_policy(write(tmp_path, "thresholds:\n  password_max_age_days: 90\n", "d.yaml"))
    assert days.thresholds.password_max_age_days == 90  # LA401 counts these days instead
    months = load_policy(write(tmp_path, "thresholds:\n  password_max_age_months: 3\n", "m.yaml"))
    assert months.thresholds.password_max_age_months == 3
    only_days = load_policy(write(
        tmp_path, "thresholds:\n  password_max_age_months: null\n  password_max_age_days: 120\n",
        "o.yaml",
    ))
    assert only_days.thresholds.password_max_age_days == 120


def test_retirement_is_policy_data(tmp_path: Path, policy: Policy) -> None:
    assert (policy.retirement.age, policy.retirement.fiscal_year_end) == (60, (9, 30))
    merged = load_policy(write(tmp_path, "retirement:\n  age: 61\n", "r.yaml"))
    assert (merged.retirement.age, merged.retirement.fiscal_year_end) == (61, (9, 30))
    year_end = load_policy(write(tmp_path, "retirement:\n  fiscal_year_end: '12-31'\n", "y.yaml"))
    assert year_end.retirement.fiscal_year_end == (12, 31) and year_end.retirement.age == 60


def test_a_bad_retirement_value_says_why(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        load_policy(write(tmp_path, "retirement:\n  fiscal_year_end: '31-09'\n"))
    assert "retirement.fiscal_year_end" in err.value.en and "MM-DD" in err.value.en
    assert "'31-09'" in err.value.th


def test_lists_replace_unless_extended_or_removed(tmp_path: Path, policy: Policy) -> None:
    assert policy.is_leaver_status("ย้าย") and not policy.is_leaver_status("พักราชการ")
    extended = load_policy(write(tmp_path, "leaver_statuses: {extend: [พักราชการ]}\n", "a.yaml"))
    assert extended.is_leaver_status("พักราชการ") and extended.is_leaver_status("ย้าย")
    removed = load_policy(write(tmp_path, "leaver_statuses: {remove: [โอน]}\n", "b.yaml"))
    assert not removed.is_leaver_status("โอน") and removed.is_leaver_status("ลาออก")
    replaced = load_policy(write(tmp_path, "leaver_statuses: [ลาออก]\n", "c.yaml"))
    assert replaced.is_leaver_status("ลาออก") and not replaced.is_leaver_status("ย้าย")


def test_merge_keeps_the_base_untouched() -> None:
    base = {"a": {"b": [1, 2]}, "c": 1}
    out = merge(base, {"a": {"b": {"extend": [3]}}, "d": 2})
    assert out == {"a": {"b": [1, 2, 3]}, "c": 1, "d": 2}
    assert base == {"a": {"b": [1, 2]}, "c": 1}


def test_an_override_can_add_a_class_and_let_a_family_hold_it(tmp_path: Path) -> None:
    text = (
        "group_classes:\n  welfare: [สวัสดิการ]\n"
        "position_families:\n  welfare_staff: [พัฒนาชุมชน]\n"
        "matrix:\n  welfare_staff: [welfare]\n"
    )
    merged = load_policy(write(tmp_path, text, "welfare.yaml"))
    assert merged.group_classes("เจ้าหน้าที่สวัสดิการสังคม") == {"welfare"}
    assert merged.position_family("นักพัฒนาชุมชนชำนาญการ") == "welfare_staff"
    assert merged.allowed_classes("welfare_staff") == {"welfare"}


def test_sub_units_keep_their_own_finance_and_are_policy_data(
    tmp_path: Path, policy: Policy
) -> None:
    for unit in ("โรงเรียนบ้านชีลอง", "ศพด.บ้านหนองแวง", "ศูนย์พัฒนาเด็กเล็ก บ้านนา", "สถานศึกษา"):
        assert policy.is_subunit(unit) and not policy.is_finance_unit(unit)
    for unit in ("กองการศึกษา ศาสนาและวัฒนธรรม", "กองคลัง", "ศูนย์ป้องกันและบรรเทาสาธารณภัย", None):
        assert not policy.is_subunit(unit)
    fewer = load_policy(write(tmp_path, "finance_units:\n  subunits: {remove: [ศพด.]}\n"))
    assert not fewer.is_subunit("ศพด.บ้านหนองแวง") and fewer.is_subunit("โรงเรียนบ้านนา")


DORMANT_CASE = {
    "export": [
        {
            "username": "manop.c",
            "full_name": "นายมานพ ชัยมงคล",
            "groups": ["เจ้าหน้าที่การเงิน"],
            "last_login": "2026-03-01",
        }
    ],
    "roster": [{"full_name": "นายมานพ ชัยมงคล", "position": "นักวิชาการเงินและบัญชี"}],
}


def test_a_policy_override_changes_a_rules_outcome(tmp_path: Path, policy: Policy) -> None:
    catalogue = load_catalogue()
    default, _ = run_checks(build_context(DORMANT_CASE, policy), catalogue, ["LA103"])
    assert default == []
    strict = load_policy(write(tmp_path, "thresholds:\n  dormant_days: 90\n", "p.yaml"))
    found, _ = run_checks(build_context(DORMANT_CASE, strict), catalogue, ["LA103"])
    assert [f.username for f in found] == ["manop.c"]
    assert (
        found[0].evidence["threshold_days"] == 90 and found[0].evidence["days_since_login"] == 121
    )


# -- keyword helpers ----------------------------------------------------------------------------

GROUPS = [
    ("ผู้ดูแลระบบ", {"admin"}),
    ("หัวหน้าหน่วยงานคลัง", {"finance_head"}),
    ("ผู้บริหารท้องถิ่น", {"executive"}),
    ("รายงานการเงินสำหรับผู้บริหาร", {"executive"}),  # the longer keyword wins over การเงิน
    ("เจ้าหน้าที่การเงินและบัญชี", {"cash", "accounting"}),
    ("เจ้าหน้าที่การเงินรายจ่าย", {"cash"}),
    ("เจ้าหน้าที่งบประมาณตามแผนงาน", {"budget"}),
    ("เจ้าหน้าที่ทะเบียนทรัพย์สินและพัสดุ", {"assets", "procurement"}),
    ("เจ้าหน้าที่ธุรการกองต่างๆ", {"clerk"}),
    ("เจ้าหน้าที่\u00a0จัดเก็บรายได้", {"revenue"}),  # NBSP inside the name
    ("Administrator", {"admin"}),
    ("กลุ่มทดลองระบบ", set()),
]


@pytest.mark.parametrize(("group", "classes"), GROUPS, ids=[g for g, _ in GROUPS])
def test_group_classes(policy: Policy, group: str, classes: set[str]) -> None:
    assert policy.group_classes(group) == classes


POSITIONS = [
    ("ผู้อำนวยการกองคลัง", "finance_director"),
    ("ผอ. กองคลัง", "finance_director"),
    ("หัวหน้าส่วนการคลัง", "finance_director"),
    ("นักบริหารงานการคลัง ระดับต้น", "finance_director"),
    ("ผู้อำนวยการสำนักการคลัง", "finance_director"),
    ("นักวิชาการเงินและบัญชีชำนาญการพิเศษ", "finance_staff"),
    ("นวก.การเงินและบัญชี", "finance_staff"),
    ("ผช.จพง.การเงินและบัญชี", "finance_staff"),
    ("นักวิชาการพัสดุปฏิบัติการ", "procurement_staff"),
    ("จพง.พัสดุ", "procurement_staff"),
    ("เจ้าพนักงานจัดเก็บรายได้ชำนาญงาน", "revenue_staff"),
    ("ผช.นักวิเคราะห์ฯ", "planning"),
    ("เจ้าพนักงานธุรการ", "clerk"),
    ("นายกองค์การบริหารส่วนตำบลหนองบัวทอง", "executive_elected"),
    ("รองนายกเทศมนตรี", "executive_elected"),
    ("ปลัด อบต.", "executive_staff"),
    ("รองปลัดเทศบาล", "executive_staff"),
    ("หัวหน้าสำนักปลัด", "division_head"),  # not executive_staff through "ปลัด"
    ("ผู้อำนวยการกองช่าง", "division_head"),
    ("นักทรัพยากรบุคคล สำนักปลัด", None),  # a unit name in the position is not a family
    ("นักวิชาการเงินและบัญชี รักษาราชการแทน ผอ.กองคลัง", "finance_staff"),  # own post only
    # deputies and assistants of a head are not the head (the longer keyword wins)
    ("รองผู้อำนวยการสำนักการคลัง", "finance_supervisor"),
    ("ผู้ช่วยผู้อำนวยการกองคลัง", "finance_supervisor"),
    ("ผช.ผอ.กองคลัง", "finance_supervisor"),
    ("รอง ผอ.กองการคลัง", "finance_supervisor"),
    ("ผู้ช่วยหัวหน้าหน่วยงานคลัง", "finance_supervisor"),
    ("หัวหน้าฝ่ายบริหารงานคลัง", "finance_supervisor"),  # a section head under the director
    ("รองผู้อำนวยการกองช่าง", None),
    ("รองผู้อำนวยการโรงเรียน", None),
    ("ผู้ช่วยผู้อำนวยการสถานศึกษา", None),
    ("รองหัวหน้าสำนักปลัด", None),
    ("ผู้อำนวยการโรงเรียน", "subunit_head"),
    ("รองปลัดองค์การบริหารส่วนตำบล", "executive_staff"),
    ("ผู้ช่วยเจ้าพนักงานพัสดุ", "procurement_staff"),  # ผู้ช่วย before a staff title: no change
    # position types (ตำแหน่งในสายงาน) instead of titles
    ("นักบริหารงานท้องถิ่น ระดับกลาง", "executive_staff"),
    ("นักบริหารงานท้องถิ่นระดับสูง", "executive_staff"),
    ("นักบริหารงานช่าง ระดับต้น", "division_head"),
    ("นักบริหารงานทั่วไป ระดับต้น", "division_head"),
    ("นักบริหารงานการศึกษา ระดับกลาง", "division_head"),
    ("นักบริหารงานสาธารณสุขและสิ่งแวดล้อม ระดับต้น", "division_head"),
    ("นักบริหารงานสวัสดิการสังคม ระดับต้น", "division_head"),
    ("นักบริหารงานคลัง ระดับต้น", "finance_director"),
    # a section head's position type written with the title: the title decides
    ("หัวหน้าฝ่ายการเงินและบัญชี (นักบริหารงานการคลัง ระดับต้น)", "finance_staff"),
    ("หัวหน้าฝ่ายพัฒนารายได้ (นักบริหารงานการคลัง ระดับต้น)", "revenue_staff"),
    ("หัวหน้าฝ่ายพัสดุและทรัพย์สิน (นักบริหารงานการคลัง ระดับต้น)", "procurement_staff"),
    ("หัวหน้าฝ่ายบริหารงานคลัง (นักบริหารงานการคลัง ระดับต้น)", "finance_supervisor"),
    ("นักบริหารงานการคลัง ระดับต้น (หัวหน้าฝ่ายการเงินและบัญชี)", "finance_staff"),
    ("หัวหน้างานการเงิน นักบริหารงานคลัง", "finance_staff"),
    ("หน.ฝ่ายพัฒนารายได้ (นักบริหารงานการคลังระดับต้น)", "revenue_staff"),
    ("หัวหน้าฝ่ายบริหารงานทั่วไป (นักบริหารงานทั่วไป ระดับต้น)", "division_head"),
    # ... while the head of the division keeps the type's family, whichever way round
    ("ผู้อำนวยการกองคลัง (นักบริหารงานการคลัง ระดับกลาง)", "finance_director"),
    ("นักบริหารงานการคลัง ระดับกลาง (ผู้อำนวยการกองคลัง)", "finance_director"),
    ("หัวหน้าส่วนการคลัง (นักบริหารงานการคลัง ระดับต้น)", "finance_director"),
    ("ปลัด อบต. (นักบริหารงานท้องถิ่น ระดับกลาง)", "executive_staff"),
    ("นิติกร", None),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize(("position", "family"), POSITIONS, ids=[str(p) for p, _ in POSITIONS])
def test_position_family(policy: Policy, position: str | None, family: str | None) -> None:
    assert policy.position_family(position) == family


def test_matrix_follows_the_notes(policy: Policy) -> None:
    assert policy.allowed_classes("finance_director") == frozenset(policy.classes)
    assert policy.allowed_classes("finance_staff") == {"cash", "accounting", "assets"}
    assert policy.allowed_classes("executive_elected") == {"executive"}
    assert policy.allowed_classes(None) == frozenset()


def test_acting_finance_head(policy: Policy) -> None:
    assert policy.is_acting_finance_head("รักษาราชการแทนผู้อำนวยการกองคลัง คำสั่งที่ 12/2569")
    assert policy.is_acting_finance_head("ผอ.กองคลัง (ปฏิบัติหน้าที่แทน)")
    assert policy.is_acting_finance_head(None, "นักวิชาการเงินและบัญชี รก.ผอ.กองคลัง")
    assert not policy.is_acting_finance_head("รักษาราชการแทนหัวหน้าสำนักปลัด")
    assert not policy.is_acting_finance_head(None, "ผู้อำนวยการกองคลัง")  # the director, not acting
    assert not policy.is_acting_finance_head(None, None)


# The finance head's office must be what the acting phrase names.
ACTING_AS_HEAD = [
    "รักษาราชการแทนผู้อำนวยการกองคลัง",
    "ปฏิบัติหน้าที่แทน ผอ.กองคลัง",
    "รักษาการในตำแหน่งหัวหน้าหน่วยงานคลัง",
    "ปฏิบัติหน้าที่หัวหน้าหน่วยงานคลัง ตามคำสั่ง อบต.หนองสระบัว ที่ 45/2569",
    "ได้รับมอบหมายให้เป็นหัวหน้าหน่วยงานคลัง คำสั่งที่ 7/2569",
    "มอบหมายให้ปฏิบัติหน้าที่แทน ผอ.สำนักการคลัง",
    "รักษาราชการแทน (ผอ.กองคลัง)",
    "ผู้อำนวยการกองคลัง (รักษาราชการแทน) ตามคำสั่งที่ 5/2569",
    "ผอ.กองคลัง รักษาการ ตั้งแต่ 1 ต.ค. 2568",
    # a sub-unit's head is its own finance head (letter ๑.๒.๑)
    "รักษาราชการแทน ผู้อำนวยการสถานศึกษา ตามคำสั่ง อบจ. ที่ ๒๓๔/๒๕๖๙",
    "ปฏิบัติหน้าที่แทน หัวหน้าศูนย์พัฒนาเด็กเล็ก ตามคำสั่งที่ 55/2569",
    "ผอ.โรงเรียน (รักษาราชการแทน) ตามคำสั่งที่ 8/2569",
]
NOT_ACTING_AS_HEAD = [
    # the finance head is who assigned the duty, not the duty
    "ผอ.กองคลัง มอบหมายให้ปฏิบัติหน้าที่เจ้าหน้าที่การเงิน ตามคำสั่งที่ 45/2569",
    # a deputy's or an assistant's title
    "ปฏิบัติหน้าที่ผู้ช่วยหัวหน้าหน่วยงานคลัง",
    "รักษาราชการแทนรองผู้อำนวยการกองคลัง",
    "รองผู้อำนวยการกองคลัง (รักษาราชการแทน)",
    # another office; the finance director acting for someone else
    "รักษาราชการแทนผู้อำนวยการกองช่าง ตามคำสั่งที่ 7/2569",
    "ผอ.กองคลัง รักษาราชการแทน ปลัด อบต.",
    "ปฏิบัติหน้าที่ในกองคลัง",
    # a section head under the director is not the finance head
    "รักษาราชการแทนหัวหน้าฝ่ายบริหารงานคลัง",
    # a sub-unit deputy's title; a sub-unit head's acting that has ended
    "รักษาราชการแทนรองผู้อำนวยการสถานศึกษา",
    "พ้นจากการปฏิบัติหน้าที่แทน หัวหน้าศูนย์พัฒนาเด็กเล็ก ตั้งแต่ 1 ก.พ. 2569",
    # the type before the acting words is a section head's own post, not the office
    "หัวหน้าฝ่ายการเงินและบัญชี นักบริหารงานการคลัง (รักษาราชการแทน) ตามคำสั่งที่ 9/2569",
]


@pytest.mark.parametrize("note", ACTING_AS_HEAD)
def test_an_acting_phrase_about_the_finance_head_counts(policy: Policy, note: str) -> None:
    assert policy.is_acting_finance_head(note, "นักวิชาการเงินและบัญชีชำนาญการ")


@pytest.mark.parametrize("note", NOT_ACTING_AS_HEAD)
def test_the_finance_head_named_elsewhere_or_a_deputy_does_not(policy: Policy, note: str) -> None:
    assert not policy.is_acting_finance_head(note, "นักวิชาการเงินและบัญชีชำนาญการ")


def test_a_position_needs_the_office_after_the_acting_words(policy: Policy) -> None:
    assert policy.is_acting_finance_head(None, "นักวิชาการเงินและบัญชี ปฏิบัติหน้าที่ ผอ.กองคลัง")
    # in a position what comes before the acting words is the person's own post
    assert not policy.is_acting_finance_head(None, "ผู้อำนวยการกองคลัง (รักษาราชการแทน)")
    assert not policy.is_acting_finance_head(None, "นักวิชาการเงินและบัญชี รก.รองผอ.กองคลัง")


def test_deputies_are_policy_data(tmp_path: Path, policy: Policy) -> None:
    assert policy.position_family("รองผู้อำนวยการกองช่าง") is None
    text = (
        "deputies:\n"
        "  families: {finance_director: finance_supervisor, division_head: division_head}\n"
    )
    custom = load_policy(write(tmp_path, text, "d.yaml"))
    assert custom.position_family("รองผู้อำนวยการกองช่าง") == "division_head"
    assert custom.position_family("ผช.ผอ.กองคลัง") == "finance_supervisor"
    none = load_policy(write(tmp_path, "deputies: {words: []}\n", "e.yaml"))
    assert none.position_family("รองผู้อำนวยการกองคลัง") == "finance_director"


def test_section_heads_are_policy_data(tmp_path: Path, policy: Policy) -> None:
    position = "หัวหน้าฝ่ายการเงินและบัญชี (นักบริหารงานการคลัง ระดับต้น)"
    assert policy.position_family(position) == "finance_staff"
    none = load_policy(write(tmp_path, "section_heads: {words: []}\n", "s.yaml"))
    assert none.position_family(position) == "finance_director"
    gone = load_policy(write(tmp_path, "section_heads: {position_types: []}\n", "t.yaml"))
    assert gone.position_family(position) == "finance_director"


def test_acting_for_a_sub_unit_head_follows_its_family(tmp_path: Path, policy: Policy) -> None:
    note = "ปฏิบัติหน้าที่แทน หัวหน้า ศพด.บ้านหนองบัว ตามคำสั่งที่ 55/2569"
    assert not policy.is_acting_finance_head(note)
    text = "position_families:\n  subunit_head: {extend: [หัวหน้า ศพด.]}\n"
    custom = load_policy(write(tmp_path, text, "u.yaml"))
    assert custom.position_family("หัวหน้า ศพด.บ้านหนองบัว") == "subunit_head"
    assert custom.is_acting_finance_head(note)


def test_statuses_and_employment(policy: Policy) -> None:
    for status in ("ย้าย", "โอนย้าย", "ลาออก", "เกษียณอายุราชการ", "ไล่ออก", "เสียชีวิต"):
        assert policy.is_leaver_status(status), status
    for status in ("ปกติ", "ปฏิบัติราชการ", "ลาศึกษาต่อ", "ช่วยราชการ", "ย้ายมาจาก อบต.โนนสูง", None):
        assert not policy.is_leaver_status(status), status
    assert policy.is_non_staff("จ้างเหมาบริการ") and policy.is_non_staff("คนงานทั่วไป")
    assert not policy.is_non_staff("พนักงานจ้างตามภารกิจ") and not policy.is_non_staff(None)
    assert policy.is_inactive_account_status("ระงับการใช้งาน")
    assert policy.is_inactive_account_status("Disabled")
    assert not policy.is_inactive_account_status("ใช้งาน")
    assert not policy.is_inactive_account_status("Active")


# A negation just before a status word reverses it: the silent gap was every rule skipping an
# account whose status says its suspension was lifted.
ACTIVE_STATUSES = [
    "ไม่ระงับ", "ไม่ถูกระงับ", "ไม่ได้ระงับ", "ไม่ได้ถูกระงับ", "ยกเลิกการระงับ",
    "ยกเลิกการระงับการใช้งาน", "ยัง ไม่ ระงับ", "ใช้งาน (ไม่ระงับ)", "ไม่ปิด", "ยกเลิกการปิด",
    "ไม่ปิดการใช้งาน", "ปลดล็อก", "ปลดระงับ", "ไม่หมดอายุ", "เพิกถอนการระงับ", "Not disabled",
    "Unlocked", "ใช้งาน", "เปิดใช้งาน", "ปกติ", "Active", "ได้รับอนุญาต",
    # a negation, fillers (มีการ, ได้, ถูก, ให้), then the word
    "ไม่มีการระงับ", "ยังไม่ได้มีการระงับ", "ไม่มีการปิดการใช้งาน", "ไม่ได้ถูกล็อก",
    # an expired password is not a disabled account; a qualifier after an active status
    "ใช้งาน (รหัสผ่านหมดอายุ)", "active, password expired", "รหัสผ่านหมดอายุ",
    "ใช้งาน (ต้องเปลี่ยนรหัสผ่าน ล็อกอินครั้งถัดไป)",
    # a yes/no answer after a colon answers the word before it
    "ระงับ: ไม่", "ระงับ : ไม่ใช่", "Suspended: No", "ใช้งาน: ใช่",
]
INACTIVE_STATUSES = [
    "ระงับ", "ถูกระงับ", "ระงับการใช้งาน", "ระงับชั่วคราว", "ปิดการใช้งาน", "ปิด", "ยกเลิก",
    "ยกเลิกการใช้งาน", "ไม่ใช้งาน", "ไม่ได้ใช้งาน", "ไม่อนุญาต", "ไม่ได้รับอนุญาต",
    "ยังไม่เปิดใช้งาน", "เลิกใช้งาน", "ใช้งานไม่ได้", "ล็อก", "Disabled", "Not active",
    "deactivated", "เพิกถอน", "ระงับ (ไม่ได้เข้าใช้งาน)", "N",
    "ห้ามใช้งาน", "ห้ามเข้าระบบ", "ไม่ให้ใช้งาน", "ไม่อนุญาตให้ใช้งาน", "ไม่ได้รับการอนุญาต",
    "ระงับ: ใช่", "ใช้งาน: ไม่", "Active: no", "หมดอายุ", "บัญชีหมดอายุ (ใช้งานไม่ได้)",
]


@pytest.mark.parametrize("status", ACTIVE_STATUSES)
def test_negated_suspension_words_are_active(policy: Policy, status: str) -> None:
    assert not policy.is_inactive_account_status(status)


@pytest.mark.parametrize("status", INACTIVE_STATUSES)
def test_inactive_words_stay_inactive(policy: Policy, status: str) -> None:
    assert policy.is_inactive_account_status(status)


def test_an_account_waiting_to_be_opened_is_not_active_and_one_in_use_is(policy: Policy) -> None:
    assert policy.is_inactive_account_status("รอเปิดใช้งาน")
    # the roster's not-yet words are not the export's: these accounts are in use
    for status in ("กำลังใช้งาน", "อยู่ระหว่างใช้งาน", "ใช้งานอยู่"):
        assert not policy.is_inactive_account_status(status), status


def test_retirement_words_are_policy_data(tmp_path: Path, policy: Policy) -> None:
    assert policy.is_retirement("ครบเกษียณอายุราชการ") and not policy.is_retirement("ลาออก")
    custom = tmp_path / "p.yaml"
    custom.write_text("retirement:\n  words: [ปลดเกษียณ]\n", encoding="utf-8")
    changed = load_policy(custom)
    assert changed.is_retirement("ปลดเกษียณ") and not changed.is_retirement("เกษียณ")


@pytest.mark.parametrize(
    ("status", "leaver"),
    [
        ("ไม่ได้ลาออก", False), ("ไม่ลาออก", False), ("ยังไม่เกษียณ", False),
        ("ยกเลิกการย้าย", False), ("ยกเลิกคำสั่งย้าย", False), ("ยกเลิกการโอน", False),
        ("ถอนลาออก", False), ("ถอนการลาออก", False), ("ปกติ (ไม่ได้ลาออก)", False),
        ("Not transferred", False),
        # a negation with fillers before the word, inside a qualifier after a current status
        ("ปกติ (ไม่มีการย้าย)", False), ("ยังไม่ได้มีการโอน", False), ("ไม่ถูกให้ออก", False),
        ("ลาออก", True), ("ปลดออก", True), ("ปลดออกจากราชการ", True), ("ให้ออกจากราชการ", True),
        ("ยกเลิกการจ้าง", True), ("ยกเลิกสัญญา", True), ("เลิกจ้าง", True),
        ("ย้าย (ไม่ได้ลาออก)", True), ("ลาออก ไม่ทราบวันที่", True),
        # leaver words that are negations themselves: the contract not renewed, failed probation
        ("ไม่ต่อสัญญา", True), ("ไม่ต่อสัญญาจ้าง", True), ("ไม่ได้ต่อสัญญา", True),
        ("ไม่ได้รับการต่อสัญญาจ้าง", True), ("สิ้นสุดสัญญาจ้าง (ไม่ต่อสัญญา)", True),
        ("ไม่ผ่านทดลองงาน", True), ("ไม่ผ่านการทดลองปฏิบัติหน้าที่ราชการ", True),
        ("ถึงแก่ความตาย", True), ("ตาย", True), ("ถึงแก่อนิจกรรม", True),
        ("พ้นจากราชการ", True), ("ออกจากราชการ", True), ("หมดสัญญาจ้าง", True),
        ("ครบสัญญาจ้าง", True), ("เสียชีวิต", True),
        ("ต่อสัญญาจ้าง", False), ("ผ่านการทดลองปฏิบัติหน้าที่ราชการ", False),
        # not yet: a leaving still to come
        ("จะเกษียณปี 2570", False), ("จะ เกษียณอายุราชการ", False), ("เตรียมโอน", False),
        ("อยู่ระหว่างลาออก", False), ("อยู่ระหว่างการโอน", False), ("กำลังจะย้าย", False),
        ("รอโอน", False), ("รอคำสั่งย้าย", False), ("เกษียณอายุราชการ 2570", True),
    ],
)
def test_negated_leaver_words_are_not_leavers(policy: Policy, status: str, leaver: bool) -> None:
    assert policy.is_leaver_status(status) is leaver


def test_negation_fillers_are_policy_data(tmp_path: Path, policy: Policy) -> None:
    assert not policy.is_inactive_account_status("ไม่มีการระงับ")
    none = load_policy(write(tmp_path, "status_negation_fillers: []\n", "f.yaml"))
    assert none.is_inactive_account_status("ไม่มีการระงับ")
    assert none.is_leaver_status("ปกติ (ไม่มีการย้าย)")
    assert not none.is_inactive_account_status("ไม่ระงับ")  # the bare negation still works
    more = load_policy(write(tmp_path, "status_negation_fillers: {extend: [ปรากฏว่า]}\n", "g.yaml"))
    assert not more.is_leaver_status("ไม่ปรากฏว่าลาออก")
    assert policy.is_leaver_status("ไม่ปรากฏว่าลาออก")


def test_negations_are_policy_data(tmp_path: Path, policy: Policy) -> None:
    assert not policy.is_inactive_account_status("ไม่ระงับ")
    fewer = load_policy(write(tmp_path, "status_negations: {remove: [ไม่]}\n", "a.yaml"))
    assert fewer.is_inactive_account_status("ไม่ระงับ") and fewer.is_leaver_status("ไม่ลาออก")
    assert not fewer.is_inactive_account_status("ไม่ได้ระงับ")  # ไม่ได้ is still a negation
    more = load_policy(write(tmp_path, "status_negations: {extend: [มิได้]}\n", "b.yaml"))
    assert not more.is_inactive_account_status("มิได้ระงับ")
    assert not more.is_leaver_status("มิได้ลาออก") and policy.is_leaver_status("มิได้ลาออก")


def test_a_status_word_the_policy_lists_wins_over_its_negated_form(tmp_path: Path) -> None:
    # A body whose system writes "ยกเลิกการระงับ" for a pending cancellation can say so.
    text = "inactive_account_statuses: {extend: [ยกเลิกการระงับ]}\n"
    custom = load_policy(write(tmp_path, text, "c.yaml"))
    assert custom.is_inactive_account_status("ยกเลิกการระงับ")
    assert not custom.is_inactive_account_status("ไม่ระงับ")


def test_an_acting_order_whose_end_is_negated_is_in_force(policy: Policy) -> None:
    as_of = date(2026, 6, 30)
    head = "รักษาราชการแทนผู้อำนวยการกองคลัง"
    assert policy.acting_in_force(f"{head} (ยังไม่สิ้นสุด)", as_of)
    assert policy.acting_in_force(f"{head} คำสั่งนี้ไม่ได้ยกเลิก", as_of)
    assert not policy.acting_in_force(f"พ้นจากการ{head}", as_of)
    assert not policy.acting_in_force(f"{head} ยังไม่สิ้นสุด แต่ภายหลังสิ้นสุด 1 ก.พ. 2569", as_of)
    assert policy.acting_in_force(f"{head} (ยังไม่มีการยกเลิก)", as_of)  # fillers after the negation
    assert not policy.acting_in_force(f"ยกเลิกคำสั่ง{head}", as_of)


def test_generic_accounts_and_email(policy: Policy) -> None:
    assert policy.is_generic_account("admin", None)
    assert policy.is_generic_account("USER01", "")
    assert policy.is_generic_account("somying", "เจ้าหน้าที่การเงิน")
    assert not policy.is_generic_account("somchai.j", "นายสมชาย ใจดี")
    assert not policy.is_generic_account("1509900123747", "นางสาวกนกพร ศรีสุข")
    assert policy.email_domain_disallowed("a@HOTMAIL.com") == "hotmail.com"
    assert policy.email_domain_disallowed("a@hotmail.co.th") == "hotmail.co.th"
    assert policy.email_domain_disallowed("a@gmail.com") is None


def test_an_acting_order_that_ended_or_has_not_begun_says_when(policy: Policy) -> None:
    as_of = date(2026, 10, 1)
    lapsed = policy.acting_head_lapsed
    period = "รักษาราชการแทน ผอ.กองคลัง ตั้งแต่ 1 ต.ค. 2568 ถึง 31 มี.ค. 2569"
    assert lapsed(period, as_of) == ("ended", date(2026, 3, 31))
    assert lapsed(period, date(2026, 3, 1)) is None  # still in force then
    assert lapsed("พ้นจากการรักษาราชการแทนผู้อำนวยการกองคลัง ตั้งแต่ 1 ก.พ. 2569", as_of) == (
        "ended", date(2026, 2, 1))
    assert lapsed("พ้นจากการรักษาราชการแทนผู้อำนวยการกองคลัง", as_of) == ("ended", None)
    assert lapsed("รักษาราชการแทนผู้อำนวยการกองคลัง ตั้งแต่ 1 พ.ย. 2569", as_of) == (
        "not_begun", date(2026, 11, 1))
    assert lapsed("รักษาราชการแทนผู้อำนวยการกองคลัง คำสั่งที่ 31/2569", as_of) is None
    assert lapsed("รักษาราชการแทนหัวหน้าสำนักปลัด ถึง 31 มี.ค. 2569", as_of) is None  # not the head
    assert lapsed(None, as_of) is None


@pytest.mark.parametrize("username", [
    "admin.nb", "finance_nb", "klang_bk", "kongklang.kk2", "elaas_admin", "e-laas.finance",
    "staff.kk", "การเงิน", "กองคลัง", "พัสดุ01", "พัสดุ๐๒", "คลัง",
])
def test_shared_usernames_with_a_body_suffix_or_in_thai(policy: Policy, username: str) -> None:
    assert policy.is_generic_account(username, None)
    assert not policy.is_generic_account(username, None, person_matched=True)


@pytest.mark.parametrize("username", [
    "siriporn.k", "anan_s", "kanok.r", "adminpong", "admin.somchai", "somchai.admin",
    "administrator.wichai", "klangsiri.p", "financewan", "1103700234560", "สมชาย", "คลังแก้ว",
])
def test_personal_logins_are_not_shared(policy: Policy, username: str) -> None:
    assert not policy.is_generic_account(username, None)


def test_a_unit_word_alone_as_the_name_is_shared(policy: Policy) -> None:
    assert policy.is_generic_account("u10", "คลัง")
    assert policy.is_generic_account("u11", "การเงิน")
    assert not policy.is_generic_account("u12", "นายคลัง ใจดี")  # a name that starts with it
    assert not policy.is_generic_account("u13", "คลังแก้ว รุ่งเรือง")


def test_version_and_citation_are_data(policy: Policy) -> None:
    assert policy.version
    assert "๑๙๗๖" in policy.citation and "มท" in policy.citation


def test_the_override_example_in_the_docs_works(tmp_path: Path) -> None:
    from laas_audit.docs_gen import render

    example = render().split("```yaml\n", 1)[1].split("```", 1)[0]
    merged = load_policy(write(tmp_path, example, "example.yaml"))
    assert merged.thresholds.dormant_days == 90
    assert merged.group_classes("ผู้ประสานงานกอง") == {"clerk"}
    assert merged.is_leaver_status("พักราชการ")


# -- finance units, office mailboxes --------------------------------------------------------------


def test_a_procurement_division_holds_its_own_classes_only(policy: Policy) -> None:
    assert policy.division_classes("กองพัสดุและทรัพย์สิน") == {"procurement", "assets"}
    assert policy.division_classes("สำนักพัสดุ ฝ่ายพัสดุ") == {"procurement", "assets"}
    # the finance division and its sections are not such a division: they hold every class
    assert policy.division_classes("กองคลัง ฝ่ายพัสดุ") is None
    assert policy.is_finance_unit("กองคลัง ฝ่ายพัสดุ")


@pytest.mark.parametrize(
    "unit", ["ฝ่ายการเงินและบัญชี", "งานการเงินและบัญชี", "กค.", "งานแผนที่ภาษีและทะเบียนทรัพย์สิน"]
)
def test_sections_and_abbreviations_of_the_finance_division_are_finance_units(
    policy: Policy, unit: str
) -> None:
    assert policy.is_finance_unit(unit)


@pytest.mark.parametrize("unit", ["กองช่าง", "ฝ่ายแบบแผนและก่อสร้าง", "สำนักปลัด งานธุรการ"])
def test_other_divisions_sections_are_not_finance_units(policy: Policy, unit: str) -> None:
    assert not policy.is_finance_unit(unit)


def test_the_month_kk_is_not_the_finance_division(policy: Policy) -> None:
    # "กค." expands to กองคลัง; the month "ก.ค." keeps its dot between the letters
    assert policy.text.key("ผอ.กค.") == policy.text.key("ผู้อำนวยการกองคลัง")
    assert "กองคลัง" not in policy.text.key("ย้าย 1 ก.ค. 2569")


@pytest.mark.parametrize(
    ("email", "word"),
    [
        ("kongklang.bankhok@gmail.com", "kongklang"),
        ("Saraban_BanDonYang2@gmail.com", "saraban"),
        ("finance2567@nongbua.go.th", "finance"),
        ("info@bankhok.go.th", "info"),
        ("somchai.k@gmail.com", None),
        ("infon.s@gmail.com", None),  # a name holding an office word is a name
        ("kongklangsak@gmail.com", None),
        # only the first word: after it comes a person's nickname or surname
        ("noi.klang@gmail.com", None),
        ("somporn.finance@gmail.com", None),
        # "klang" is a surname's first syllable too (กลางประพันธ์)
        ("klang.somporn@gmail.com", None),
    ],
)
def test_office_mailboxes_by_the_first_word_before_the_at(
    policy: Policy, email: str, word: str | None
) -> None:
    assert policy.email_office_word(email) == word


def test_hotmail_under_its_other_names_is_disallowed(policy: Policy) -> None:
    for domain in ["outlook.com", "outlook.co.th", "live.com", "live.co.th", "msn.com"]:
        assert policy.email_domain_disallowed(f"areerat.k@{domain.upper()}") == domain
    assert policy.email_domain_disallowed("areerat.k@gmail.com") is None
    assert policy.email_domain_disallowed("areerat.k@deliver.com") is None


def test_a_note_is_read_after_its_history(tmp_path: Path, policy: Policy) -> None:
    assert not policy.note_tells_leaving("โอน (ย้าย) มาจาก อบต.หนองไผ่")
    assert not policy.note_tells_leaving("ลาออกจากพนักงานจ้าง และบรรจุเป็นพนักงานส่วนตำบล")
    assert policy.note_tells_leaving("บรรจุ 1 ต.ค. 2562 / ลาออก 1 ส.ค. 2569")
    assert policy.note_tells_leaving("ลาออกเมื่อ 1 ก.ย. 2569 เพื่อไปบรรจุเป็นข้าราชการครู")
    assert policy.note_tells_leaving("โอนไป อบต.บ้านเป้า ตั้งแต่ 1 ส.ค. 2569")
    custom = tmp_path / "p.yaml"
    custom.write_text("note_history_words: [ประวัติ]\n", encoding="utf-8")
    changed = load_policy(custom)
    assert not changed.note_tells_leaving("ลาออกจากบริษัท ประวัติการทำงาน")
    assert changed.note_tells_leaving("โอนย้ายมาจาก อบต.หนองไผ่ ลาออก")


def test_the_roster_not_yet_words_are_policy_data(tmp_path: Path, policy: Policy) -> None:
    assert not policy.is_leaver_status("จะเกษียณ") and policy.is_leaver_status("เกษียณ")
    custom = tmp_path / "p.yaml"
    custom.write_text("leaver_not_yet: []\n", encoding="utf-8")
    assert load_policy(custom).is_leaver_status("จะเกษียณ")
