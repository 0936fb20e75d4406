"""findings.json: the contract's shape, payloads kept intact, national IDs masked unless asked."""

from __future__ import annotations

import json
import math
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from laas_audit.model import SCHEMA, ReviewResult
from laas_audit.render_json import (
    _holds_kept_container,
    _slow_bytes,
    dumps,
    to_json_dict,
    write_json,
)
from laas_audit.safe_cells import mask_deep, mask_text
from tests.result_factory import (
    CONTROL,
    HYPERLINK,
    IMG,
    SCRIPT,
    make_result,
    thai_id,
)

FULL_ID = re.compile(r"(?<![0-9a-f])\d{13}(?![0-9a-f])")


def test_top_level_keys_follow_the_contract_order() -> None:
    doc = to_json_dict(make_result())
    assert list(doc)[:8] == [
        "schema", "tool_version", "policy_version", "as_of", "generated_at", "body",
        "citation", "inputs",
    ]
    assert {"accounts", "findings", "resolved", "exceptions", "warnings"} <= set(doc)
    assert doc["schema"] == SCHEMA
    assert doc["as_of"] == "2026-10-01"
    assert doc["body"]["province"] == "ชัยภูมิ"


def test_findings_are_sorted_high_first_and_carry_status() -> None:
    doc = to_json_dict(make_result())
    ranks = {"high": 0, "medium": 1, "low": 2}
    severities = [ranks[f["severity"]] for f in doc["findings"]]
    assert severities == sorted(severities)
    assert {f["status"] for f in doc["findings"]} == {"new", "persisting", "waived"}
    waived = [f for f in doc["findings"] if f["status"] == "waived"]
    assert waived and all(f["waiver"]["expires"] == "2026-12-31" for f in waived)
    assert doc["resolved"][0]["username"] == "finance01"
    assert [e["state"] for e in doc["exceptions"]] == ["active", "active", "expired", "unused"]


def test_hostile_payloads_stay_intact() -> None:
    result = make_result()
    doc = json.loads(dumps(result))
    names = [a["full_name"] for a in doc["accounts"]]
    assert f"นางสาว{SCRIPT}สมศรี ศรีสุข" in names
    assert HYPERLINK in names
    groups = [g for a in doc["accounts"] for g in a["groups"]]
    assert IMG in groups
    assert CONTROL in groups  # JSON keeps even control characters (escaped, not dropped)


def test_thai_is_written_as_is_with_indent_two(tmp_path: Path) -> None:
    path = write_json(make_result(), tmp_path / "findings.json")
    text = path.read_text(encoding="utf-8")
    assert "องค์การบริหารส่วนตำบลหนองบัวทอง" in text
    assert "\\u0e" not in text
    assert text.startswith('{\n  "schema"')
    assert text.endswith("}\n")
    assert json.loads(text) == to_json_dict(make_result())


def test_no_full_national_id_by_default() -> None:
    result = make_result()
    ids = [a.national_id for a in result.accounts if a.national_id]
    text = dumps(result)
    assert ids and not [i for i in ids if i in text]
    assert not FULL_ID.search(text)
    doc = json.loads(text)
    first = doc["accounts"][0]
    # The first account logs in with ThaiD: its username is the ID, masked too.
    assert first["username"] == first["national_id"]
    assert re.fullmatch(r"x-xxxx-xxxxx-\d\d-\d", first["national_id"])
    assert "x-xxxx-xxxxx-" in doc["findings"][0]["message"] or any(
        "x-xxxx-xxxxx-" in f["message"] for f in doc["findings"]
    )


def test_show_ids_keeps_every_id() -> None:
    result = make_result()
    text = dumps(result, show_ids=True)
    for account in result.accounts:
        assert account.national_id and account.national_id in text


def test_rendering_does_not_change_the_result() -> None:
    result = make_result()
    before = result.accounts[0].national_id
    dumps(result)
    assert result.accounts[0].national_id == before and before and before.isdigit()


