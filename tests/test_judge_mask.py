"""judge.mask_result decides whether a result may hold an ID on the bytes of its JSON
(`judge._may_hold_id_utf8`), not on the decoded text with identifiers.may_hold_id: the two must
agree on every text, or a result quoting an ID would go unmasked."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jifen_check.identifiers import may_hold_id
from jifen_check.judge import _may_hold_id_utf8

# Characters near the edge of an ID's: ASCII digits and X, other letters, digits of other scripts
# (full-width, Arabic-Indic, superscript), Chinese, and characters whose UTF-8 bytes include 0xXX
# values of every kind.
_EDGE = "0123456789XxYy-*/ ０１２３٠١٢³Ｘ积分号码\u00b9\u0660\U0001d7ce\u3000\ufffd"


@given(st.lists(st.one_of(st.text(alphabet=_EDGE, max_size=24), st.text(max_size=8),
                          st.sampled_from(["110105194912310021", "11010519491231002X", "123456789", "1234567890"])),
                max_size=8))
def test_the_bytes_check_is_may_hold_id(parts: list[str]) -> None:
    text = "".join(parts)
    assert _may_hold_id_utf8(text.encode()) == may_hold_id(text)


def test_the_bytes_check_fires_on_a_quoted_id_and_not_on_a_mask() -> None:
    for text, held in (("身份证号 11010519491231002Y 校验位不符", True), ("110105********0021，2026-11-18", False),
                       ("x123456789X", True), ("123456789", False), ("１２３４５６７８９０１２", False)):
        assert _may_hold_id_utf8(text.encode()) is held is may_hold_id(text)
