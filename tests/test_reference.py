"""Reference data: the cities table, the holiday calendar, and the place look-ups."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jifen_check import reference
from jifen_check.reference import (
    ReferenceDataError,
    load_cities,
    load_holidays,
    normalize_province,
    province_code_valid,
    province_of,
    same_province,
)

MUNICIPALITIES = {"北京", "天津", "上海", "重庆"}
SARS_AND_TAIWAN = {"香港", "澳门", "台湾"}


def _prefecture_entries() -> list[str]:
    table = load_cities()
    skip = MUNICIPALITIES | SARS_AND_TAIWAN
    return [c for short, p in table.provinces.items() if short not in skip for c in p.cities]


# --- the cities table -------------------------------------------------------------------------


def test_table_has_all_34_provincial_divisions() -> None:
    table = load_cities()
    assert len(table.provinces) == 34
    assert MUNICIPALITIES | SARS_AND_TAIWAN <= set(table.provinces)
    assert {"江苏", "广西", "内蒙古", "新疆", "西藏", "宁夏"} <= set(table.provinces)


def test_every_prefecture_level_division_is_listed() -> None:
    entries = _prefecture_entries()
    assert len(entries) >= 330
    # 293 地级市 + 7 地区 + 30 自治州 + 3 盟 (民政部).
    assert len(entries) == 333
    assert sum(e.endswith("自治州") for e in entries) == 30
    assert sum(e.endswith("地区") for e in entries) == 7
    assert sum(e.endswith("盟") for e in entries) == 3


def test_every_province_has_a_city_and_a_two_digit_code() -> None:
    for short, prov in load_cities().provinces.items():
        assert prov.cities, short
        assert len(prov.code) == 2 and prov.code.isdigit(), short


def test_city_names_drop_shi_but_autonomous_prefectures_keep_full_names() -> None:
    jiangsu = load_cities().provinces["江苏"]
    assert "南京" in jiangsu.cities and "南京市" not in jiangsu.cities
    assert "延边朝鲜族自治州" in load_cities().provinces["吉林"].cities
    assert "阿克苏地区" in load_cities().provinces["新疆"].cities
    assert "锡林郭勒盟" in load_cities().provinces["内蒙古"].cities


@pytest.mark.parametrize(
    ("short", "full", "code"),
    [("北京", "北京市", "11"), ("江苏", "江苏省", "32"), ("广西", "广西壮族自治区", "45"),
     ("新疆", "新疆维吾尔自治区", "65"), ("台湾", "台湾省", "71"), ("澳门", "澳门特别行政区", "82")],
)
def test_province_full_names_and_codes(short: str, full: str, code: str) -> None:
    prov = load_cities().provinces[short]
    assert (prov.full_name, prov.code) == (full, code)


def test_source_names_the_official_list() -> None:
    assert "民政部" in load_cities().source


# --- province_of --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "province"),
    [
        ("郑州", "河南"), ("郑州市", "河南"), ("河南郑州", "河南"), ("河南省郑州市", "河南"),
        ("上海", "上海"), ("上海市", "上海"), ("浦东", "上海"), ("浦东新区", "上海"), ("上海浦东", "上海"),
        ("上海市黄浦区", "上海"), ("北京海淀", "北京"), ("重庆", "重庆"),
        ("延边", "吉林"), ("延边州", "吉林"), ("延边朝鲜族自治州", "吉林"), ("延吉", "吉林"),
        ("昆山", "江苏"), ("昆山市", "江苏"), ("苏州昆山", "江苏"), ("江苏省苏州市昆山市", "江苏"),
        ("义乌", "浙江"), ("江阴", "江苏"), ("张家港", "江苏"), ("常熟", "江苏"), ("慈溪", "浙江"),
        ("晋江", "福建"), ("石狮", "福建"), ("仙桃", "湖北"), ("济源", "河南"), ("石河子", "新疆"),
        ("阿克苏", "新疆"), ("阿克苏地区", "新疆"), ("锡林郭勒", "内蒙古"), ("锡林郭勒盟", "内蒙古"),
        ("恩施州", "湖北"), ("西双版纳", "云南"), ("大兴安岭", "黑龙江"),
        ("吉林", "吉林"), ("吉林市", "吉林"), ("长春", "吉林"),
        ("海南", "海南"), ("海南省海口市", "海南"), ("三亚", "海南"),
        ("海南州", "青海"), ("海南藏族自治州", "青海"),
        ("内蒙古包头", "内蒙古"), ("内蒙包头", "内蒙古"), ("包头", "内蒙古"),
        ("广西南宁", "广西"), ("广西壮族自治区南宁市", "广西"), ("拉萨", "西藏"), ("银川", "宁夏"),
        ("香港", "香港"), ("中国香港", "香港"), ("澳门", "澳门"), ("台北", "台湾"),
        ("襄樊", "湖北"), ("吴江", "江苏"), ("芒市", "云南"), ("津市", "湖南"),
        (" 苏州 ", "江苏"), ("江苏 苏州", "江苏"),
    ],
)
def test_province_of(place: str, province: str) -> None:
    assert province_of(place) == province


@pytest.mark.parametrize("place", ["", "火星", "普陀", "宝山", "朝阳区", "大安区", "abc"])
def test_province_of_unknown_or_ambiguous_is_none(place: str) -> None:
    assert province_of(place) is None


def test_province_of_tolerates_non_text() -> None:
    assert province_of(None) is None  # type: ignore[arg-type]


# --- normalize_province / same_province / codes -------------------------------------------------


@pytest.mark.parametrize(
    ("name", "short"),
    [("江苏省", "江苏"), ("江苏", "江苏"), ("广西壮族自治区", "广西"), ("内蒙古自治区", "内蒙古"),
     ("新疆维吾尔自治区", "新疆"), ("西藏自治区", "西藏"), ("宁夏回族自治区", "宁夏"), ("上海市", "上海"),
     ("上海", "上海"), ("香港特别行政区", "香港"), ("台湾省", "台湾"), ("黑龙江省", "黑龙江")],
)
def test_normalize_province(name: str, short: str) -> None:
    assert normalize_province(name) == short


@pytest.mark.parametrize("name", ["苏州", "郑州市", "火星省", "", "海南州"])
def test_normalize_province_rejects_cities_and_unknowns(name: str) -> None:
    assert normalize_province(name) is None


def test_same_province() -> None:
    assert same_province("苏州", "江苏省")
    assert same_province("昆山", "南京市")
    assert same_province("延边州", "吉林")
    assert not same_province("苏州", "杭州")
    assert not same_province("火星", "火星")  # unknown never matches, not even itself
    assert not same_province("海南州", "海南")


@pytest.mark.parametrize("code", ["11", "31", "32", "46", "50", "65", "71", "81", "82"])
def test_province_code_valid(code: str) -> None:
    assert province_code_valid(code)


@pytest.mark.parametrize("code", ["00", "10", "16", "20", "24", "30", "38", "47", "55", "66", "70", "83", "99", "3", ""])
def test_province_code_invalid(code: str) -> None:
    assert not province_code_valid(code)


# --- the holiday file ---------------------------------------------------------------------------


def test_holidays_cover_2024_to_2026_with_sources() -> None:
    cal = load_holidays()
    assert set(cal) == {2024, 2025, 2026}
    assert all(year.source for year in cal.values())


def test_national_day_2026_expanded() -> None:
    year = load_holidays()[2026]
    for day in range(1, 8):
        assert dt.date(2026, 10, day) in year.holidays
    assert dt.date(2026, 10, 10) in year.make_up_workdays


def test_make_up_workdays_are_weekends() -> None:
    for year in load_holidays().values():
        assert all(d.weekday() >= 5 for d in year.make_up_workdays)


@pytest.mark.parametrize(
    ("first", "last", "days"),
    [(dt.date(2024, 2, 10), dt.date(2024, 2, 17), 8), (dt.date(2025, 1, 28), dt.date(2025, 2, 4), 8),
     (dt.date(2026, 2, 15), dt.date(2026, 2, 23), 9)],
)
def test_spring_festival_ranges_expanded(first: dt.date, last: dt.date, days: int) -> None:
    holidays = load_holidays()[first.year].holidays
    span = [first + dt.timedelta(days=i) for i in range(days)]
    assert span[-1] == last and all(d in holidays for d in span)
    assert first - dt.timedelta(days=1) not in holidays and last + dt.timedelta(days=1) not in holidays


# --- malformed files fail loudly, naming file and key -------------------------------------------


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_cities_unknown_key_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path, "cities.yaml", 'source: x\nprovinces:\n  江苏: {full_name: 江苏省, code: "32", cities: [南京], capital: 南京}\n')
    with pytest.raises(ReferenceDataError) as exc:
        reference.load_cities(path)
    assert str(path) in str(exc.value) and "provinces.江苏.capital" in str(exc.value)


def test_cities_bad_code_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path, "cities.yaml", "source: x\nprovinces:\n  江苏: {full_name: 江苏省, code: 32, cities: [南京]}\n")
    with pytest.raises(ReferenceDataError, match=r"provinces\.江苏\.code"):
        reference.load_cities(path)


def test_cities_shi_suffix_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "cities.yaml", 'source: x\nprovinces:\n  江苏: {full_name: 江苏省, code: "32", cities: [南京市]}\n')
    with pytest.raises(ReferenceDataError, match="南京市"):
        reference.load_cities(path)


def test_cities_name_in_two_provinces_rejected(tmp_path: Path) -> None:
    text = (
        "source: x\nprovinces:\n"
        '  江苏: {full_name: 江苏省, code: "32", cities: [苏州]}\n'
        '  浙江: {full_name: 浙江省, code: "33", cities: [苏州]}\n'
    )
    with pytest.raises(ReferenceDataError, match="苏州"):
        reference.load_cities(_write(tmp_path, "cities.yaml", text))


def test_cities_alias_must_point_inside_province(tmp_path: Path) -> None:
    text = 'source: x\nprovinces:\n  吉林: {full_name: 吉林省, code: "22", cities: [长春], aliases: {延边: 延边朝鲜族自治州}}\n'
    with pytest.raises(ReferenceDataError, match=r"aliases\.延边"):
        reference.load_cities(_write(tmp_path, "cities.yaml", text))


def test_cities_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReferenceDataError, match="不存在"):
        reference.load_cities(tmp_path / "nope.yaml")


def test_cities_broken_yaml(tmp_path: Path) -> None:
    with pytest.raises(ReferenceDataError, match="YAML"):
        reference.load_cities(_write(tmp_path, "cities.yaml", "provinces: [unclosed\n"))


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ('holidays: ["2026-10-01"], make_up_workdays: ["2026-10-12"]', "make_up_workdays[0]"),  # a Monday
        ('holidays: ["2025-10-01"]', "holidays[0]"),  # wrong year
        ('holidays: ["2026-10-07..2026-10-01"]', "holidays[0]"),  # reversed range
        ('holidays: ["2026-02-30"]', "holidays[0]"),  # no such date
        ('holidays: ["2026-10-01..2026-10-07", "2026-10-05"]', "holidays[1]"),  # overlap
        ('holidays: ["2026-10-01"], workdays: []', "workdays"),  # unknown key
    ],
)
def test_holidays_malformed_names_key(tmp_path: Path, body: str, key: str) -> None:
    path = _write(tmp_path, "holidays.yaml", f"years:\n  2026: {{source: x, {body}}}\n")
    with pytest.raises(ReferenceDataError) as exc:
        reference.load_holidays(path)
    assert str(path) in str(exc.value) and key in str(exc.value)