def test_digests_and_finding_ids_are_not_mistaken_for_ids() -> None:
    result = make_result()
    digest = "1234567890123" + "a" * 51
    result.inputs[0].sha256 = digest
    result.findings[0].id = "1234567890123"
    doc = to_json_dict(result)
    assert doc["inputs"][0]["sha256"] == digest
    assert any(f["id"] == "1234567890123" for f in doc["findings"])


@pytest.mark.parametrize(
    "text",
    [
        "เลข {pid} ในหมายเหตุ",
        "ID:{pid}.",
        "{dashed}",
        "{spaced} คือเลขบัตร",
        "{thai}",
    ],
)
def test_ids_inside_text_are_masked_in_every_written_form(text: str) -> None:
    import random

    pid = thai_id(random.Random(7))
    dashed = f"{pid[0]}-{pid[1:5]}-{pid[5:10]}-{pid[10:12]}-{pid[12]}"
    spaced = dashed.replace("-", " ")
    thai = pid.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    raw = text.format(pid=pid, dashed=dashed, spaced=spaced, thai=thai)
    out = mask_text(raw)
    assert f"x-xxxx-xxxxx-{pid[10:12]}-{pid[12]}" in out
    assert pid not in out and dashed not in out and thai not in out


def test_longer_digit_runs_and_phone_numbers_are_left_alone() -> None:
    assert mask_text("0812345678") == "0812345678"
    assert mask_text("12345678901234") == "12345678901234"
    assert mask_deep({"sha256": "1234567890123", "x": ["1234567890123"]}) == {
        "sha256": "1234567890123",
        "x": [mask_text("1234567890123")],
    }


def test_odd_evidence_values_become_valid_json() -> None:
    result = make_result()
    result.findings[0].evidence = {
        "when": date(2026, 3, 1),
        "classes": {"cash", "procurement"},
        "score": math.nan,
        "path": Path("a/b.xlsx"),
    }
    doc = json.loads(dumps(result))
    ev = next(f["evidence"] for f in doc["findings"] if f["id"] == result.findings[0].id)
    assert ev == {
        "when": "2026-03-01",
        "classes": ["cash", "procurement"],
        "score": None,
        "path": "a/b.xlsx",
    }


# ---- the fast path (orjson + masking in the serialised text) equals the slow, plain one ----

def _slow(result: ReviewResult, show_ids: bool = False) -> object:
    return json.loads(_slow_bytes(result, show_ids))


@pytest.mark.parametrize("show_ids", [False, True])
def test_fast_path_equals_the_plain_path(show_ids: bool) -> None:
    result = make_result()
    assert to_json_dict(result, show_ids) == _slow(result, show_ids)


def test_fast_path_masks_ids_next_to_escapes_keys_and_kept_values() -> None:
    import random

    pid = thai_id(random.Random(11))
    dashed = f"{pid[0]}-{pid[1:5]}-{pid[5:10]}-{pid[10:12]}-{pid[12]}"
    result = make_result()
    result.findings[0].evidence = {
        "note": f"\n{pid}",  # a newline escape ("\n") right before the ID
        "quoted": f'"{pid}"\\',
        "tab": f"{dashed}\t{pid}",
        "slash": f"\\n{pid}",  # a real backslash and an "n": not an ID boundary
        pid: "a key is never masked",
        "id": pid,
        "sha256": pid,
        "number": int(pid),
        "nested": {"id": [pid]},  # a kept container: the slow path
        "list": [pid, "ไม่มีเลข", f"เลข {pid} ในหมายเหตุ"],
    }
    fast = to_json_dict(result)
    assert fast == _slow(result)
    ev = next(f["evidence"] for f in fast["findings"] if f["id"] == result.findings[0].id)
    assert pid not in ev["note"] and pid not in ev["tab"] and ev["slash"] == f"\\n{pid}"
    assert ev["id"] == pid and ev["sha256"] == pid and ev["number"] == int(pid)
    assert pid in ev  # the key


