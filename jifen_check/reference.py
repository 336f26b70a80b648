"""Reference data: China's provinces and cities, and the holiday calendar.

Both live as YAML in `rulesets/reference/` so that a yearly change (a new holiday notice, a
renamed city) is a data change, not a code change. Each file is loaded once, validated strictly,
and cached. A malformed file raises `ReferenceDataError` naming the file and the key: it is the
project's own data, so a mistake there must stop the run loudly rather than mis-judge applicants.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from jifen_check import diskcache
from jifen_check.resources import rulesets_dir

REFERENCE_DIR = rulesets_dir() / "reference"
CITIES_FILE = REFERENCE_DIR / "cities.yaml"
HOLIDAYS_FILE = REFERENCE_DIR / "holidays.yaml"

# Suffixes a prefecture-level entry keeps in full (延边朝鲜族自治州, 阿克苏地区, 锡林郭勒盟).
_KEEP_FULL_SUFFIXES = ("自治州", "地区", "盟")


class ReferenceDataError(ValueError):
    """A reference file is missing or malformed. The message names the file and the key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Name = Annotated[str, Field(min_length=1, pattern=r"^\S+$")]


# ---------------------------------------------------------------------------------------------
# cities.yaml
# ---------------------------------------------------------------------------------------------


class Province(_Strict):
    full_name: Name
    name_en: str = ""  # English (--lang en); tests/test_english.py requires it for every province
    code: str = Field(pattern=r"^\d{2}$")
    other_names: list[Name] = []
    cities: list[Name] = Field(min_length=1)
    county_level_cities: list[Name] = []
    aliases: dict[Name, Name] = {}

    @model_validator(mode="after")
    def _check_names(self) -> Province:
        for city in self.cities:
            # The table's convention: 南京, not 南京市 (the lookup adds 市 back).
            if city.endswith("市"):
                raise ValueError(f"cities: 「{city}」应去掉「市」后缀")
        known = set(self.cities) | set(self.county_level_cities)
        for alias, target in self.aliases.items():
            if target not in known:
                raise ValueError(f"aliases.{alias}: 指向的「{target}」不在本省 cities 或 county_level_cities 中")
        return self


class CitiesTable(_Strict):
    source: str = Field(min_length=1)
    provinces: dict[Name, Province] = Field(min_length=1)

    @model_validator(mode="after")
    def _check_unique(self) -> CitiesTable:
        codes: dict[str, str] = {}
        for short, prov in self.provinces.items():
            if prov.code in codes:
                raise ValueError(f"provinces.{short}.code: 代码 {prov.code} 与 {codes[prov.code]} 重复")
            codes[prov.code] = short
        _build_place_index(self)  # raises when one name would point at two provinces
        return self


def _province_forms(short: str, prov: Province) -> list[str]:
    """How people write the province itself: 江苏, 江苏省, 广西壮族自治区, 内蒙."""
    return [short, prov.full_name, f"{short}省", *prov.other_names]


def _city_forms(prov: Province) -> list[str]:
    """Every written form of the places in one province."""
    forms: list[str] = []
    for name in (*prov.cities, *prov.county_level_cities):
        forms.append(name)
        if not name.endswith(_KEEP_FULL_SUFFIXES):
            forms.append(f"{name}市")
    for alias, target in prov.aliases.items():
        forms.append(alias)
        # 延边 -> 延边州: the usual short form of a 自治州.
        if target.endswith("自治州") and not alias.endswith("州"):
            forms.append(f"{alias}州")
    return forms


def _build_place_index(table: CitiesTable) -> dict[str, str]:
    """Written form -> short province name. A form claimed by two provinces is a data error."""
    index: dict[str, str] = {}
    for short, prov in table.provinces.items():
        for form in (*_province_forms(short, prov), *_city_forms(prov)):
            owner = index.setdefault(form, short)
            if owner != short:
                raise ValueError(f"provinces.{short}: 名称「{form}」同时属于 {owner} 和 {short}")
    return index


