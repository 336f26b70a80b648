"""--lang en: every rule, document and label has English beside the Chinese in the ruleset data, and the
English outputs carry no untranslated Chinese. Chinese may appear only as
- the original of an official name in brackets after its translation: a title in 《》 (Residence Permit
  (《上海市居住证》)), a document number (沪府规〔2022〕21号), or a name listed in labels.yaml `originals`
  (CHSI (学信网)); or
- what the user typed: names, schools, cities, employers, a title's name, a value quoted in an error,
  and the cell references of their own workbook (社保!D368).
The check runs on the real CLI outputs of every sample: text, PDF text, plan, rules, explain, and the
batch's summary.xlsx cells, summary.pdf and checklists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from jifen_check import rulebook
from jifen_check.checklist import load_catalogue
from jifen_check.plan import plan_data
from jifen_check.render.handover import submission
from jifen_check.render.i18n import PDF_PHRASES, PHRASES, SUMMARY_PHRASES
from jifen_check.render.plain import labels
from jifen_check.render.routes_text import ROUTE_PHRASES
from tests.conftest import ROOT, run_cli

SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
TITLE = re.compile(r"《[^《》]*》")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}〔\d{4}〕\d+号")
# A PDF line break inside a Chinese name: 个人所得 / 税 is one name.
SPLIT = re.compile(r"(?<=[\u3400-\u9fff（）《》〔〕])[ \t]*\n[ \t]*(?=[\u3400-\u9fff（）《》〔〕])")
SHEETS = "人员|社保|个税|外地社保|学历|职称技能|家庭"
CELL = re.compile(rf"(?:{SHEETS})!(?:[A-Z]{{1,3}})?\d+")


def _originals_pattern() -> re.Pattern[str]:
    names = sorted(labels()["originals"], key=len, reverse=True)
    return re.compile(r"\((?:" + "|".join(re.escape(n) for n in names) + r")\)")


ORIGINALS = _originals_pattern()


def untranslated(text: str, typed: tuple[str, ...] = (), quoted: frozenset[str] = frozenset()) -> list[str]:
    """The lines of an English text that still hold Chinese other than an official name's original in
    brackets or what the user typed (`typed`: free text shown as typed; `quoted`: any value of the
    input, allowed only inside the quotes of an error message)."""
    text = SPLIT.sub("", text)
    text = re.sub(r"'([^'\n]*)'", lambda m: "" if m[1] in quoted else m[0], text)
    text = ORIGINALS.sub("", DOC_NUMBER.sub("", CELL.sub("", TITLE.sub("", text))))
    for value in sorted(typed, key=len, reverse=True):  # after the names: a typed 上海 is not 上海市居住证积分
        # Only where it stands alone: a typed 上海 must not excuse the 上海 of an untranslated 上海市居住证.
        text = re.sub(rf"(?<![\u3400-\u9fff]){re.escape(value)}(?![\u3400-\u9fff])", "", text)
    return [line for line in text.splitlines() if CJK.search(line)]


def test_the_check_itself() -> None:
    assert untranslated("Residence Permit (《上海市居住证》); Article 7 (沪府规〔2022〕21号); CHSI (学信网)") == []
    # Chinese in brackets is not enough: only an official name's original, or what the user typed.
    assert untranslated("Education (全日制本科（示例大学）)") != []
    assert untranslated("full-time bachelor's (示例大学, diploma)", ("示例大学",)) == []
    assert untranslated("The degree 本科 counts") == ["The degree 本科 counts"]
    assert untranslated("Basis: (本工具数据检查)") != []
    assert untranslated("社保!D368: must be a number, got '一万二'", (), frozenset({"一万二"})) == []
    assert untranslated("must be a number, got '一万二'") != []
    assert untranslated("Income Tax App (个人所得\n税)") == []
    # What the user typed is excused only where it stands alone, not inside a longer Chinese text.
    assert untranslated("studied in 上海 (Shanghai)", ("上海",)) == []
    assert untranslated("the 上海市居住证 is valid", ("上海",)) != []


def test_every_rule_text_has_english() -> None:
    for rule in rulebook.load().rules.values():
        assert rule.title_en and not untranslated(rule.title_en), rule.id
        for i, case in enumerate(rule.cases):
            where = f"{rule.id} cases[{i}]"
            assert bool(case.message_en) == bool(case.message), where
            assert bool(case.remedy_en) == bool(case.remedy), where
            assert bool(case.label_en) == bool(case.label), where
            line = case.then.line
            if line is not None:
                assert bool(line.detail_en) == bool(line.detail), where
            for text in (case.message_en, case.remedy_en, case.label_en, line.detail_en if line else ""):
                assert not untranslated(re.sub(r"\{[^}]*\}", "", text)), (where, text)


def test_english_placeholders_are_the_chinese_ones() -> None:
    """The English template may only use what the Chinese one uses (else it cannot be filled)."""
    ph = re.compile(r"\{@?[A-Za-z_][\w.]*\}")
    for rule in rulebook.load().rules.values():
        for case in rule.cases:
            pairs = [(case.message, case.message_en), (case.remedy, case.remedy_en)]
            if case.then.line:
                pairs.append((case.then.line.detail, case.then.line.detail_en))
            for zh, en in pairs:
                assert set(ph.findall(en)) <= set(ph.findall(zh)) | {"{as_of}"}, (rule.id, en)


def test_every_document_has_english() -> None:
    for doc in load_catalogue().documents:
        assert doc.title_en, doc.id
        assert bool(doc.note_en) == bool(doc.note), doc.id
        assert bool(doc.reason_en) == bool(doc.reason), doc.id
        for text in (doc.title_en, doc.note_en, doc.reason_en):
            assert not untranslated(text), (doc.id, text)


def test_every_label_and_phrase_has_english() -> None:
    data = labels()
    for table, entries in data.items():
        if table in ("lists",):
            for key, entry in entries.items():
                for pair in entry.values():
                    assert len(pair) == 2 and not untranslated(pair[1]), (table, key)
        elif isinstance(entries, dict):
            for key, pair in entries.items():
                assert len(pair) == 2 and pair[1] and not untranslated(pair[1]), (table, key)
    for table in (PHRASES, PDF_PHRASES, ROUTE_PHRASES, SUMMARY_PHRASES):
        for key, (_, en) in table.items():
            assert en and not untranslated(re.sub(r"\{[^}]*\}", "", en)), key
    sub = submission()
    for item in (sub.where, sub.how, sub.order, sub.review, *sub.copies, *sub.next_steps):
        assert item.en and not untranslated(item.en), item.zh
        assert item.source_en and not untranslated(item.source_en), item.source


def test_every_route_step_has_english() -> None:
    """Issue 10's route steps (routes/actions.yaml): label, text and assumptions in English beside the
    Chinese, with the same placeholders, and every actor labelled."""
    ph = re.compile(r"\{[A-Za-z_]\w*\}")
    actors = labels()["actors"]
    for a in plan_data().actions:
        assert a.label_en and a.text_en, a.id
        assert len(a.assumptions_en) == len(a.assumptions), a.id
        for text in (a.label_en, a.text_en, *a.assumptions_en):
            assert not untranslated(text), (a.id, text)
        assert set(ph.findall(a.text_en)) == set(ph.findall(a.text)), a.id
        for who in (a.actor, a.decision_by):
            assert who is None or who in actors, (a.id, who)


def test_a_missing_route_english_text_fails_the_check() -> None:
    """The route data test above is not vacuous: an action without English is loadable, and seen."""
    from jifen_check.plan import Action

    raw = yaml.safe_load((rulebook.RULESETS_DIR / "shanghai-2023" / "routes" / "actions.yaml").read_text(encoding="utf-8"))
    first = raw["actions"][0]
    first.pop("text_en")
    assert not Action.model_validate(first).text_en
    tax = next(a for a in raw["actions"] if a["id"] == "ACT-TAX-CORRECT")
    tax["assumptions_en"] = tax["assumptions_en"][:1]
    with pytest.raises(ValueError, match="assumptions_en"):
        Action.model_validate(tax)


def test_a_missing_english_text_fails_the_check(tmp_path: Path) -> None:
    """The data test above is not vacuous: drop one English title and it fails."""
    src = rulebook.RULESETS_DIR / "shanghai-2023" / "rules" / "veto.yaml"
    rules = yaml.safe_load(src.read_text(encoding="utf-8"))
    rules[0].pop("title_en")
    assert not rulebook.Rule.model_validate(rules[0]).title_en


# The applicant file's free-text fields: what the user typed and the outputs show as typed. Enum
# fields are codes and provinces are translated, so neither may pass as typed text.
FREE_TEXT = {"name", "school", "major", "study_city", "obtained_city", "city", "position", "area"}


def _typed(node: object, key: str = "") -> list[str]:
    if isinstance(node, dict):
        return [x for k, v in node.items() for x in _typed(v, str(k))]
    if isinstance(node, list):
        return [x for v in node for x in _typed(v, key)]
    return [node] if key in FREE_TEXT and isinstance(node, str) and CJK.search(node) else []


# The batch workbook's free-text columns (the rest are choices, dates and numbers).
FREE_COLUMNS = {"姓名", "单位名称", "岗位", "学校", "专业", "就读城市", "名称", "取得城市", "城市", "紧缺专业名称",
                "重点区域"}


def _typed_cells(sheets: dict[str, list[dict[str, object]]]) -> tuple[str, ...]:
    return tuple({str(v) for rows in sheets.values() for row in rows for k, v in row.items()
                  if k in FREE_COLUMNS and v and CJK.search(str(v))})


def _names(sample: Path) -> tuple[str, ...]:
    """What the user typed in the sample's free-text fields (names, schools, cities, employers, titles)."""
    return tuple(_typed(yaml.safe_load(sample.read_text(encoding="utf-8"))))


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_english_text_report(sample: Path) -> None:
    p = run_cli("check", str(sample), "--lang", "en")
    text = p.stdout.decode()
    assert text.startswith("Verdict: ") and "Basis: " in text
    assert untranslated(text, _names(sample)) == []


