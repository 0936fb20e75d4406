"""Thai name prefixes, first/last split and match keys (fictitious names only)."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from laas_audit import names
from laas_audit.names import (
    CANONICAL_PREFIX,
    PREFIXES,
    NameParts,
    name_key,
    name_key_parts,
    split_name,
)

PROPS = settings(max_examples=300, deadline=None)


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        ("นายสมชาย ใจดี", NameParts("นาย", "สมชาย", "ใจดี")),
        ("นาย สมชาย ใจดี", NameParts("นาย", "สมชาย", "ใจดี")),
        ("นางสมศรี รักไทย", NameParts("นาง", "สมศรี", "รักไทย")),
        ("นางสาวมาลี ศรีสุข", NameParts("นางสาว", "มาลี", "ศรีสุข")),
        ("น.ส.มาลี ศรีสุข", NameParts("นางสาว", "มาลี", "ศรีสุข")),
        ("น.ส. มาลี ศรีสุข", NameParts("นางสาว", "มาลี", "ศรีสุข")),
        ("นส.มาลี  ศรีสุข", NameParts("นางสาว", "มาลี", "ศรีสุข")),
        ("น. ส. มาลี ศรีสุข", NameParts("นางสาว", "มาลี", "ศรีสุข")),
        ("ด.ช.ก้องภพ มั่นคง", NameParts("เด็กชาย", "ก้องภพ", "มั่นคง")),
        ("ด.ญ.ขวัญใจ มั่นคง", NameParts("เด็กหญิง", "ขวัญใจ", "มั่นคง")),
        ("ดร.วีระพล ทองดี", NameParts("ดร.", "วีระพล", "ทองดี")),
        ("ผศ.ดร.วีระพล ทองดี", NameParts("ผศ. ดร.", "วีระพล", "ทองดี")),
        ("รศ. วีระพล ทองดี", NameParts("รศ.", "วีระพล", "ทองดี")),
        ("ศ.วีระพล ทองดี", NameParts("ศ.", "วีระพล", "ทองดี")),
        ("ว่าที่ร้อยตรีอนุชา แก้วมณี", NameParts("ว่าที่ร้อยตรี", "อนุชา", "แก้วมณี")),
        ("ว่าที่ ร.ต.อนุชา แก้วมณี", NameParts("ว่าที่ร้อยตรี", "อนุชา", "แก้วมณี")),
        ("ว่าที่ร.ต. อนุชา แก้วมณี", NameParts("ว่าที่ร้อยตรี", "อนุชา", "แก้วมณี")),
        ("ว่าที่ร้อยตรีหญิงวิภา แก้วมณี", NameParts("ว่าที่ร้อยตรีหญิง", "วิภา", "แก้วมณี")),
        ("ว่าที่ ร.ต.หญิง วิภา แก้วมณี", NameParts("ว่าที่ร้อยตรีหญิง", "วิภา", "แก้วมณี")),
        ("ว่าที่ร้อยตรี หญิง วิภา แก้วมณี", NameParts("ว่าที่ร้อยตรีหญิง", "วิภา", "แก้วมณี")),
        ("ว่าที่ ร.ต.(หญิง) วิภา แก้วมณี", NameParts("ว่าที่ร้อยตรีหญิง", "วิภา", "แก้วมณี")),
        ("ว่าที่ร้อยตรี (หญิง)วิภา แก้วมณี", NameParts("ว่าที่ร้อยตรีหญิง", "วิภา", "แก้วมณี")),
        ("ว่าที่ร้อยตรี ดร.อนุชา แก้วมณี", NameParts("ว่าที่ร้อยตรี ดร.", "อนุชา", "แก้วมณี")),
        ("ดร.นางวิภา แก้วมณี", NameParts("ดร. นาง", "วิภา", "แก้วมณี")),
        ("จ.ส.อ.ประยูร บุญมา", NameParts("จ.ส.อ.", "ประยูร", "บุญมา")),
        ("จ่าสิบเอกประยูร บุญมา", NameParts("จ.ส.อ.", "ประยูร", "บุญมา")),
        ("พ.ต.ท.ประยูร บุญมา", NameParts("พ.ต.ท.", "ประยูร", "บุญมา")),
        ("พ.ต.ท.หญิงวิภา บุญมา", NameParts("พ.ต.ท.หญิง", "วิภา", "บุญมา")),
        ("พ.ต.ท.(หญิง) วิภา บุญมา", NameParts("พ.ต.ท.หญิง", "วิภา", "บุญมา")),
        ("นส สุดารัตน์ มีทรัพย์", NameParts("นางสาว", "สุดารัตน์", "มีทรัพย์")),
        ("ร.ต.อ. ประยูร บุญมา", NameParts("ร.ต.อ.", "ประยูร", "บุญมา")),
        ("ร้อยตรีประยูร บุญมา", NameParts("ร.ต.", "ประยูร", "บุญมา")),
        ("ด.ต.ประยูร บุญมา", NameParts("ด.ต.", "ประยูร", "บุญมา")),
        ("ส.ต.อ.ประยูร บุญมา", NameParts("ส.ต.อ.", "ประยูร", "บุญมา")),
        ("พลฯประยูร บุญมา", NameParts("พลฯ", "ประยูร", "บุญมา")),
        ("Mr. Somchai Jaidee", NameParts("นาย", "Somchai", "Jaidee")),
        ("Mrs Malee Srisuk", NameParts("นาง", "Malee", "Srisuk")),
        ("Miss Malee Srisuk", NameParts("นางสาว", "Malee", "Srisuk")),
        ("MR. Somchai Jaidee", NameParts("นาย", "Somchai", "Jaidee")),  # any case
        ("mISS Malee Srisuk", NameParts("นางสาว", "Malee", "Srisuk")),
        ("DR.Somchai Jaidee", NameParts("ดร.", "Somchai", "Jaidee")),
        ("Ms. Malee Srisuk", NameParts("นางสาว", "Malee", "Srisuk")),
        # multi-word surname: first token is the first name, the rest the surname
        ("นายสมชาย ณ ป่าสัก", NameParts("นาย", "สมชาย", "ณ ป่าสัก")),
        # no prefix at all
        ("สมชาย ใจดี", NameParts(None, "สมชาย", "ใจดี")),
        ("สมชาย", NameParts(None, "สมชาย", "")),
        ("", NameParts(None, "", "")),
        # invisible characters and Thai digits do not matter
        ("นาย\u200bสมชาย\u00a0ใจดี", NameParts("นาย", "สมชาย", "ใจดี")),
    ],
)
def test_split_name(full: str, expected: NameParts) -> None:
    assert split_name(full) == expected


class TestAmbiguousGluedPrefixes:
    def test_longest_first_with_fallback(self) -> None:
        # "นางสาว" + "ิตรี" would cut a syllable: the prefix is "นาง", the name "สาวิตรี"
        assert split_name("นางสาวิตรี ใจดี") == NameParts("นาง", "สาวิตรี", "ใจดี")
        assert split_name("นางสาวสาวิตรี ใจดี") == NameParts("นางสาว", "สาวิตรี", "ใจดี")

    def test_name_that_starts_like_a_prefix_keeps_its_letters(self) -> None:
        # "คุณ" + "ากร" would cut a syllable
        assert split_name("คุณากร ใจดี") == NameParts(None, "คุณากร", "ใจดี")
        assert split_name("นายคุณากร ใจดี") == NameParts("นาย", "คุณากร", "ใจดี")

    def test_listed_first_names_are_not_split(self) -> None:
        assert "นางนวล" in names.NOT_PREFIXED_NAMES
        assert split_name("นางนวล ใจดี") == NameParts(None, "นางนวล", "ใจดี")
        assert split_name("นางสาวนางนวล ใจดี") == NameParts("นางสาว", "นางนวล", "ใจดี")
        assert split_name("นาง นวล ใจดี") == NameParts("นาง", "นวล", "ใจดี")

    def test_glued_prefix_needs_a_surname_left(self) -> None:
        assert split_name("นายสมชาย") == NameParts(None, "นายสมชาย", "")
        assert split_name("นาย สมชาย") == NameParts("นาย", "สมชาย", "")
        assert split_name("น.ส.มาลี") == NameParts("นางสาว", "มาลี", "")

    def test_bare_prefix_is_not_stripped_to_nothing(self) -> None:
        assert split_name("นาย") == NameParts(None, "นาย", "")
        assert split_name("น.ส.") == NameParts(None, "น.ส.", "")

    def test_english_prefix_needs_a_delimiter(self) -> None:
        assert split_name("Drake Smith") == NameParts(None, "Drake", "Smith")
        assert split_name("Missy Smith") == NameParts(None, "Missy", "Smith")

    def test_a_dotless_abbreviation_is_never_glued(self) -> None:
        assert split_name("นสสุดา มีทรัพย์") == NameParts(None, "นสสุดา", "มีทรัพย์")

    def test_silent_consonant_after_glued_prefix(self) -> None:
        # a consonant carrying ์ closes the previous syllable: not a new name
        assert split_name("นางค์ ใจดี").prefix is None


class TestKhun:
    """"คุณ" is an honorific only at the very start and with a space: คุณวุฒิ is a first name."""

    @pytest.mark.parametrize("first", ["คุณวุฒิ", "คุณภัทร", "คุณากร"])
    @pytest.mark.parametrize("prefix", ["นาย", "นาย ", "ว่าที่ร้อยตรี", "ดร.", "น.ส."])
    def test_never_stripped_after_another_prefix(self, prefix: str, first: str) -> None:
        parts = split_name(f"{prefix}{first} ใจดี")
        assert (parts.first, parts.last) == (first, "ใจดี")
        assert name_key(f"{prefix}{first} ใจดี") != name_key(f"นาย{first[3:]} ใจดี")

    def test_a_glued_khun_stays_in_the_first_name(self) -> None:
        assert split_name("คุณวุฒิ ใจดี") == NameParts(None, "คุณวุฒิ", "ใจดี")
        assert name_key("คุณวุฒิ ใจดี") == name_key("นายคุณวุฒิ ใจดี")
        assert name_key("คุณวุฒิ ใจดี") != name_key("นายวุฒิ ใจดี")

    def test_khun_with_a_space_at_the_start_is_the_honorific(self) -> None:
        assert split_name("คุณ วุฒิ ใจดี") == NameParts("คุณ", "วุฒิ", "ใจดี")
        assert split_name("คุณ.สมศรี ใจดี") == NameParts("คุณ", "สมศรี", "ใจดี")

    def test_the_other_reading_of_a_glued_khun(self) -> None:
        assert names.honorific_reading("คุณวุฒิ ใจดี") == name_key("นายวุฒิ ใจดี")
        assert names.honorific_reading("คุณสมศรี  ใจดี") == name_key("นางสมศรี ใจดี")

    @pytest.mark.parametrize(
        "full",
        [
            "นายคุณวุฒิ ใจดี",  # after another prefix: only a name
            "คุณ วุฒิ ใจดี",  # already the honorific
            "คุณากร ใจดี",  # "ากร" would cut a syllable
            "คุณวุฒิ",  # no surname: nothing left to tell by
            "วุฒิ ใจดี",
        ],
    )
    def test_no_other_reading(self, full: str) -> None:
        assert names.honorific_reading(full) == ""


class TestNotesInBrackets:
    """A nickname or a note in brackets is not the name (the caller keeps it for display)."""

    @pytest.mark.parametrize(
        "full",
        [
            "นายสมชาย (ต้น) ใจดี",
            "นายสมชาย ใจดี (ต้น)",
            "นายสมชาย(ต้น) ใจดี",
            "นายสมชาย ใจดี (จนท.พัสดุ)",
            "นายสมชาย ใจดี [ต้น]",
            "นายสมชาย ใจดี\uff08ต้น\uff09",  # full-width brackets
            "นายสมชาย ใจดี (ต้น",  # never closed
            "(ต้น) นายสมชาย ใจดี",  # a note before the name hides the prefix
        ],
    )
    def test_brackets_are_dropped(self, full: str) -> None:
        assert split_name(full) == NameParts("นาย", "สมชาย", "ใจดี")
        assert name_key(full) == name_key("นายสมชาย ใจดี")

    def test_a_glued_prefix_still_needs_a_surname_outside_the_brackets(self) -> None:
        assert split_name("นายสมชาย(ต้น)") == NameParts(None, "นายสมชาย", "")

    def test_a_name_all_in_brackets_is_kept(self) -> None:
        assert split_name("(ว่าง)") == NameParts(None, "(ว่าง)", "")

    def test_a_rank_keeps_its_bracketed_female_marker(self) -> None:
        assert split_name("ร.ต.(หญิง) วิภา บุญมา").prefix == "ร.ต.หญิง"


@pytest.mark.parametrize(
    ("prefix", "sex"),
    [
        ("นางสาว", "f"), ("นาง", "f"), ("ดร. นาง", "f"), ("ว่าที่ร้อยตรีหญิง", "f"),
        ("พ.ต.ท.หญิง", "f"), ("แพทย์หญิง", "f"), ("นาย", "m"), ("ว่าที่ร้อยตรี", "m"),
        ("จ.ส.อ.", "m"), ("นายแพทย์", "m"), ("ดร.", None), ("คุณ", None), (None, None),
    ],
)  # fmt: skip
def test_prefix_sex(prefix: str | None, sex: str | None) -> None:
    assert names.prefix_sex(prefix) == sex


class TestPrefixTable:
    def test_brief_prefixes_are_known(self) -> None:
        required = [
            "นาย", "นาง", "นางสาว", "น.ส.", "นส.", "ด.ช.", "ด.ญ.", "ดร.", "ผศ.", "รศ.", "ศ.",
            "ว่าที่ร้อยตรี", "ว่าที่ ร.ต.", "ว่าที่ร.ต.", "ว่าที่ร้อยตรีหญิง", "ว่าที่ ร.ต.หญิง",
            "ร.ต.", "ร.ท.", "ร.อ.", "พ.ต.", "พ.ท.", "พ.อ.", "จ.ส.อ.", "จ.ส.ท.", "จ.ส.ต.", "ส.อ.",
            "ส.ท.", "ส.ต.", "พ.ต.ต.", "พ.ต.ท.", "พ.ต.อ.", "ร.ต.ต.", "ร.ต.ท.", "ร.ต.อ.", "ด.ต.",
            "ส.ต.อ.", "พลฯ", "Mr.", "Mrs.", "Ms.", "Miss", "นส", "ว่าที่ร้อยตรี หญิง",
            "ว่าที่ ร.ต.(หญิง)", "ร.ต.(หญิง)",
        ]  # fmt: skip
        missing = [p for p in required if p not in PREFIXES]
        assert missing == []

    def test_longest_first(self) -> None:
        assert PREFIXES.index("นางสาว") < PREFIXES.index("นาง")
        assert PREFIXES.index("ว่าที่ร้อยตรีหญิง") < PREFIXES.index("ว่าที่ร้อยตรี")
        assert [len(p) for p in PREFIXES] == sorted((len(p) for p in PREFIXES), reverse=True)

    def test_canonical_forms(self) -> None:
        assert CANONICAL_PREFIX["น.ส."] == CANONICAL_PREFIX["นส."] == "นางสาว"
        assert CANONICAL_PREFIX["ว่าที่ ร.ต."] == "ว่าที่ร้อยตรี"
        assert CANONICAL_PREFIX["ร้อยตรี"] == "ร.ต."

    def test_new_prefix_can_be_taught(self, monkeypatch: pytest.MonkeyPatch) -> None:
        assert split_name("กำนันสมชาย ใจดี").prefix is None
        monkeypatch.setitem(CANONICAL_PREFIX, "กำนัน", "กำนัน")
        assert split_name("กำนันสมชาย ใจดี") == NameParts("กำนัน", "สมชาย", "ใจดี")
        del CANONICAL_PREFIX["กำนัน"]
        assert split_name("กำนันสมชาย ใจดี").prefix is None  # the remembered split is dropped

    def test_a_name_taught_not_prefixed_is_split_again(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        assert split_name("นางมาลี ใจดี") == NameParts("นาง", "มาลี", "ใจดี")
        monkeypatch.setattr(names, "NOT_PREFIXED_NAMES", names.NOT_PREFIXED_NAMES | {"นางมาลี"})
        assert split_name("นางมาลี ใจดี") == NameParts(None, "นางมาลี", "ใจดี")
        names.NOT_PREFIXED_NAMES.discard("นางมาลี")
        assert split_name("นางมาลี ใจดี") == NameParts("นาง", "มาลี", "ใจดี")


class TestKeys:
    def test_same_person_written_differently(self) -> None:
        key = name_key("นางสาวมาลี ศรีสุข")
        assert key == "มาลีศรีสุข"
        assert name_key("น.ส. มาลี  ศรีสุข") == key
        assert name_key("Miss มาลี ศรีสุข") == key
        assert name_key("มาลี\u200b ศรีสุข") == key
        assert name_key_parts("มาลี", "ศรีสุข") == key
        assert name_key_parts("น.ส.มาลี", "ศรีสุข") == key

    def test_decomposed_sara_am_matches(self) -> None:
        assert name_key("นายส\u0e4d\u0e32ราญ ใจดี") == name_key_parts("สำราญ", "ใจดี")

    def test_different_people_differ(self) -> None:
        assert name_key("นายสมชาย ใจดี") != name_key("นายสมชาย ใจงาม")
        assert name_key("นายสมชาย ใจดี") != name_key("นายสมชัย ใจดี")

    def test_multiword_surname(self) -> None:
        assert name_key("นายสมชาย ณ ป่าสัก") == name_key_parts("สมชาย", "ณป่าสัก")


# Fictitious Thai name parts, built from syllables.
_syllables = [
    "สม", "ชาย", "ศรี", "มา", "ลี", "วี", "ระ", "พล", "ทอง", "ดี", "แก้ว", "มณี",
    "อนุ", "ชา", "ประ", "ยูร", "บุญ", "สุข", "ใจ", "รัก", "ไทย", "เพ็ญ", "โชค", "กิตติ",
]  # fmt: skip
thai_word = st.lists(st.sampled_from(_syllables), min_size=1, max_size=3).map("".join)


def _starts_with_prefix(word: str) -> bool:
    return any(word.casefold().startswith(p.casefold().replace(" ", "")) for p in PREFIXES)


class TestProperties:
    @PROPS
    @given(
        st.sampled_from(PREFIXES),
        thai_word,
        st.lists(thai_word, min_size=1, max_size=2).map(" ".join),
        st.sampled_from(["", " "]),
    )
    def test_split_recovers_generated_parts(
        self, prefix: str, first: str, last: str, gap: str
    ) -> None:
        assume(not _starts_with_prefix(first))
        if (prefix[-1].isascii() and prefix[-1].isalpha()) or prefix in names.SPACED_ONLY:
            gap = " "  # English prefixes, "คุณ" and "นส" are written with a space
        parts = split_name(f"{prefix}{gap}{first} {last}")
        assert parts == NameParts(CANONICAL_PREFIX[prefix], first, last)
        assert name_key(f"{prefix}{gap}{first} {last}") == name_key_parts(first, last)

    @PROPS
    @given(thai_word, thai_word)
    def test_name_without_prefix_is_untouched(self, first: str, last: str) -> None:
        assume(not _starts_with_prefix(first))
        assert split_name(f"{first} {last}") == NameParts(None, first, last)


_SPELLINGS = sorted(CANONICAL_PREFIX)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_SPELLINGS), max_size=2),
    st.text(alphabet=st.sampled_from(list(" .สมชายใจดีเแโนางวKkſİMr")), max_size=12),
    st.sampled_from(["", " ใจดี", " ศรีสุข แก้วมณี"]),
)
def test_prefix_filter_agrees_with_trying_every_spelling(
    prefixes: list[str], middle: str, last: str
) -> None:
    # The literal-head filter in _strip_one is only a shortcut: it must never change a result.
    full = "".join(prefixes) + middle + last
    fast = names.split_name(full)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(names, "_PLAIN", re.compile("(?!)"))  # no text is "plain": every regex runs
        assert names.split_name(full) == fast


def test_name_parts_are_immutable_values() -> None:
    # split_name's memo hands the same NameParts to every caller: none may change it.
    parts = split_name("นายสมชาย ใจดี")
    with pytest.raises(AttributeError):
        parts.first = "สมศักดิ์"  # type: ignore[misc]
    assert parts == NameParts("นาย", "สมชาย", "ใจดี") and hash(parts) == hash(NameParts(*parts))
    assert split_name("นายสมชาย ใจดี") is parts
