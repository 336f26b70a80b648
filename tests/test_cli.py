"""The real `jifen-check` command: outputs, exit codes, help, privacy, and no traceback ever."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from jifen_check import __version__, rulebook
from tests.conftest import ROOT, case_file, check_json, run_cli

SAMPLES = ROOT / "samples"
CASES = ROOT / "tests" / "cases"



def test_json_is_one_result_with_masked_id(tmp_path: Path) -> None:
    code, r = check_json(case_file(tmp_path, "classic-bachelor-120"))
    assert code == 0 and r["verdict"] == "eligible"
    assert r["applicant"]["id_number"] == "320102********1239"
    # Spec update (issue 7): the 2026-07 wage (published 2026-08-18) is in force on 2026-11-22.
    # The spec's two fields keep their meaning; issue 14 added the title, period and tool version.
    assert r["ruleset"] == {"id": "shanghai-2023", "parameters_as_of": "2026-07-01",
                            "title": "上海市居住证积分（沪府规〔2022〕21号）",
                            "in_force": {"from": "2023-01-01", "to": "2027-12-31"},
                            "tool_version": __version__}
    for f in r["findings"]:
        assert f["rule"] and f["confidence"] and f["message"] and f["severity"]


def test_show_id_reveals_the_number(tmp_path: Path) -> None:
    _, r = check_json(case_file(tmp_path, "classic-bachelor-120"), "--show-id")
    assert r["applicant"]["id_number"] == "320102199605101239"


def test_text_report_order_and_masking(tmp_path: Path) -> None:
    p = run_cli("check", str(case_file(tmp_path, "si-5-of-12")))
    text = p.stdout.decode()
    assert p.returncode == 4
    assert text.startswith("结论：暂不符合申请条件")
    assert text.index("积分明细") < text.index("阻断项") < text.index("风险提示") < text.index("最早可申请日期")
    assert "最早可申请日期：2026-12-01" in text
    # Rule IDs are a trailing reference only when asked for (issue 11); the sentence stays plain.
    assert "PRE-SI-6OF12" not in text and "办法：" in text and "依据：" in text
    assert "320102199501151231" not in text and "320102********1231" in text
    with_ids = run_cli("check", str(case_file(tmp_path, "si-5-of-12")), "--rule-ids").stdout.decode()
    assert "〔PRE-SI-6OF12〕" in with_ids


def test_exit_codes_distinguish_verdicts(tmp_path: Path) -> None:
    assert run_cli("check", str(case_file(tmp_path, "classic-bachelor-120"))).returncode == 0
    assert run_cli("check", str(case_file(tmp_path, "nonlocal-office"))).returncode == 4
    assert run_cli("check", str(case_file(tmp_path, "bad-id-number"))).returncode == 5


def test_needs_review_exit_code(tmp_path: Path) -> None:
    doc = yaml.safe_load((CASES / "classic-bachelor-120.yaml").read_text(encoding="utf-8"))["applicant"]
    doc["employer"]["kind"] = "individual_business"
    f = tmp_path / "a.yaml"
    f.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    code, r = check_json(f)
    assert (code, r["verdict"]) == (3, "needs_review")
    assert "PRE-EMPLOYER-INDIVIDUAL" in {x["rule"] for x in r["findings"]}


def test_stdin_and_as_of_override(tmp_path: Path) -> None:
    raw = case_file(tmp_path, "si-5-of-12").read_bytes()
    p = run_cli("check", "-", "--format", "json", "--as-of", "2026-12-01", stdin=raw)
    r = json.loads(p.stdout)
    assert r["as_of"] == "2026-12-01"
    # In December the 12 months before hold 6 paid months: the gate passes.
    assert "PRE-SI-6OF12" not in {f["rule"] for f in r["findings"]}


def test_help_documents_exit_codes() -> None:
    p = run_cli("check", "--help")
    out = p.stdout.decode()
    assert p.returncode == 0 and "3 需人工复核" in out and "5 输入有误" in out and "--show-id" in out


def test_missing_file_is_a_usage_error_without_traceback() -> None:
    p = run_cli("check", "no-such-file.yaml")
    assert p.returncode == 2
    assert "找不到文件" in p.stderr.decode() and b"Traceback" not in p.stderr


def test_rules_lists_every_rule_with_confidence_and_source() -> None:
    p = run_cli("rules", "--format", "json")
    listed = {r["id"]: r for r in json.loads(p.stdout)}
    assert set(listed) == set(rulebook.load().rules)
    assert listed["PRE-SI-6OF12"]["confidence"] == "official" and listed["PRE-SI-6OF12"]["source"]
    assert listed["PIT-THREE-PLACES"]["confidence"] == "practice"
    text = run_cli("rules").stdout.decode()
    assert "PTS-AGE" in text and "出处" in text


def test_explain_si_base_names_months_and_wages() -> None:
    p = run_cli("explain", str(SAMPLES / "10-backpay-and-mismatch.yaml"), "BON-SI-BASE")
    out = p.stdout.decode()
    assert p.returncode == 0
    assert "补缴，剔除" in out and "单位不一致，剔除" in out and "个税不对应，剔除" in out
    # the wage in force for each month; spec update (issue 7): 2026-07 on, 12577 (unverified)
    assert "/ 12183" in out and "/ 12577（未核实）" in out
    # issue 11: the facts by their declared Chinese labels, never the internal names
    assert "✓ 基数达 0.8 倍的月数 < 36   （实际 35）" in out and "si_base_months" not in out and "事实 profile" not in out


def test_explain_fired_rule_shows_facts(tmp_path: Path) -> None:
    out = run_cli("explain", str(case_file(tmp_path, "si-5-of-12")), "PRE-SI-6OF12").stdout.decode()
    assert "第 1 种情形成立" in out
    assert "✓ 近 12 个月缴费月数 < 6   （实际 5）" in out and "si_6of12" not in out


def test_explain_unknown_rule_is_usage_error(tmp_path: Path) -> None:
    p = run_cli("explain", str(case_file(tmp_path, "si-5-of-12")), "PRE-NOPE")
    assert p.returncode == 2 and "jifen-check rules" in p.stderr.decode()


def test_schema_is_generated_from_models() -> None:
    schema = json.loads(run_cli("schema").stdout)
    assert schema["$id"] == "jifen-check/applicant@1"
    assert {"person", "residence_permit", "employer", "contract", "social_insurance"} <= set(schema["required"])
    assert schema["additionalProperties"] is False


def test_check_without_pdf_does_not_import_weasyprint(tmp_path: Path) -> None:
    f = case_file(tmp_path, "classic-bachelor-120")
    code = ("import sys\nfrom jifen_check.cli import main\n"
            f"try:\n    main(['check', {str(f)!r}, '--format', 'json'])\nexcept SystemExit:\n    pass\n"
            "assert 'weasyprint' not in sys.modules, 'weasyprint imported'\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT)
    assert p.returncode == 0, p.stderr.decode()


def test_every_sample_matches_its_readme_verdict() -> None:
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    files = sorted(SAMPLES.glob("*.yaml"))
    assert len(files) >= 8
    for f in files:
        row = next(line for line in readme.splitlines() if f.name in line)
        _, r = check_json(f)
        assert r["verdict"] in row, (f.name, r["verdict"], row)


def test_version_names_each_ruleset_with_period_and_parameter_date() -> None:
    p = run_cli("--version")
    assert p.returncode == 0
    lines = p.stdout.decode().splitlines()
    assert lines[0] == f"jifen-check {__version__}"
    ruleset_lines = [ln for ln in lines if ln.startswith("规则集 ")]
    assert len(ruleset_lines) == len(rulebook.available()) >= 1
    assert "shanghai-2023" in ruleset_lines[0] and "施行期 2023-01-01 至 2027-12-31" in ruleset_lines[0]
    assert "参数截至 20" in ruleset_lines[0]


def test_unknown_ruleset_message_is_chinese() -> None:
    rulebook.load.cache_clear()
    try:
        with pytest.raises(rulebook.RulesetError) as err:
            rulebook.load("no-such-ruleset")
    finally:
        rulebook.load.cache_clear()
    message = str(err.value)
    assert "找不到规则集 no-such-ruleset" in message and "shanghai-2023" in message
    assert "no such" not in message