def test_english_routes_in_text_and_pdf(tmp_path: Path) -> None:
    """Sample 10's routes (issue 10) read in English in the text report and on the PDF's page 1."""
    from pypdf import PdfReader

    sample = ROOT / "samples" / "10-backpay-and-mismatch.yaml"
    text = run_cli("check", str(sample), "--lang", "en").stdout.decode()
    assert "Routes to eligibility" in text and "Route 1: can apply from 2026-12-18" in text
    assert "[Employer finance] The employer files corrected income tax returns for 2025-01–2025-02" in text
    out = tmp_path / "en.pdf"
    assert run_cli("check", str(sample), "--lang", "en", "--pdf", str(out)).returncode == 4
    page1 = PdfReader(out).pages[0].extract_text()
    assert "Route to eligibility" in page1 and "corrected income tax returns" in page1
    assert "达标途径" not in page1


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_english_checklist_pdf(sample: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from jifen_check.cli import judge_file
    from jifen_check.render.pdf import render_checklist_pdf

    result = judge_file(str(sample), None, False).result
    render_checklist_pdf(result, tmp_path / "en.pdf", "en")
    text = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "en.pdf").pages)
    run_cli("checklist", str(sample), "--lang", "en", "-o", str(tmp_path / "cli.pdf"))  # the CLI's own PDF too
    assert "\n".join(page.extract_text() for page in PdfReader(tmp_path / "cli.pdf").pages) == text
    assert "Documents to bring" in text and "Residence Permit (《上海市居住证》)" in text
    assert untranslated(text, _names(sample)) == [], untranslated(text, _names(sample))


