"""Every CLI error and help page is Chinese, including click's own usage, value and file errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

SAMPLE = str(ROOT / "samples" / "01-bachelor-degree.yaml")
# Click's English phrases (click/core.py, exceptions.py, types.py, parser.py); none may reach a user.
ENGLISH = ["Usage:", "Error:", "Try '", "Invalid value", "does not exist", "does not match", "Missing",
           "No such", "Got unexpected", "requires an argument", "is not one of", "is not a valid",
           "is not in the range", "Options:", "Commands:", "Show this message", "Show the version",
           "default:", "required]", "[OPTIONS]", "COMMAND [ARGS]", "Could not open", "Aborted", "EOCD",
           "invalid Zip"]


def english_in(text: str) -> list[str]:
    return [phrase for phrase in ENGLISH if phrase in text]


@pytest.mark.parametrize(("args", "expected"), [
    (["check", "--as-of", "2026-13-01", SAMPLE], "不是有效日期"),
    (["check", "nosuch.yaml"], "找不到文件"),
    (["check"], "缺少参数 'FILE'"),
    (["check", "--fmt", "x", SAMPLE], "没有选项 '--fmt'"),
    (["check", "--format", "xml", SAMPLE], "不是可选值之一"),
    (["check", SAMPLE, "extra"], "多余的参数"),
    (["check", SAMPLE, "--pdf"], "后面需要一个值"),
    (["chek"], "没有命令 'chek'"),
    (["batch", "nosuch", "--out", "x"], "不存在"),
    (["batch", SAMPLE], "缺少选项 '--out'"),
    (["batch", "--jobs", "0", SAMPLE, "--out", "x"], "超出允许范围"),
    (["template", "x.txt"], ".xlsx"),
    (["explain", SAMPLE, "NO-SUCH-RULE"], "没有规则"),
])
def test_usage_errors_are_chinese(args: list[str], expected: str) -> None:
    p = run_cli(*args)
    err = p.stderr.decode()
    assert p.returncode == 2, err
    assert expected in err and "错误：" in err
    assert not english_in(err), err


def test_file_errors_are_chinese(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    p = run_cli("batch", str(bad), "--out", str(tmp_path / "o"))
    err = p.stderr.decode()
    assert p.returncode == 7 and "无法作为 .xlsx 工作簿打开" in err and not english_in(err), err


@pytest.mark.parametrize("args", [[], ["check"], ["checklist"], ["batch"], ["template"], ["rules"],
                                  ["explain"], ["schema"]])
def test_help_is_chinese(args: list[str]) -> None:
    p = run_cli(*args, "--help")
    out = p.stdout.decode()
    assert p.returncode == 0 and "用法：" in out and "显示此帮助并退出" in out, out
    assert not english_in(out), out


def test_lower_case_rule_id_is_accepted() -> None:
    p = run_cli("explain", SAMPLE, "pre-score")
    assert p.returncode == 0, p.stderr.decode()
    assert "PRE-SCORE" in p.stdout.decode()


def test_top_level_help_lists_every_command() -> None:
    p = run_cli("--help")
    out = p.stdout.decode()
    assert p.returncode == 0 and "命令" in out, out
    for name in ["check", "checklist", "plan", "explain", "rules", "schema", "template", "batch", "serve"]:
        assert f"\n  {name} " in out, (name, out)
