"""Thai national ID cleaning, checksum, masking; cross-checked against python-stdnum."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.th import pin

from laas_audit.national_id import check_digit, clean_id, is_valid_id, make_id, mask_id

PROPS = settings(max_examples=300, deadline=None)

# Fictitious: made-up digits with a computed check digit (never a real person's ID).
FAKE = make_id("314159265358")
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")

first12 = st.text(st.sampled_from("0123456789"), min_size=11, max_size=11).map(
    lambda rest: "3" + rest
)
any13 = st.text(st.sampled_from("0123456789"), min_size=13, max_size=13)


def dashed(pid: str) -> str:
    return f"{pid[0]}-{pid[1:5]}-{pid[5:10]}-{pid[10:12]}-{pid[12]}"


class TestCleanId:
    def test_fake_id_is_valid(self) -> None:
        assert len(FAKE) == 13 and pin.is_valid(FAKE)

    @pytest.mark.parametrize(
        "raw",
        [
            FAKE,
            dashed(FAKE),
            " ".join([FAKE[0], FAKE[1:5], FAKE[5:10], FAKE[10:12], FAKE[12]]),
            "'" + FAKE,
            f"  {FAKE}\u00a0",
            f"{FAKE[:6]}\u200b{FAKE[6:]}",
            dashed(FAKE).translate(THAI_DIGITS),
            dashed(FAKE).translate(FULL_WIDTH_DIGITS),
            FAKE[:6].translate(FULL_WIDTH_DIGITS) + FAKE[6:].translate(THAI_DIGITS),
            FAKE + ".0",
            int(FAKE),
            float(FAKE),
            Decimal(FAKE + ".00"),
            f"{FAKE[0]}.{FAKE[1:]}E+12",
        ],
    )
    def test_accepted_forms(self, raw: object) -> None:
        assert clean_id(raw) == FAKE

    @pytest.mark.parametrize(
        "raw",
        [
            None,
            "",
            "-",
            True,
            FAKE[:12],
            FAKE + "9",
            1.5,
            float("nan"),
            float("inf"),
            f"{FAKE[0]}.{FAKE[1:6]}E+12",  # Excel's 6-digit display: digits are lost
            "ไม่มีเลขบัตร",
            [FAKE],
        ],
    )
    def test_rejected_forms(self, raw: object) -> None:
        assert clean_id(raw) is None

    def test_numpy_values_from_pandas(self) -> None:
        np = pytest.importorskip("numpy")
        assert clean_id(np.float64(float(FAKE))) == FAKE
        assert clean_id(np.int64(int(FAKE))) == FAKE
        assert clean_id(np.float64("nan")) is None

    def test_checksum_is_not_checked_by_clean_id(self) -> None:
        wrong = FAKE[:12] + str((int(FAKE[12]) + 1) % 10)
        assert clean_id(wrong) == wrong
        assert not is_valid_id(wrong)


class TestIsValid:
    def test_known_good_and_bad(self) -> None:
        assert is_valid_id(FAKE)
        assert not is_valid_id(dashed(FAKE))  # needs clean_id first
        assert not is_valid_id(FAKE.translate(THAI_DIGITS))

    def test_answers_are_the_same_when_remembered(self) -> None:
        # The memo is read first: only well-formed IDs may be found in it.
        bad = FAKE[:12] + str((int(FAKE[12]) + 1) % 10)
        for _ in range(2):
            assert is_valid_id(FAKE) and not is_valid_id(bad)
            assert not is_valid_id(FAKE + " ") and not is_valid_id(" " + FAKE)
            assert not is_valid_id("0" + FAKE[1:]) and not is_valid_id(int(FAKE))  # type: ignore[arg-type]

    @pytest.mark.parametrize("lead", ["0", "9"])
    def test_first_digit_must_be_1_to_8(self, lead: str) -> None:
        body = lead + FAKE[1:12]
        assert not is_valid_id(body + check_digit(body))

    def test_check_digit_formula_by_hand(self) -> None:
        # 1234567890121: sum d_i*(14-i) = 1*13+2*12+...+2*2 = 352; 352 mod 11 = 0; (11-0)%10 = 1
        assert check_digit("123456789012") == "1"

    def test_check_digit_rejects_bad_input(self) -> None:
        with pytest.raises(ValueError, match="12 ASCII digits"):
            check_digit("12345")

    @PROPS
    @given(any13)
    def test_agrees_with_stdnum(self, pid: str) -> None:
        assert is_valid_id(pid) == pin.is_valid(pid)

    @PROPS
    @given(any13, st.sampled_from(["", "-", " ", "'"]))
    def test_clean_then_validate_agrees_with_stdnum(self, pid: str, sep: str) -> None:
        raw = sep.join([pid[0], pid[1:5], pid[5:10], pid[10:12], pid[12]])
        cleaned = clean_id(raw)
        assert cleaned == pid
        assert is_valid_id(cleaned) == pin.is_valid(pid)


class TestMakeAndMask:
    @PROPS
    @given(first12)
    def test_make_id_always_valid(self, f12: str) -> None:
        pid = make_id(f12)
        assert pid.startswith(f12) and is_valid_id(pid) and pin.is_valid(pid)
        assert pid[12] == pin.calc_check_digit(f12)

    def test_make_id_refuses_impossible_lead(self) -> None:
        with pytest.raises(ValueError):
            make_id("012345678901")

    def test_mask_format(self) -> None:
        assert mask_id(FAKE) == f"x-xxxx-xxxxx-{FAKE[10:12]}-{FAKE[12]}"
        assert mask_id(dashed(FAKE)) == mask_id(FAKE)

    def test_mask_of_garbage_reveals_nothing(self) -> None:
        assert mask_id("12345") == "x-xxxx-xxxxx-xx-x"

    @PROPS
    @given(first12)
    def test_mask_never_leaks_more_than_last_three(self, f12: str) -> None:
        pid = make_id(f12)
        masked = mask_id(pid)
        digits = [c for c in masked if c.isdigit()]
        assert digits == list(pid[10:])
        assert masked.endswith(f"{pid[10:12]}-{pid[12]}")