def test_english_batch_outputs(tmp_path: Path) -> None:
    import sys

    from openpyxl import load_workbook
    from pypdf import PdfReader

    sys.path.insert(0, str(ROOT / "tests"))
    from test_batch_helpers import AS_OF, staff, write_workbook

    from jifen_check.batch.pipeline import prepare_out_dir, run_batch
    from jifen_check.batch.readers import read_input
    from jifen_check.batch.runner import Options

    sheets = staff(3)
    sheets["社保"][1]["月份"] = "2026-06..2026-11"  # E002: not yet eligible
    inp = write_workbook(tmp_path / "in.xlsx", sheets)
    out = tmp_path / "out"
    prepare_out_dir(out, overwrite=False)
    run_batch(read_input(inp), Options(out, AS_OF, pdf=True, lang="en"), label=inp.name, jobs=1)
    names = _typed_cells(sheets)
    wb = load_workbook(out / "summary.xlsx")
    assert wb.sheetnames == ["Summary", "Problems", "Counts", "Unmatched rows", "Actions"]
    assert wb["Actions"].max_row > 1  # E002's route steps, in English
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    assert untranslated(value, names) == [], (ws.title, value)
    summary = "\n".join(page.extract_text() for page in PdfReader(out / "summary.pdf").pages)
    assert "When people can apply" in summary
    assert untranslated(summary, names) == [], untranslated(summary, names)
    pdfs = sorted((out / "checklists").glob("*.pdf"))
    for path in pdfs:
        text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
        assert untranslated(text, names) == [], (path.name, untranslated(text, names))


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_english_plan(sample: Path) -> None:
    """`plan --lang en` (issue 11): the header, routes, steps, actors, assumptions, the target date and
    the check of each route in English; the milestone name is what the user typed after --by."""
    p = run_cli("plan", str(sample), "--lang", "en", "--explain", "--by", "中考2027")
    text = p.stdout.decode()
    assert p.returncode in (0, 3, 4, 6), p.stderr.decode()
    assert text.startswith("Verdict: ") and "Target date: 2027-01-19 (中考2027: registration from" in text
    assert untranslated(text, _names(sample) + ("中考2027",)) == [], untranslated(text, _names(sample))


