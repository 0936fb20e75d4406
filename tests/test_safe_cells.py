"""National-ID masking in text: the pattern searched for speed finds exactly what it always did."""

from __future__ import annotations

import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from laas_audit.safe_cells import mask_text
from tests.result_factory import thai_id

_DIGIT = "[0-9\u0e50-\u0e59]"
# The pattern as first written (a look-behind at every character): the reference for the
# digit-led one `mask_text` searches with.
_REFERENCE = re.compile(
    rf"(?<![0-9A-Za-z\u0e50-\u0e59])"
    rf"({_DIGIT}{{13}}|{_DIGIT}([- ]){_DIGIT}{{4}}\2{_DIGIT}{{5}}\2{_DIGIT}{{2}}\2{_DIGIT})"
    rf"(?![0-9A-Za-z\u0e50-\u0e59])"
)


def _masked_by_reference(text: str) -> str:
    return _REFERENCE.sub(lambda m: mask_text(m.group(1)), text)


_PID = thai_id(random.Random(31))
_THAI_PID = _PID.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet=st.sampled_from("0123456789๐๕๙- aZกเ่_.(\n"), max_size=20),
            st.sampled_from([_PID, _THAI_PID, _PID[:6] + _THAI_PID[6:], "-".join(_PID),
                             f"{_PID[0]} {_PID[1:5]} {_PID[5:10]} {_PID[10:12]} {_PID[12]}",
                             f"{_PID[0]}-{_PID[1:5]}-{_PID[5:10]}-{_PID[10:12]}-{_PID[12]}"]),
        ),
        max_size=6,
    )
)
def test_mask_text_masks_exactly_what_the_reference_pattern_finds(parts: list[str]) -> None:
    text = "".join(parts)
    assert mask_text(text) == _masked_by_reference(text)


def test_ids_at_the_edges_and_beside_letters() -> None:
    dashed = f"{_PID[0]}-{_PID[1:5]}-{_PID[5:10]}-{_PID[10:12]}-{_PID[12]}"
    shown = f"x-xxxx-xxxxx-{_PID[10:12]}-{_PID[12]}"
    cases = {
        _PID: shown,  # the whole text
        _THAI_PID: shown,
        dashed: shown,
        "0000000000000": "x-xxxx-xxxxx-00-0",  # any 13 digits, valid or not
        f"นายสมชาย ใจดี ({_PID})": f"นายสมชาย ใจดี ({shown})",
        f"บัตร{_THAI_PID}": f"บัตร{shown}",  # a Thai letter is no part of a token
        f"{dashed}, {_PID}": f"{shown}, {shown}",
        f"A{_PID}": f"A{_PID}",  # inside a longer token (a digest, a code): left alone
        f"{_PID}f": f"{_PID}f",
        f"9{_PID}": f"9{_PID}",
        f"๙{_PID}": f"๙{_PID}",
        f"{_PID}{_PID}": f"{_PID}{_PID}",
    }
    for _ in range(2):  # the second time, IDs alone come from the masked forms kept
        for text, expected in cases.items():
            assert mask_text(text) == expected == _masked_by_reference(text), text
