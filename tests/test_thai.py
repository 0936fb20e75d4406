"""Thai text normalisation: digits, SARA AM, invisible characters, whitespace, cell values."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from laas_audit.thai import cell_line, cell_text, fold, normalise_text, thai_digits_to_ascii

PROPS = settings(max_examples=300, deadline=None)

ZW = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
NBSP = "\u00a0"
DECOMPOSED_AM = "\u0e4d\u0e32"

# Text close to what exports hold: Thai letters, marks, digits, ASCII, and the troublemakers.
thai_chars = st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B)
troublemakers = st.sampled_from(
    [*ZW, NBSP, "\u0e4d", "\u0e32", "\u0e33", "\u0e49", " ", "\n", "\r", "\t", "\x00", "\u2028"]
)
texty = st.text(
    st.one_of(thai_chars, troublemakers, st.characters(codec="utf-8")), max_size=40
)


SLIP_SOUP = "กท\u0e40\u0e41\u0e31\u0e34\u0e35\u0e38\u0e47\u0e48\u0e49\u0e4c\u0e4d\u0e32 "


class TestTypingSlips:
    """Slips that look right on screen but compare unequal: Thai writes none of them."""

    @pytest.mark.parametrize(
        ("typed", "meant"),
        [
            ("นางสาวเเสงดาว เเก้วใส", "นางสาวแสงดาว แก้วใส"),  # SARA E twice for SARA AE
            ("นักวิชาการเงินเเละบัญชี", "นักวิชาการเงินและบัญชี"),
            ("ท\u0e48\u0e35", "ที่"),  # the tone mark typed before the vowel above it
            ("ผู้ช\u0e48\u0e27ยเจ\u0e49าพนักงานพัสดุ", "ผู้ช่วยเจ้าพนักงานพัสดุ"),  # (unchanged)
            ("สิทธ\u0e4c\u0e34", "สิทธิ์"),  # THANTHAKHAT before SARA I
            ("ที\u0e48\u0e48", "ที่"),  # a mark typed twice
            ("ป\u0e48\u0e39", "ปู่"),  # below the letter: NFC orders it
            ("เเ\u0e49ว\u0e4d\u0e32", "แ\u0e49วำ"),  # with SARA AM to recompose as well
        ],
    )
    def test_slips_are_written_as_meant(self, typed: str, meant: str) -> None:
        assert normalise_text(typed) == meant
        assert fold(typed) == fold(meant)

    def test_a_real_sara_e_and_marks_are_kept(self) -> None:
        for text in ("เเ", "เกษียณ", "เจ้าหน้าที่", "แก้ว", "เอ็ม", "ก็"):
            assert normalise_text(text) == (text if text != "เเ" else "แ")

    @PROPS
    @given(st.text(st.sampled_from(SLIP_SOUP), max_size=12))
    def test_slip_soup_normalises_once(self, s: str) -> None:
        once = normalise_text(s)
        assert normalise_text(once) == once
        assert "\u0e40\u0e40" not in once
        assert fold(fold(s)) == fold(s)


class TestDigits:
    def test_all_thai_digits_become_ascii(self) -> None:
        assert thai_digits_to_ascii("๐๑๒๓๔๕๖๗๘๙") == "0123456789"

    def test_other_text_is_untouched(self) -> None:
        assert thai_digits_to_ascii("ปี ๒๕๖๙ กอง 3") == "ปี 2569 กอง 3"

    def test_normalise_converts_digits(self) -> None:
        assert normalise_text("กองคลัง ๑") == "กองคลัง 1"

    def test_full_width_digits_become_ascii(self) -> None:
        # An ID typed with an East Asian input method, mixed with Thai digits
        assert thai_digits_to_ascii("３４０９๙００１２３４５１") == "3409900123451"
        assert normalise_text("เลขที่ ３-４๐๙") == "เลขที่ 3-409"
        assert normalise_text("ＡＢＣ") == "ＡＢＣ"  # only digits: full-width letters are kept


class TestSaraAm:
    def test_nikhahit_plus_sara_aa_is_recomposed(self) -> None:
        assert normalise_text("ก\u0e4d\u0e32ไร") == "กำไร"

    def test_tone_mark_between_nikhahit_and_sara_aa(self) -> None:
        # น + ไม้โท + นิคหิต + สระอา, as some keyboards/fonts produce "น้ำ"
        assert normalise_text("\u0e19\u0e49\u0e4d\u0e32") == "น้ำ"

    def test_tone_mark_after_nikhahit(self) -> None:
        assert normalise_text("\u0e19\u0e4d\u0e49\u0e32") == "น้ำ"

    def test_tone_mark_typed_after_sara_am_moves_before_it(self) -> None:
        assert normalise_text("น\u0e33\u0e49") == "น้ำ"

    def test_tone_marks_after_sara_am_twice_all_move(self) -> None:
        # Moving one tone mark exposes the next pair: "ำำ่" -> "ำ่ำ" -> "่ำำ".
        assert normalise_text("น\u0e33\u0e33\u0e48") == "น\u0e48\u0e33\u0e33"

    @PROPS
    @given(st.text(st.sampled_from("น\u0e33\u0e48\u0e49\u0e4d\u0e32"), max_size=10))
    def test_sara_am_fix_is_the_substitution_to_a_fixed_point(self, s: str) -> None:
        from laas_audit import thai

        expected = thai._SARA_AM_RE.sub(thai._sara_am, s)
        count = 1
        while count:
            expected, count = thai._AM_TONE_RE.subn("\\1" + thai.SARA_AM, expected)
        assert thai._fix_sara_am(s) == expected

    def test_correct_sara_am_is_kept(self) -> None:
        # NFKC would decompose this; we must not.
        assert normalise_text("ผู้อำนวยการกองคลัง") == "ผู้อำนวยการกองคลัง"
        assert "\u0e33" in normalise_text("กำนัน")

    def test_nikhahit_alone_is_kept(self) -> None:
        assert normalise_text("ก\u0e4d") == "ก\u0e4d"


class TestInvisibleAndSpaces:
    @pytest.mark.parametrize("ch", ZW)
    def test_zero_width_and_bom_removed(self, ch: str) -> None:
        assert normalise_text(f"สม{ch}ชาย") == "สมชาย"

    def test_nbsp_and_runs_of_space_collapse(self) -> None:
        assert normalise_text(f"  นาย{NBSP}สมชาย \t  ใจดี  ") == "นาย สมชาย ใจดี"

    def test_other_controls_removed(self) -> None:
        assert normalise_text("ก\x00ข\x07ค\u200eง") == "กขคง"

    def test_newlines_become_spaces_by_default(self) -> None:
        assert normalise_text("การเงิน\nบัญชี\r\nพัสดุ") == "การเงิน บัญชี พัสดุ"

    def test_keep_newlines_keeps_one_line_per_item(self) -> None:
        text = " เจ้าหน้าที่การเงิน \r\n\n  เจ้าหน้าที่บัญชี\u2028พัสดุ\n"
        assert normalise_text(text, keep_newlines=True) == (
            "เจ้าหน้าที่การเงิน\nเจ้าหน้าที่บัญชี\nพัสดุ"
        )

    def test_empty(self) -> None:
        assert normalise_text("") == ""
        assert normalise_text(f" {NBSP}\u200b\n") == ""


class TestFold:
    def test_case_dots_and_spaces_do_not_matter(self) -> None:
        assert fold("น.ส. สมศรี  ใจดี") == fold("นส สมศรี ใจดี") == "นสสมศรีใจดี"
        assert fold("Somchai.J") == fold("SOMCHAI J")

    def test_different_names_stay_different(self) -> None:
        assert fold("สมศรี ใจดี") != fold("สมศรี ใจงาม")


class TestCellText:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (None, ""),
            ("  นาย\u00a0สมชาย ", "นาย สมชาย"),
            ("การเงิน\nบัญชี", "การเงิน\nบัญชี"),
            (True, "TRUE"),
            (False, "FALSE"),
            (42, "42"),
            (1234567890123.0, "1234567890123"),
            (1.234567890123e12, "1234567890123"),
            (3.0, "3"),
            (2.5, "2.5"),
            (1e-7, "0.0000001"),
            (-4.0, "-4"),
            (float("nan"), ""),
            (Decimal("1234567890121.00"), "1234567890121"),
            (Decimal("12.50"), "12.5"),
            (datetime(2026, 7, 15), "2026-07-15"),
            (datetime(2569, 7, 15, 10, 15), "2569-07-15 10:15:00"),
            (date(2026, 7, 15), "2026-07-15"),
            (time(10, 15), "10:15:00"),
        ],
    )
    def test_values(self, value: object, expected: str) -> None:
        assert cell_text(value) == expected
        # cell_line: the same on one line (text normalised flat, other values' lines joined)
        line = normalise_text(value) if isinstance(value, str) else expected.replace("\n", " ")
        assert cell_line(value) == line
        assert cell_text(value) == expected and cell_line(value) == line  # memo hits alike

    def test_pandas_and_numpy_values(self) -> None:
        np = pytest.importorskip("numpy")
        pd = pytest.importorskip("pandas")
        assert cell_text(pd.NaT) == ""
        assert cell_text(pd.NA) == ""
        assert cell_text(np.nan) == ""
        assert cell_text(np.float64(1234567890121.0)) == "1234567890121"
        assert cell_text(np.int64(7)) == "7"
        assert cell_text(pd.Timestamp("2026-07-15")) == "2026-07-15"

    @PROPS
    @given(st.integers(min_value=10**12, max_value=10**13 - 1))
    def test_integral_floats_print_as_integers(self, n: int) -> None:
        assert cell_text(float(n)) == str(n)


class TestProperties:
    @PROPS
    @given(texty, st.booleans())
    def test_idempotent(self, s: str, keep: bool) -> None:
        once = normalise_text(s, keep_newlines=keep)
        assert normalise_text(once, keep_newlines=keep) == once

    @PROPS
    @given(st.text(st.sampled_from("น\u0e4d\u0e32\u0e33\u0e48\u0e49 .\u200b\n"), max_size=12))
    def test_idempotent_on_mark_soup(self, s: str) -> None:
        once = normalise_text(s)
        assert normalise_text(once) == once
        assert DECOMPOSED_AM not in once
        assert fold(fold(s)) == fold(s)

    @PROPS
    @given(texty, st.booleans())
    def test_no_invisible_or_decomposed_left(self, s: str, keep: bool) -> None:
        out = normalise_text(s, keep_newlines=keep)
        for ch in [*ZW, NBSP, "\t", "\r"]:
            assert ch not in out
        assert DECOMPOSED_AM not in out
        assert "  " not in out
        assert out == out.strip()
        assert not any(unicodedata.category(c) in ("Cf", "Cc") and c != "\n" for c in out)
        if not keep:
            assert "\n" not in out
        assert not any("๐" <= c <= "๙" for c in out)

    @PROPS
    @given(
        st.text(st.one_of(thai_chars, st.sampled_from("abcABC .")), min_size=1, max_size=20),
        st.lists(st.sampled_from([*ZW, NBSP, " ", "  ", "."]), max_size=5),
        st.data(),
    )
    def test_fold_ignores_inserted_invisibles(
        self, s: str, junk: list[str], data: st.DataObject
    ) -> None:
        noisy = s
        for j in junk:
            pos = data.draw(st.integers(min_value=0, max_value=len(noisy)))
            noisy = noisy[:pos] + j + noisy[pos:]
        assert fold(noisy) == fold(s)


def test_fold_ignores_a_space_between_thai_marks() -> None:
    # Found by hypothesis in CI: NFC reordered marks differently once the space was gone.
    for clean in ("AAAA\u0e38\u0e38\u0e48", "AAAA\u0e33\u0e48\u0e38"):
        for junk in (" ", "  ", "\xa0", "\u200b", "."):
            for pos in range(4, len(clean) + 1):
                assert fold(clean[:pos] + junk + clean[pos:]) == fold(clean)


def test_the_quick_check_sees_every_character_normalising_changes() -> None:
    # normalise_text skips str.translate for printable text without Thai or full-width digits:
    # every character the tables change must be unprintable or one of those digits.
    from laas_audit import thai

    for table in (thai._FLAT_TABLE, thai._KEEP_TABLE):
        for cp in table:
            ch = chr(cp)
            assert not ch.isprintable() or thai._WIDE_DIGITS.fullmatch(ch), hex(cp)
    digits = {chr(cp) for cp in range(0x10000) if thai._WIDE_DIGITS.fullmatch(chr(cp))}
    assert digits == {chr(cp) for cp in thai._DIGIT_TABLE}
    # And so the text reads the same as translated, each changed character between letters.
    for cp in thai._FLAT_TABLE:
        text = f"ก{chr(cp)}ข a{chr(cp)}b"
        for keep, table in ((False, thai._FLAT_TABLE), (True, thai._KEEP_TABLE)):
            expected = thai._normalise(text.translate(table), keep)
            assert thai._normalise(text, keep) == expected, hex(cp)


@PROPS
@given(texty)
def test_fold_of_printable_text_is_fold_through_the_regex(s: str) -> None:
    # fold drops spaces and dots with str.replace when the text is printable (no invisibles
    # to drop): the key must be the one the regex path gives.
    from laas_audit import thai

    bare = thai._FOLD_PRE_DELETE.sub("", s)
    expected = normalise_text(bare).casefold().replace(" ", "").replace(".", "")
    assert fold(s) == expected
    assert fold(s + " .") == expected  # the same text, printable, with what fold drops


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=20), st.booleans())
def test_normalising_text_with_nothing_to_translate_is_the_same_as_translating(
    text: str, keep: bool
) -> None:
    from laas_audit import thai

    table = thai._KEEP_TABLE if keep else thai._FLAT_TABLE
    expected = thai._normalise(text.replace("\r\n", "\n").translate(table), keep)
    assert thai._normalise(text, keep) == expected
