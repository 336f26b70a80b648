"""Bad input gets a clear DATA-* error naming the field path, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import ROOT, run_cli

BASE = yaml.safe_load((ROOT / "tests" / "cases" / "classic-bachelor-120.yaml").read_text(encoding="utf-8"))["applicant"]


def judged(tmp_path: Path, raw: bytes, name: str = "a.yaml") -> tuple[int, dict[str, Any]]:
    f = tmp_path / name
    f.write_bytes(raw)
    p = run_cli("check", str(f), "--format", "json")
    assert b"Traceback" not in p.stderr and b"Traceback" not in p.stdout
    return p.returncode, json.loads(p.stdout)


def with_changes(**paths: Any) -> bytes:
    doc = json.loads(json.dumps(BASE))
    for path, value in paths.items():
        node = doc
        keys = path.split("__")
        for k in keys[:-1]:
            node = node[int(k)] if k.isdigit() else node[k]
        last = keys[-1]
        if last.isdigit():
            node[int(last)] = value
        else:
            node[last] = value
    return yaml.safe_dump(doc, allow_unicode=True).encode()


def finding(r: dict[str, Any], rule: str) -> dict[str, Any]:
    return next(f for f in r["findings"] if f["rule"] == rule)


def test_empty_file(tmp_path: Path) -> None:
    code, r = judged(tmp_path, b"")
    assert code == 5 and r["verdict"] == "invalid_input"
    assert "文件为空" in finding(r, "DATA-FORMAT")["message"]


def test_non_utf8_bytes(tmp_path: Path) -> None:
    code, r = judged(tmp_path, "person:\n  name: 王小明\n".encode("gbk"))
    assert code == 5 and "UTF-8" in finding(r, "DATA-FORMAT")["message"]


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    code, r = judged(tmp_path, b"person:\n  name: [unclosed\nemployer: x\n")
    assert code == 5
    assert "YAML" in finding(r, "DATA-FORMAT")["message"] and "第 " in finding(r, "DATA-FORMAT")["message"]


def test_json_syntax_error_names_the_line(tmp_path: Path) -> None:
    _, r = judged(tmp_path, b'{"person": {\n "name": }', "a.json")
    assert "第 2 行" in finding(r, "DATA-FORMAT")["message"]


def test_wrong_type_names_the_path(tmp_path: Path) -> None:
    _, r = judged(tmp_path, with_changes(social_insurance__0__base="很多"))
    f = finding(r, "DATA-SI-MONTH")
    assert f["evidence"] == ["social_insurance[0].base"] and "应为数字" in f["message"]


def test_unknown_key_is_reported(tmp_path: Path) -> None:
    _, r = judged(tmp_path, with_changes(employer__kindd="enterprise"))
    f = finding(r, "DATA-FORMAT")
    assert f["evidence"] == ["employer.kindd"] and "未知字段" in f["message"]


def test_unknown_enum_lists_expected_values(tmp_path: Path) -> None:
    _, r = judged(tmp_path, with_changes(employer__kind="company"))
    f = finding(r, "DATA-FORMAT")
    assert f["evidence"] == ["employer.kind"] and "enterprise" in f["message"]


def test_unparseable_date(tmp_path: Path) -> None:
    _, r = judged(tmp_path, with_changes(contract__start="2022/13/01"))
    assert finding(r, "DATA-DATES")["evidence"] == ["contract.start"]


def test_impossible_yaml_date_names_the_line_in_chinese(tmp_path: Path) -> None:
    """YAML reads 1990-13-01 as a date and fails with Python's English "month must be in 1..12"."""
    raw = re_sub_birth(with_changes().decode())
    code, r = judged(tmp_path, raw.encode())
    message = finding(r, "DATA-FORMAT")["message"]
    assert code == 5 and "1990-13-01 不存在" in message and "第 " in message and "month must" not in message
    text = run_cli("check", str(tmp_path / "a.yaml")).stdout.decode()
    assert "申请人文件：a.yaml: 第 " in text and "(file)" not in text
    english = run_cli("check", str(tmp_path / "a.yaml"), "--lang", "en").stdout.decode()
    # In English since issue 11's last gaps were closed (it used to stay Chinese, in brackets).
    assert "Applicant file: a.yaml: The date 1990-13-01 on line " in english and "What to do: Correct" in english