def test_english_plan_routes_and_json() -> None:
    sample = ROOT / "samples" / "10-backpay-and-mismatch.yaml"
    text = run_cli("plan", str(sample), "--lang", "en", "--explain").stdout.decode()
    assert "Route 1: can apply from" in text and "[Employer finance]" in text
    assert "How route 1 was checked" in text and "Verdict: Eligible to apply" in text
    assert "达标途径" not in text and "途径" not in text
    # JSON is for programs: the same with or without --lang en (as for check).
    en = run_cli("plan", str(sample), "--lang", "en", "--format", "json").stdout
    assert en == run_cli("plan", str(sample), "--format", "json").stdout


def test_english_plan_assumptions_and_rules() -> None:
    text = run_cli("plan", "--assumptions", "--lang", "en", "--as-of", "2026-11-18").stdout.decode()
    assert "Source: " in text and "出处" not in text and "{'" not in text and "datetime" not in text
    assert "Value: employer: pension 16%, medical 9%" in text and "Value: every year in July" in text
    # A milestone's name is what the user types after --by (plan --by 中考2027).
    assert untranslated(text, ("中考2027", "中考2026")) == [], untranslated(text, ("中考2027", "中考2026"))
    text = run_cli("rules", "--lang", "en").stdout.decode()
    assert "PRE-PERMIT-VALID" in text and "Source: Article 5 of the points rules (沪府规〔2022〕21号)" in text
    assert untranslated(text) == [], untranslated(text)


