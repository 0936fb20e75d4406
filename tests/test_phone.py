"""Thai mobile numbers as exports write them (LA404: the finance head's working mobile)."""

from __future__ import annotations

import pytest

from laas_audit.phone import mobile_number


@pytest.mark.parametrize(
    ("cell", "mobile"),
    [
        ("0812345678", "0812345678"),
        ("081-234-5678", "0812345678"),
        ("081 234 5678", "0812345678"),
        ("๐๘๑-๒๓๔-๕๖๗๘", "0812345678"),
        ("+66 81 234 5678", "0812345678"),
        ("+66 (0)81 234 5678", "0812345678"),
        ("66812345678", "0812345678"),
        ("612345678", "0612345678"),  # a number cell: Excel dropped the leading 0
        ("044-123456, 089 123 4567", "0891234567"),  # the first mobile among several
        ("0912345678 หรือ 044-123456", "0912345678"),
    ],
)
def test_a_thai_mobile_in_its_usual_forms(cell: str, mobile: str) -> None:
    assert mobile_number(cell) == mobile


@pytest.mark.parametrize(
    "cell",
    [
        "",
        None,
        "044-123456",  # a landline
        "02-241-5000 ต่อ 1607",
        "081234567",  # a digit short
        "08123456789",  # a digit too many
        "0712345678",  # 07 is no mobile prefix
        "ไม่มี",
    ],
)
def test_what_is_not_a_thai_mobile(cell: str | None) -> None:
    assert mobile_number(cell) is None


@pytest.mark.parametrize(
    ("cell", "mobile"),
    [
        ("081-725-4410 (มือถือ)", "0817254410"),
        ("มือถือ 081-725-4410", "0817254410"),
        ("โทร. 081-725-4410", "0817254410"),
        ("Tel. 081.725.4410", "0817254410"),
        ("081–725–4410", "0817254410"),  # en dashes (Word/LINE autocorrect)
        ("081—725—4410", "0817254410"),  # em dashes
        ("(081) 725 4410", "0817254410"),
        ("081/725/4410", "0817254410"),
        ("+66-81-725-4410 มือถือ", "0817254410"),
        ("044-123456 081-725-4410", "0817254410"),  # office then mobile, no comma
        ("โทร 044-123456 มือถือ ๐๘๑-๗๒๕-๔๔๑๐", "0817254410"),
    ],
)
def test_a_mobile_written_with_words_or_odd_separators(cell: str, mobile: str) -> None:
    assert mobile_number(cell) == mobile


@pytest.mark.parametrize(
    "cell",
    [
        "โทร. 044-123456 (สำนักงาน)",  # a landline with words
        "044-0812345678",  # a mobile's digits inside a longer number
        "081-725-4410-5",  # one digit too many, joined by a dash
        "3401500672310",  # a national ID holds no mobile
        "มือถือ 081-725-441",  # a digit short
    ],
)
def test_no_mobile_inside_other_numbers(cell: str) -> None:
    assert mobile_number(cell) is None