def re_sub_birth(raw: str) -> str:
    """The applicant with an unquoted, impossible contract start (a YAML date, not a string)."""
    import re

    return re.sub(r"start: '2022-01-01'", "start: 1990-13-01", raw, count=1)


def test_future_month(tmp_path: Path) -> None:
    _, r = judged(tmp_path, with_changes(social_insurance__0__month="2025-10..2027-01"))
    f = finding(r, "DATA-DATES")
    assert f["evidence"] == ["social_insurance[0].month"] and "晚于申请月" in f["message"]


def test_duplicate_and_overlapping_months(tmp_path: Path) -> None:
    doc = json.loads(json.dumps(BASE))
    doc["social_insurance"].append({"month": "2026-03", "base": 9000, "payer_uscc": doc["employer"]["uscc"]})
    code, r = judged(tmp_path, yaml.safe_dump(doc, allow_unicode=True).encode())
    f = finding(r, "DATA-SI-MONTH")
    assert code == 5 and f["evidence"] == ["social_insurance[1].month"] and "重复" in f["message"]


def test_negative_base(tmp_path: Path) -> None:
    _, r = judged(tmp_path, with_changes(social_insurance__0__base=-100))
    f = finding(r, "DATA-SI-MONTH")
    assert r["verdict"] == "invalid_input" and f["evidence"] == ["social_insurance[0].base"]


def test_a_million_rows_is_refused_quickly(tmp_path: Path) -> None:
    doc = json.loads(json.dumps(BASE))
    doc["social_insurance"] = [{"month": "2026-01", "base": 9000}] * 1_000_000
    code, r = judged(tmp_path, json.dumps(doc).encode(), "big.json")
    # Issue 9: a 35 MB file is now refused by its size, before it is parsed.
    assert code == 5 and "超过上限" in finding(r, "DATA-FORMAT")["message"]
    doc["social_insurance"] = [{"month": "2026-01", "base": 9000}] * 3_000  # small file, too many rows
    code, r = judged(tmp_path, json.dumps(doc).encode(), "rows.json")
    assert code == 5 and "超过" in finding(r, "DATA-SI-MONTH")["message"]


def test_not_a_mapping(tmp_path: Path) -> None:
    _, r = judged(tmp_path, b"- just\n- a list\n")
    assert "映射" in finding(r, "DATA-FORMAT")["message"]


def test_missing_required_section(tmp_path: Path) -> None:
    doc = json.loads(json.dumps(BASE))
    del doc["contract"]
    _, r = judged(tmp_path, yaml.safe_dump(doc, allow_unicode=True).encode())
    f = finding(r, "DATA-FORMAT")
    assert f["evidence"] == ["contract"] and "缺少" in f["message"]


def test_masked_id_even_when_invalid(tmp_path: Path) -> None:
    _, r = judged(tmp_path, with_changes(social_insurance__0__base="x"))
    assert r["applicant"]["id_number"] == "320102********1239"


def test_as_of_before_the_ruleset_is_a_data_error_not_a_crash(tmp_path: Path) -> None:
    # Found by the independent QA round: the result's ruleset reference looked up parameters on a
    # day before any of them was in force and the run ended in an internal error (exit 1).
    code, result = judged(tmp_path, with_changes(as_of="2019-11-15"))
    assert code == 5 and result["verdict"] == "invalid_input"
    assert [f["rule"] for f in result["findings"]] == ["DATA-DATES"]
    assert result["findings"][0]["evidence"] == ["as_of"]
    assert result["score"]["pass_mark"] == 120