# ---------------------------------------------------------------------------------------------
# holidays.yaml
# ---------------------------------------------------------------------------------------------


def _date_text(value: Any) -> Any:
    # An unquoted YAML date arrives as a date: accept it as its ISO text.
    return value.isoformat() if isinstance(value, dt.date) else value


DateText = Annotated[str, BeforeValidator(_date_text), Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]
DateOrRange = Annotated[
    str, BeforeValidator(_date_text), Field(pattern=r"^\d{4}-\d{2}-\d{2}(\.\.\d{4}-\d{2}-\d{2})?$")
]


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"「{text}」不是有效日期") from None


def expand_date_range(spec: str) -> list[dt.date]:
    """`YYYY-MM-DD` or an inclusive range `YYYY-MM-DD..YYYY-MM-DD` -> every date in it."""
    first, _, last = spec.partition("..")
    start, end = _parse_date(first), _parse_date(last or first)
    if end < start:
        raise ValueError(f"「{spec}」的结束日期早于开始日期")
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


class YearCalendar(_Strict):
    source: str = Field(min_length=1)
    holidays: list[DateOrRange] = Field(min_length=1)
    make_up_workdays: list[DateText] = []


class HolidayFile(_Strict):
    years: dict[int, YearCalendar] = Field(min_length=1)

    @model_validator(mode="after")
    def _check_years(self) -> HolidayFile:
        for year, cal in self.years.items():
            _year_days(year, cal)  # raises on dates outside the year, overlaps, weekday make-ups
        return self


@dataclass(frozen=True)
class YearDays:
    """One year of the calendar, expanded: the sets workdays.py asks about."""

    source: str
    holidays: frozenset[dt.date]
    make_up_workdays: frozenset[dt.date]


def _year_days(year: int, cal: YearCalendar) -> YearDays:
    holidays: set[dt.date] = set()
    for i, spec in enumerate(cal.holidays):
        days = _in_year(year, f"holidays[{i}]", spec)
        if holidays & set(days):
            raise ValueError(f"years.{year}.holidays[{i}]: 「{spec}」与前面的假日重叠")
        holidays.update(days)
    workdays: set[dt.date] = set()
    for i, spec in enumerate(cal.make_up_workdays):
        (day,) = _in_year(year, f"make_up_workdays[{i}]", spec)
        # A make-up working day only means something on a weekend; a weekday here is a typo.
        if day.weekday() < 5:
            raise ValueError(f"years.{year}.make_up_workdays[{i}]: {spec} 不是周末，调休上班日应为周六或周日")
        if day in holidays:
            raise ValueError(f"years.{year}.make_up_workdays[{i}]: {spec} 同时列为假日")
        workdays.add(day)
    return YearDays(cal.source, frozenset(holidays), frozenset(workdays))


def _in_year(year: int, key: str, spec: str) -> list[dt.date]:
    try:
        days = expand_date_range(spec)
    except ValueError as exc:
        raise ValueError(f"years.{year}.{key}: {exc}") from None
    if any(d.year != year for d in days):
        raise ValueError(f"years.{year}.{key}: 「{spec}」不在 {year} 年内")
    return days


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


def _read_yaml(path: Path) -> Any:
    try:
        return diskcache.load_yaml_file(path)
    except FileNotFoundError:
        raise ReferenceDataError(f"{path}: 参考数据文件不存在") from None
    except yaml.YAMLError as exc:
        raise ReferenceDataError(f"{path}: YAML 格式错误: {exc}") from None


def _validation_message(path: Path, exc: ValidationError) -> str:
    lines = [f"{path}: 参考数据无效"]
    for err in exc.errors():
        key = ".".join(str(part) for part in err["loc"]) or "(顶层)"
        lines.append(f"  {key}: {err['msg']}")
    return "\n".join(lines)


