"""The bounded memo every hot function stores its answers with."""

from __future__ import annotations

from laas_audit.memo import remember


def test_remember_stores_and_returns_the_value() -> None:
    memo: dict[str, str] = {}
    assert remember(memo, "นางสาวสมศรี ใจดี", "สมศรี") == "สมศรี"
    assert memo == {"นางสาวสมศรี ใจดี": "สมศรี"}


def test_a_full_memo_is_emptied_before_the_next_value() -> None:
    memo = {f"กลุ่ม{i}": i for i in range(3)}
    remember(memo, "กองคลัง", 9, limit=3)
    assert memo == {"กองคลัง": 9}  # bounded: a long batch never grows it past the limit
    remember(memo, "สำนักปลัด", 10, limit=3)
    assert memo == {"กองคลัง": 9, "สำนักปลัด": 10}