def test_every_source_note_and_parameter_has_english() -> None:
    """Sources, notes and parameter descriptions (shown by rules, explain, the reports' Basis and plan's
    assumptions) have English beside the Chinese in the ruleset data."""
    book = rulebook.load()
    for rule in book.rules.values():
        assert bool(rule.source_en) == bool(rule.source) and not untranslated(rule.source_en), rule.id
        assert bool(rule.note_en) == bool(rule.note) and not untranslated(rule.note_en), rule.id
    for name, param in book.parameters.items():
        assert param.description_en and not untranslated(param.description_en), name
        for day, source in zip(param.dates, param.sources_en, strict=True):
            assert source and not untranslated(source), (name, day)
    for day in book.parameters["remote_areas"].dates:
        for group, spec in book.parameters["remote_areas"].at(day).items():
            source_en = spec["source_en"] if isinstance(spec, dict) else spec.source_en
            assert source_en and not untranslated(source_en), (day, group)
    data = plan_data()
    for a in data.actions:
        assert a.lead.source_en and not untranslated(a.lead.source_en), a.id
    for name, p in data.params.items():
        assert p.description_en and not untranslated(p.description_en), name
        for day, v in p.values.items():
            assert v.source_en and not untranslated(v.source_en), (name, day)
    for day in data.params["milestones"].values:
        for key, ms in data.value("milestones", day).items():
            assert bool(ms.note_en) == bool(ms.note) and not untranslated(ms.note_en), key
    header = book.header
    assert header.title_en and not untranslated(header.title_en)


def test_a_missing_source_english_is_seen() -> None:
    raw = yaml.safe_load((rulebook.RULESETS_DIR / "shanghai-2023" / "rules" / "veto.yaml").read_text(encoding="utf-8"))
    raw[0].pop("source_en")
    rule = rulebook.Rule.model_validate(raw[0])
    assert rule.source and not rule.source_en  # what the test above fails on


def test_data_error_messages_in_english() -> None:
    """The readers' and validate.py's Chinese sentences have English forms (render/messages_en.py);
    the typed value and the numbers are carried over, the column header is labelled in English."""
    from jifen_check.render.messages_en import FORMS, english

    assert english("缴费基数必须是数字，实际为 '一万二'") == "Contribution base must be a number, got '一万二'"
    assert english("身份证号码校验位应为 4，实际为 0") == "The check character of the ID number should be 4, not 0"
    assert english("月份无法识别为月份：'2023年13月'，应为 YYYY-MM 或区间 YYYY-MM..YYYY-MM") is not None
    assert english("工号 E999 在「人员」表中找不到，该行未使用") == (
        "Employee no. E999 is not in the persons sheet (人员); the row is not used")
    assert english("一句没有英文的话") is None
    for _, en in FORMS:
        assert not untranslated(re.sub(r"\{[^}]*\}", "", en)), en


def test_english_batch_cli_on_the_sample_workbook(tmp_path: Path) -> None:
    """`batch --lang en` on samples/staff.xlsx through the CLI: every cell of summary.xlsx, summary.pdf
    and every checklist PDF; the two invalid rows' reader errors read in English."""
    from openpyxl import load_workbook
    from pypdf import PdfReader

    src = ROOT / "samples" / "staff.xlsx"
    out = tmp_path / "out"
    p = run_cli("batch", str(src), "--out", str(out), "--lang", "en", "--jobs", "2")
    assert p.returncode == 5, p.stderr.decode()  # two rows are invalid on purpose
    given = load_workbook(src, read_only=True)
    typed, quoted = set(), set()
    for ws in given.worksheets:
        rows = ws.iter_rows(values_only=True)
        header = [str(h) for h in next(rows)]
        for row in rows:
            for head, value in zip(header, row, strict=False):
                if isinstance(value, str) and CJK.search(value):
                    quoted.add(value)
                    if head in FREE_COLUMNS:
                        typed.add(value)
    names = tuple(typed)
    wb = load_workbook(out / "summary.xlsx")
    seen = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    seen.append(value)
                    assert untranslated(value, names, frozenset(quoted)) == [], (ws.title, value)
    assert "Contribution base must be a number, got '一万二'" in seen
    assert "The check character of the ID number should be 4, not 0" in seen
    for path in [out / "summary.pdf", *sorted((out / "checklists").glob("*.pdf"))]:
        text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
        assert untranslated(text, names, frozenset(quoted)) == [], (path.name, untranslated(text, names))