def _load(path: Path, model: type[BaseModel]) -> Any:
    data = _read_yaml(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ReferenceDataError(_validation_message(path, exc)) from None


@cache
def load_cities(path: Path = CITIES_FILE) -> CitiesTable:
    """The validated cities table (cached per path)."""
    return _load(path, CitiesTable)


@cache
def load_holidays(path: Path = HOLIDAYS_FILE) -> dict[int, YearDays]:
    """Year -> its expanded holidays and make-up working days (cached per path)."""
    data: HolidayFile = _load(path, HolidayFile)
    return {year: _year_days(year, cal) for year, cal in data.years.items()}


@cache
def _place_index() -> dict[str, str]:
    return _build_place_index(load_cities())


@cache
def _bare_city_names() -> frozenset[str]:
    """City names as written without 市 (朝阳, 大安): followed by 区/县 they name a district."""
    table = load_cities()
    names = (n for p in table.provinces.values() for n in (*p.cities, *p.county_level_cities))
    return frozenset(n for n in names if not n.endswith(("市", "州", "地区", "盟")))


@cache
def _province_names() -> dict[str, str]:
    table = load_cities()
    return {form: short for short, prov in table.provinces.items() for form in _province_forms(short, prov)}


# ---------------------------------------------------------------------------------------------
# Public look-ups
# ---------------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    text = "".join(text.split())  # people type 江苏 苏州, or paste full-width spaces
    # 中国香港 / 中国台湾: the country prefix says nothing about the province.
    return text.removeprefix("中国") if len(text) > 2 else text


def province_of(place: str) -> str | None:
    """The short province name for a place as people write it, or None when unknown.

    郑州, 郑州市, 河南郑州, 河南省郑州市 -> 河南; 延边, 延边州 -> 吉林; 苏州昆山, 昆山 -> 江苏;
    上海浦东 -> 上海. The longest known name at the start of the text wins, so 海南藏族自治州 and
    海南州 are 青海 while 海南 and 海南省海口市 are 海南. Districts are not in the table, apart from
    Shanghai's unambiguous ones; text that starts with a municipality returns the municipality.
    A city name directly followed by 区/县 (朝阳区, 大安区) is not taken for that city: None.
    """
    if not isinstance(place, str):
        return None
    text, index, bare = _clean(place), _place_index(), _bare_city_names()
    for end in range(len(text), 0, -1):
        head = text[:end]
        # 朝阳区 is a district of 北京 and 长春, not 辽宁's 朝阳市: a bare city name followed by
        # 区/县 is some other place of that name, so it must not be matched.
        if head in bare and text[end : end + 1] in ("区", "县"):
            continue
        if (short := index.get(head)) is not None:
            return short
    return None


def normalize_province(name: str) -> str | None:
    """江苏省/江苏 -> 江苏, 广西壮族自治区 -> 广西, 上海市 -> 上海; None when it is not a province."""
    if not isinstance(name, str):
        return None
    return _province_names().get(_clean(name))


def same_province(a: str, b: str) -> bool:
    """Both places are known and lie in the same province."""
    pa = province_of(a)
    return pa is not None and pa == province_of(b)


def province_code_valid(two_digits: str) -> bool:
    """Whether the first two digits of an ID number are a provincial division code (11..82)."""
    return two_digits in province_codes()


@cache
def province_codes() -> frozenset[str]:
    return frozenset(prov.code for prov in load_cities().provinces.values())


def province_en(short: str | None) -> str | None:
    """The province in English (河南 -> Henan); None when it is not a known province."""
    prov = load_cities().provinces.get(short or "")
    return (prov.name_en or None) if prov else None


def place_en(place: str) -> str:
    """A place as the user wrote it, in English where it is a province or Shanghai (上海 -> Shanghai),
    else as written (a city name is the user's own text)."""
    short = normalize_province(place)
    return (province_en(short) or place) if short else place