def test_fast_path_finds_ids_in_thai_digits_and_next_to_thai_letters() -> None:
    # No kept container here, so the fast path decides every line. Thai digits and the Thai
    # letters ฐ-น share their last UTF-8 byte range (90-99), which the line filter maps to "0".
    import random

    pid = thai_id(random.Random(12))
    thai = pid.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    mixed = thai[:6] + pid[6:]
    spaced = f"{pid[0]} {pid[1:5]} {pid[5:10]} {pid[10:12]} {pid[12]}"
    result = make_result()
    result.findings[0].evidence = {
        "thai": f"เลขประจำตัว {thai}",
        "mixed": mixed,
        "letters": f"ณน{pid}ธท",  # ฐ-น right before and after the ID
        "spaced": f"บัตร {spaced} ค่ะ",
        "list": [thai, "ฐฑฒณดตถทธน" * 3, f"{pid}"],
        "number": int(pid),
        "sha256": pid,
    }
    fast = to_json_dict(result)
    assert fast == _slow(result)
    ev = next(f["evidence"] for f in fast["findings"] if f["id"] == result.findings[0].id)
    text = repr(ev)
    for form in (pid, thai, mixed, spaced):
        assert form not in text.replace(str(int(pid)), "").replace(f"'sha256': '{pid}'", "")
    assert ev["letters"] == f"ณนx-xxxx-xxxxx-{pid[10:12]}-{pid[12]}ธท"
    assert ev["list"][1] == "ฐฑฒณดตถทธน" * 3 and ev["number"] == int(pid)



@pytest.mark.parametrize(
    ("evidence", "kept"),
    [
        ({"id": ["1101700203451"]}, True),
        ({"sha256": {"a": 1}}, True),
        ({"schema": []}, True),  # an empty list is written "[]"
        ({"id": {}}, True),
        ({"id": "1101700203451", "sha256": "ab", "schema": None}, False),
        ({"paid": ["x"], "ids": {"a": 1}, "id_": []}, False),  # other keys ending or starting so
        ({"note": '"id": [1101700203451]'}, False),  # the words inside a text: escaped quotes
        ({"หมายเหตุ": "รหัส id: [ไม่มี]"}, False),
    ],
)
def test_a_kept_key_holding_a_container_is_found_exactly(
    evidence: dict[str, object], kept: bool
) -> None:
    # The slow path is taken for such a container: mask_deep keeps its IDs whole.
    result = make_result(hostile=False)
    result.findings[0].evidence = evidence
    data = dumps(result, show_ids=True).encode("utf-8")  # as orjson writes it, unmasked
    reference = re.compile(rb'"(?:id|schema|sha256)": [\[{]')  # the regex it replaced
    assert _holds_kept_container(data) is kept is (reference.search(data) is not None)


_SMALL = make_result(n_accounts=12, hostile=False)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        # เ, ่ and ๐-๙ are E0 B9 xx in UTF-8 and ฐ ends in 90: the line filter maps such bytes
        # to "0", so they make false candidate runs around real digits.
        st.text(alphabet=st.sampled_from('0123456789๑๒๐๙- \n\t\\"\x01:กขเ่ฐaZ'), max_size=40),
        min_size=1, max_size=6,
    )
)
def test_fast_masking_matches_mask_deep_on_random_text(texts: list[str]) -> None:
    result = _SMALL
    pid = "1101700203451"
    result.accounts[0].full_name = "".join(texts)
    result.accounts[1].groups = [t + pid for t in texts]
    result.findings[0].evidence = {"id" if i == 0 else f"k{i}": t + pid[: i + 9]
                                   for i, t in enumerate(texts)}
    assert to_json_dict(result) == _slow(result)


def _documented(text: str, heading: str) -> set[str]:
    """The keys of the table under `heading` in docs/findings-json.md."""
    table = text.split(heading, 1)[1].split("\n|", 1)[1].split("\n\n", 1)[0]
    return {re.findall(r"`([a-z_0-9]+)`", line.split("|")[1])[0]
            for line in table.splitlines() if line.startswith("| `")}


def test_docs_findings_json_lists_every_finding_key() -> None:
    doc = to_json_dict(make_result())
    text = (Path(__file__).resolve().parent.parent / "docs" / "findings-json.md").read_text(
        encoding="utf-8")
    assert _documented(text, "### `findings[]`") == set(doc["findings"][0])
    assert _documented(text, "## Top level") == set(doc)