def test_every_province_has_english() -> None:
    """Provinces in English messages (studied in 杭州 (Zhejiang), hukou in Henan): from cities.yaml."""
    from jifen_check.reference import load_cities, place_en

    for short, prov in load_cities().provinces.items():
        assert prov.name_en and not CJK.search(prov.name_en), short
    assert place_en("河南省") == "Henan" and place_en("上海") == "Shanghai" and place_en("杭州") == "杭州"


def test_english_survives_the_id_mask(tmp_path: Path) -> None:
    """A result whose texts quote an ID number is masked through its JSON; its English (kept beside the
    Chinese, not in the JSON) is carried over and masked the same way."""
    doc = yaml.safe_load((ROOT / "samples" / "01-bachelor-degree.yaml").read_text(encoding="utf-8"))
    idn = doc["person"]["id_number"]
    doc["education"][-1]["school"] = f"大学{idn}"
    f = tmp_path / "a.yaml"
    f.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    text = run_cli("check", str(f), "--lang", "en").stdout.decode()
    assert idn not in text and "full-time bachelor's (大学" in text
    assert untranslated(text, _names(f) + ("大学",)) == []


# ---- inputs no sample has: data errors, reader notices, console lines, usage errors (issue 11)


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Broken applicant files, each with a piece of the English its report must show."""
    doc = yaml.safe_load((ROOT / "samples" / "01-bachelor-degree.yaml").read_text(encoding="utf-8"))

    def dump(name: str, change: dict[str, object], expect: str) -> None:
        d = yaml.safe_load(yaml.safe_dump(doc, allow_unicode=True))
        for path, value in change.items():
            *parents, last = path.split(".")
            node = d
            for p in parents:
                node = node[int(p)] if p.isdigit() else node[p]
            if value is None:
                del node[last]
            else:
                node[int(last) if last.isdigit() else last] = value
        files[name] = (tmp_path / f"{name}.yaml", expect)
        files[name][0].write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")

    files: dict[str, tuple[Path, str]] = {}
    raw = {
        "yaml-syntax": (b"format: jifen-check/applicant@1\nperson: {name: [\n", "YAML syntax error at line 3"),
        "json-syntax": (b'{"format": "jifen-check/applicant@1", "person": }', "JSON syntax error at line 1"),
        "empty": (b"", "the file is empty"),
        "a-list": (b"- 1\n- 2\n", "must hold one applicant (a mapping), not a list"),
        "repeated-key": (b"format: jifen-check/applicant@1\nas_of: 2026-11-18\nas_of: 2026-11-19\n",
                         "the key 'as_of' appears twice"),
        "not-utf8": ("format: 申请人".encode("gbk"), "is not valid UTF-8"),
        "no-such-day": (b"format: jifen-check/applicant@1\nas_of: 2026-02-30\n", "does not exist; write a real date"),
    }
    for name, (data, expect) in raw.items():
        suffix = ".json" if "json" in name else ".yaml"
        files[name] = (tmp_path / f"{name}{suffix}", expect)
        files[name][0].write_bytes(data)
    dump("choice", {"employer.kind": "大公司", "person.foo": 1},
         "Employer type: Not an allowed value; it must be one of 'enterprise'")
    dump("schema", {"person.name": None, "education.0.diploma": "也许", "social_insurance.0.base": "abc"},
         "Social insurance row 1 · Contribution base: Must be a number (got 'abc')")
    dump("bad-date", {"as_of": "2026-13-01"}, "Application date: The month must be 1–12")
    dump("not-a-mapping", {"contract": []}, "Employment contract: Must be a mapping (key: value)")
    dump("dates", {"contract.end": "2020-01-01", "social_insurance.0.month": "2030-01"},
         "before it starts")
    dump("level", {"qualifications": [{"kind": "skill_level", "level": "senior", "name": "电工",
                                       "obtained_on": "2020-01-01"}]}, "A skill level must be 1–5")
    return files


def _values(path: Path) -> frozenset[str]:
    """Every text the file holds: an error may quote any of them."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError, ValueError):  # ValueError: a YAML date that does not exist
        return frozenset()

    def walk(node: object) -> list[str]:
        if isinstance(node, dict):
            return [str(k) for k in node] + [v for x in node.values() for v in walk(x)]
        if isinstance(node, list):
            return [v for x in node for v in walk(x)]
        return [str(node)]

    return frozenset(walk(doc))


