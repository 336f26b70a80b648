"""Resident ID numbers (GB 11643) and 统一社会信用代码 (GB 32100)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jifen_check.identifiers import (
    USCC_CHARSET,
    check_id_number,
    check_uscc,
    id_birth_date,
    id_check_char,
    make_id_number,
    make_uscc,
    mask_id,
    uscc_check_char,
    uscc_is_shanghai,
    uscc_region,
)

TODAY = dt.date(2026, 11, 18)

# --- resident ID -------------------------------------------------------------------------------

# The acceptance cases' valid applicants, and a widely published valid example.
VALID_IDS = [
    "320102199605101239",
    "320102198607071235",
    "320102199104041231",
    "320102199501151231",
    "11010519491231002X",
]


@pytest.mark.parametrize("number", VALID_IDS)
def test_valid_ids(number: str) -> None:
    assert check_id_number(number, today=TODAY) == []


def test_acceptance_bad_id_fails_on_check_char() -> None:
    # bad-id-number.yaml: the check character of 32010219900101123 is 2, not 1.
    assert check_id_number("320102199001011231", today=TODAY) == ["身份证号码校验位应为 2，实际为 1"]


def test_formats_md_example_has_a_wrong_check_char() -> None:
    # The example in formats.md (32010219900307123X) is not a valid number: its check char is 9.
    assert id_check_char("32010219900307123") == "9"
    assert check_id_number("32010219900307123X", today=TODAY) == ["身份证号码校验位应为 9，实际为 X"]


@pytest.mark.parametrize(
    ("first17", "char"),
    [("11010519491231002", "X"), ("32010219960510123", "9"), ("32010219860707123", "5"),
     ("32010219910404123", "1"), ("32010219900101123", "2")],
)
def test_id_check_char(first17: str, char: str) -> None:
    assert id_check_char(first17) == char


@pytest.mark.parametrize("bad", ["1234", "1101051949123100X", "a1010519491231002"])
def test_id_check_char_rejects_non_17_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        id_check_char(bad)


def test_lowercase_x_is_accepted() -> None:
    assert check_id_number("11010519491231002x", today=TODAY) == []
    assert mask_id("11010519491231002x") == "110105********002X"


def test_spaces_are_ignored() -> None:
    assert check_id_number(" 110105 19491231 002X ", today=TODAY) == []


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("32010219960510123", "应为 18 位，实际为 17 位"),
        ("3201021996051012390", "应为 18 位，实际为 19 位"),
        ("", "实际为 0 位"),
        ("32010219960510A239", "前 17 位应全为数字"),
        ("32010219960510123Y", "校验位应为 9，实际为 Y"),
    ],
)
def test_id_shape_problems(number: str, fragment: str) -> None:
    problems = check_id_number(number, today=TODAY)
    assert any(fragment in p for p in problems), problems


def test_invalid_birth_date_reported() -> None:
    number = make_id_number("320102", dt.date(1990, 1, 1), "123")
    bad = number[:10] + "0230" + number[14:17]  # 1990-02-30
    problems = check_id_number(bad + id_check_char(bad), today=TODAY)
    # Issue 9 #9: the message no longer quotes the birth digits (the part the mask hides).
    assert problems == ["身份证号码第 7–14 位应为出生日期 YYYYMMDD，现在不是有效日期"]
    assert "19900230" not in problems[0]


def test_future_birth_date_reported() -> None:
    number = make_id_number("320102", dt.date(2030, 1, 1), "123")
    assert any("晚于今天" in p for p in check_id_number(number, today=TODAY))
    assert check_id_number(number, today=dt.date(2031, 1, 1)) == []


def test_birth_before_1900_reported() -> None:
    number = make_id_number("320102", dt.date(1899, 12, 31), "123")
    assert any("不早于 1900" in p for p in check_id_number(number, today=TODAY))


def test_bad_area_code_reported() -> None:
    number = make_id_number("990102", dt.date(1990, 1, 1), "123")
    assert check_id_number(number, today=TODAY) == [
        "身份证号码前两位应为省级行政区划代码（如 31 上海、32 江苏），实际为 99"
    ]


def test_several_problems_reported_together() -> None:
    first17 = "99010219900230123"
    problems = check_id_number(first17 + "0", today=TODAY)
    assert len(problems) == 3  # area, birth date, check character


def test_id_birth_date() -> None:
    assert id_birth_date("320102199605101239") == dt.date(1996, 5, 10)
    assert id_birth_date("11010519491231002x") == dt.date(1949, 12, 31)
    assert id_birth_date("320102199002301231") is None
    assert id_birth_date("3201") is None


def test_make_id_number() -> None:
    assert make_id_number("110105", dt.date(1949, 12, 31), "002") == "11010519491231002X"
    assert make_id_number("320102", dt.date(1996, 5, 10), "123") == "320102199605101239"
    with pytest.raises(ValueError):
        make_id_number("32010", dt.date(1996, 5, 10), "123")
    with pytest.raises(ValueError):
        make_id_number("320102", dt.date(1996, 5, 10), "12")


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("32010219900307123X", "320102********123X"),
        ("320102199605101239", "320102********1239"),
        ("", ""),
        ("1", "*"),
        ("12345", "1***5"),
        ("123456789012", "1234*****012"),
        ("3201021996051012390000", "320102************0000"),
    ],
)
def test_mask_id(raw: str, masked: str) -> None:
    assert mask_id(raw) == masked


id_parts = st.tuples(
    st.sampled_from(["110105", "310115", "320102", "440305", "650102", "820000"]),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY),
    st.from_regex(r"\A[0-9]{3}\Z"),
)


@given(id_parts)
def test_made_ids_always_pass(parts: tuple[str, dt.date, str]) -> None:
    area, birth, seq = parts
    number = make_id_number(area, birth, seq)
    assert check_id_number(number, today=TODAY) == []
    assert id_birth_date(number) == birth


@given(id_parts, st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_any_single_digit_change_is_caught(parts: tuple[str, dt.date, str], pos: int, delta: int) -> None:
    number = make_id_number(*parts)
    changed = number[:pos] + str((int(number[pos]) + delta) % 10) + number[pos + 1 :]
    assert check_id_number(changed, today=TODAY) != []


@given(st.text(max_size=60))
def test_mask_never_reveals_more_than_10(raw: str) -> None:
    masked = mask_id(raw)
    shown = sum(c != "*" for c in masked)
    assert shown <= 10
    assert shown <= len(masked) // 2 + 1


@given(st.text(max_size=40))
def test_checks_never_raise(raw: str) -> None:
    assert isinstance(check_id_number(raw, today=TODAY), list)
    assert isinstance(check_uscc(raw), list)
    id_birth_date(raw)


# --- 统一社会信用代码 ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["91310115MA1K3P7Q01", "91350100M000100Y43"])
def test_valid_uscc(code: str) -> None:
    assert check_uscc(code) == []


def test_acceptance_employer_uscc_is_valid_and_shanghai() -> None:
    code = "91310115MA1K3P7Q01"
    assert uscc_check_char(code[:17]) == "1"
    assert uscc_region(code) == "310115"
    assert uscc_is_shanghai(code)


def test_fujian_example_is_not_shanghai() -> None:
    assert uscc_region("91350100M000100Y43") == "350100"
    assert not uscc_is_shanghai("91350100M000100Y43")


def test_uscc_check_char_mismatch() -> None:
    assert check_uscc("91310115MA1K3P7Q02") == ["统一社会信用代码校验位应为 1，实际为 2"]


def test_uscc_lowercase_accepted() -> None:
    assert check_uscc("91310115ma1k3p7q01") == []


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("91310115MA1K3P7Q0", "应为 18 位，实际为 17 位"),
        ("91310115MA1K3P7QO1", "第 17 位「O」"),  # letter O for digit 0
        ("9131011SMA1K3P7Q01", "第 8 位「S」"),
        ("91AB0115MA1K3P7Q01", "第 3–8 位"),
    ],
)
def test_uscc_problems(code: str, fragment: str) -> None:
    problems = check_uscc(code)
    assert any(fragment in p for p in problems), problems


def test_uscc_national_registration_accepted() -> None:
    # Bodies registered by a central authority carry division code 100000.
    assert check_uscc(make_uscc("11100000MB0000000")) == []


def test_make_uscc() -> None:
    assert make_uscc("91310115MA1K3P7Q0") == "91310115MA1K3P7Q01"
    assert make_uscc("91350100M000100Y4") == "91350100M000100Y43"
    with pytest.raises(ValueError):
        make_uscc("91310115MA1K3P7Q")
    with pytest.raises(ValueError):
        make_uscc("91310115MA1K3P7QI")


uscc_prefixes = st.tuples(
    st.sampled_from("159Y"),
    st.sampled_from("123"),
    st.sampled_from(["310115", "310104", "310101", "320506", "100000", "440300"]),
    st.text(alphabet=USCC_CHARSET, min_size=9, max_size=9),
).map("".join)


@given(uscc_prefixes)
def test_made_uscc_always_pass(prefix: str) -> None:
    code = make_uscc(prefix)
    assert check_uscc(code) == []
    assert uscc_is_shanghai(code) == prefix[2:4].startswith("31")


@given(uscc_prefixes, st.integers(min_value=0, max_value=16), st.sampled_from(USCC_CHARSET))
def test_any_single_char_change_is_caught(prefix: str, pos: int, new: str) -> None:
    code = make_uscc(prefix)
    changed = code[:pos] + new + code[pos + 1 :]
    if changed != code:
        assert check_uscc(changed) != []


# --- id_candidates skips short ASCII values without normalising them (issue 13): same answers as
# the plain definition, normalise everything and test it.

_ID_VALUES = st.one_of(
    st.text(max_size=22),
    st.sampled_from(["110105194912310021", "11010519491231002x", "1101 0519 4912 3100 2X", "ß" * 9 + "x",
                     "123456789", "1234567890", "2024-01..2024-12", "ﬀ" * 5]),
    st.integers(min_value=0, max_value=10**19),
)
_ID_DOCS = st.recursive(_ID_VALUES, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.sampled_from(["id_number", "IdNumber", "身份证号", "证件", "base", "note", "x"]), inner,
                    max_size=3)), max_leaves=20)


def _candidates_by_definition(doc: object) -> set[str]:
    from jifen_check import identifiers as ids

    found: set[str] = set()
    stack: list[tuple[str, object]] = [("", doc)]
    while stack:
        key, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((str(k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((key, v) for v in value)
        elif isinstance(value, str | int) and not isinstance(value, bool):
            text = ids.normalize_id(str(value))
            named = any(k in key.casefold() for k in ids._ID_KEYS)
            if len(text) >= ids.PIECE and (named and ids._DIGIT_RUN.search(text) or ids._ID_SHAPE.fullmatch(text)):
                found.add(text)
    return found


@given(_ID_DOCS)
def test_id_candidates_agree_with_their_definition(doc: object) -> None:
    from jifen_check.identifiers import id_candidates

    assert id_candidates(doc) == _candidates_by_definition(doc)


# --- mask_result looks for ID candidates only where the result's text could hold one
# (identifiers.may_hold_id): a text without a run of 10 [0-9Xx] is never changed by scrub_text.

@given(_ID_DOCS, st.lists(st.one_of(st.text(max_size=12), st.sampled_from(["1101 0519", "X", "2024-01", "0123456"])),
                          max_size=6), st.data())
def test_a_text_may_hold_no_id_unless_it_has_a_long_run(doc: object, parts: list[str], data: st.DataObject) -> None:
    from jifen_check.identifiers import id_candidates, may_hold_id, scrub_text

    ids = id_candidates(doc)
    # the text quotes the input's values (normalised or not) among other text, as messages do
    quoted = [str(v) for v in _leaves(doc)] + sorted(ids)
    text = "".join(parts + data.draw(st.lists(st.sampled_from(quoted), max_size=4)) if quoted else parts)
    if not may_hold_id(text):
        assert scrub_text(text, ids) == text
    if any(i in text for i in ids):
        assert may_hold_id(text)  # a candidate quoted verbatim always counts


def _leaves(doc: object) -> list[object]:
    if isinstance(doc, dict):
        return [x for v in doc.values() for x in _leaves(v)]
    if isinstance(doc, list):
        return [x for v in doc for x in _leaves(v)]
    return [doc]


def test_may_hold_id_fires_on_a_quoted_id_and_not_on_a_mask() -> None:
    """A message quoting a mistyped ID goes on to be scrubbed; the masked ID and dates do not."""
    from jifen_check.identifiers import may_hold_id

    assert may_hold_id("身份证号 11010519491231002Y 校验位不符") and not may_hold_id("110105********0021，2026-11-18")


def test_a_judgement_calls_its_as_of_date_the_application_date() -> None:
    """QA D11: judged on an as-of date, a birth after it is 「晚于申请日期」, not 「晚于今天」 (the web form's
    live check, with no as-of date, keeps 今天)."""
    from builders import base_applicant, tweak

    from jifen_check.judge import judge

    number = make_id_number("320102", dt.date(2026, 11, 20), "123")
    r = judge(tweak(base_applicant(), person__id_number=number))
    messages = [f.message for f in r.findings if f.rule == "DATA-ID-NUMBER"]
    assert r.verdict == "invalid_input" and any("出生日期晚于申请日期 2026-11-18" in m for m in messages)
    assert not any("今天" in m for m in messages)