def test_english_data_errors_in_the_text_report(tmp_path: Path) -> None:
    """Syntax, schema and cross-field errors of an applicant file read in English under --lang en,
    with the field labelled and the typed value carried over in quotes."""
    names = _names(ROOT / "samples" / "01-bachelor-degree.yaml")
    for name, (path, expect) in _bad_files(tmp_path).items():
        p = run_cli("check", str(path), "--lang", "en")
        text = p.stdout.decode()
        assert p.returncode == 5, (name, p.stderr.decode())
        assert expect in text, (name, text)
        assert untranslated(text, names, _values(path)) == [], (name, untranslated(text, names, _values(path)))


def test_choice_errors_in_chinese_list_the_values_plainly(tmp_path: Path) -> None:
    """The Chinese report lists a field's allowed values with 、, not pydantic's English "or"."""
    path, _ = _bad_files(tmp_path)["choice"]
    text = run_cli("check", str(path)).stdout.decode()
    assert "单位类型：取值无效，应为以下之一：'enterprise'、'public_institution'" in text
    assert " or " not in text


def _messy_workbook(path: Path) -> Path:
    """A workbook with what a clerk gets wrong: an unknown sheet, a repeated column, a repeated
    employee no., a row nobody matches, a bad choice and a family row without its relation."""
    import sys

    from openpyxl import load_workbook

    sys.path.insert(0, str(ROOT / "tests"))
    from test_batch_helpers import person_row, si_row, staff, write_workbook

    sheets = staff(5)
    sheets["人员"][1]["单位类型"] = "大公司"
    sheets["人员"].append(person_row("E001", "重号员工", 9))
    sheets["社保"].append(si_row("E404"))
    sheets["家庭"] = [{"工号": "E003", "关系": None, "姓名": "配偶甲"}]
    write_workbook(path, sheets)
    wb = load_workbook(path)
    wb.create_sheet("备注")
    ws = wb["人员"]
    ws.cell(1, ws.max_column + 1, "姓名")
    wb.save(path)
    return path


def test_english_batch_notices_and_console(tmp_path: Path) -> None:
    """`batch --lang en`: the console's counts, warnings and people to act on, and the reader's notices
    and errors in summary.xlsx, all in English."""
    from openpyxl import load_workbook

    src = _messy_workbook(tmp_path / "in.xlsx")
    p = run_cli("batch", str(src), "--out", str(tmp_path / "out"), "--lang", "en", "--no-pdf",
                "--as-of", "2026-11-18")
    assert p.returncode == 5, p.stderr.decode()
    console = p.stdout.decode() + p.stderr.decode()
    typed = ("员工1", "员工2", "员工3", "员工4", "员工5", "重号员工", "配偶甲", "备注")
    for line in ("6 people: Eligible to apply: 2; Needs review: 0; Not yet eligible: 0;",
                 "Results written to", "Warning 备注: Sheet '备注' is not a sheet of the batch input; ignored",
                 "Input errors: correct them and run again (4 people):"):
        assert line in console, (line, console)
    quoted = frozenset({"大公司", "姓名"})  # the value typed, the column header repeated
    assert untranslated(console, typed, quoted) == [], untranslated(console, typed, quoted)
    cells = [v for ws in load_workbook(tmp_path / "out" / "summary.xlsx").worksheets
             for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    for text in ("Column '姓名' appears twice; only the first is used",
                 "Employee no. E404 is not in the persons sheet (人员); the row is not used",
                 "Employer type must be one of: enterprise, public_institution",
                 "The relation must be given: spouse (配偶) or child (子女)"):
        assert any(text in c for c in cells), text
    for value in cells:
        assert untranslated(value, typed, quoted) == [], value


def test_english_refusals_and_usage_errors(tmp_path: Path) -> None:
    """Under --lang en the errors that stop a command read in English too; without it, in Chinese."""
    bad = tmp_path / "notes.txt"
    bad.write_text("x", encoding="utf-8")
    p = run_cli("batch", str(bad), "--out", str(tmp_path / "o"), "--lang", "en")
    assert p.returncode == 7 and "Error: Unsupported input notes.txt" in p.stderr.decode()
    p = run_cli("check", str(tmp_path / "missing.yaml"), "--lang", "en")
    assert p.returncode == 2 and "Error: File" in p.stderr.decode() and "not found" in p.stderr.decode()
    p = run_cli("check", str(ROOT / "samples" / "01-bachelor-degree.yaml"), "--lang", "en", "--as-of", "2026-13-01")
    assert "'2026-13-01' is not a date: write YYYY-MM-DD" in p.stderr.decode()
    p = run_cli("explain", str(ROOT / "samples" / "01-bachelor-degree.yaml"), "NO-SUCH", "--lang=en")
    assert "There is no rule NO-SUCH" in p.stderr.decode()
    for args in (("batch", str(bad), "--out", str(tmp_path / "o"), "--lang", "en"),
                 ("check", str(tmp_path / "missing.yaml"), "--lang", "en")):
        assert untranslated(run_cli(*args).stderr.decode(), (str(tmp_path),)) == []
    p = run_cli("check", str(tmp_path / "missing.yaml"))
    assert "错误：找不到文件" in p.stderr.decode()
    sample = str(ROOT / "samples" / "staff.xlsx")
    run_cli("batch", sample, "--out", str(tmp_path / "used"), "--no-pdf")
    p = run_cli("batch", sample, "--out", str(tmp_path / "used"), "--no-pdf", "--lang", "en")
    assert p.returncode == 2 and "is not empty; add --overwrite" in p.stderr.decode()


def test_every_io_reason_has_english() -> None:
    import errno

    from jifen_check.batch.outdir import os_reason
    from jifen_check.render.messages_en import english

    for code in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOTDIR, errno.ENOENT,
                 errno.ELOOP, errno.ENAMETOOLONG, errno.EEXIST):
        text = english(f"无法使用输出文件夹 /x：{os_reason(OSError(code, 'x'))}")
        assert text and not CJK.search(text), (code, text)


def test_english_console_line_of_check_and_checklist(tmp_path: Path) -> None:
    sample = str(ROOT / "samples" / "01-bachelor-degree.yaml")
    p = run_cli("check", sample, "--lang", "en", "--pdf", str(tmp_path / "a.pdf"))
    assert f"Checklist written to {tmp_path / 'a.pdf'}" in p.stderr.decode()
    p = run_cli("checklist", sample, "--lang", "en", "-o", str(tmp_path / "b.pdf"), "--html", str(tmp_path / "b.html"))
    assert p.stdout.decode().strip() == f"Checklist written to {tmp_path / 'b.pdf'} and {tmp_path / 'b.html'}"
    p = run_cli("checklist", sample, "-o", str(tmp_path / "c.pdf"))
    assert p.stdout.decode().strip() == f"材料清单已写入 {tmp_path / 'c.pdf'}"
