"""The form's field table, the date forms, the paste parser and the zip checks (no server)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import typing
import zipfile
from pathlib import Path

import pytest
from pydantic import BaseModel

from jifen_check.applicant import Applicant
from jifen_check.web import batchjobs, form
from tests.conftest import cli_command
from tests.web.serverproc import SAMPLES, TOKEN, start_server, stop_server


def _model_paths(model: type[BaseModel], prefix: str = "") -> set[str]:
    paths: set[str] = set()
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key == "format":
            continue
        nested = [a for a in typing.get_args(info.annotation) or (info.annotation,) if isinstance(a, type)
                  and issubclass(a, BaseModel)]
        args = typing.get_args(info.annotation)
        item = args[0] if typing.get_origin(info.annotation) is list and args else None
        if isinstance(item, type) and issubclass(item, BaseModel):
            paths |= _model_paths(item, f"{prefix}{key}[].")
        elif nested:
            paths |= _model_paths(nested[0], f"{prefix}{key}.")
        else:
            paths.add(prefix + key)
    return paths


def test_the_form_covers_every_field_of_the_applicant_format() -> None:
    """Opening a saved file and saving it again must lose nothing: every field has an input."""
    assert {p for p, _ in form.all_fields()} == _model_paths(Applicant)


def test_every_enum_has_chinese_labels_matching_the_model() -> None:
    for _, fld in form.all_fields():
        if fld.kind == "enum":
            assert fld.options and all(label and not label.isascii() for _, label in fld.options)


@pytest.mark.parametrize(("raw", "expected"), [
    ({"as_of": "2026/11/18"}, {"as_of": "2026-11-18"}),
    ({"contract": {"start": "2023年7月1日"}}, {"contract": {"start": "2023-07-01"}}),
    ({"social_insurance": [{"month": "2023.07-2024.01", "base": 1}]},
     {"social_insurance": [{"month": "2023.07-2024.01", "base": 1}]}),  # ambiguous: left for the validator
    ({"social_insurance": [{"month": "202307 ~ 202401", "base": 1}]},
     {"social_insurance": [{"month": "2023-07..2024-01", "base": 1}]}),
    ({"other_social_insurance": [{"from": "2014年7月", "to": "201702", "city": "苏州"}]},
     {"other_social_insurance": [{"from": "2014-07", "to": "2017-02", "city": "苏州"}]}),
    ({"records": {"general_crimes": ["2020/5/1"]}}, {"records": {"general_crimes": ["2020-05-01"]}}),
    ({"qualifications": [{"kind": "skill_level", "level": "3"}]}, {"qualifications": [{"kind": "skill_level", "level": 3}]}),
    ({"contract": {"start": "not a date"}}, {"contract": {"start": "not a date"}}),
])
def test_normalise_accepts_the_batch_reader_date_forms(raw: dict, expected: dict) -> None:
    assert form.normalise(raw) == expected


def test_paste_turns_months_into_range_rows() -> None:
    text = "2023-07\t15000\n2023-08\t15,000.00\n2023年09月 15000\n202310 16000\n\n合计 61000\n2023-12 16000\n"
    parsed = form.parse_paste(text, "base")
    assert parsed.rows == [{"month": "2023-07..2023-09", "base": 15000}, {"month": "2023-10", "base": 16000},
                           {"month": "2023-12", "base": 16000}]
    assert parsed.skipped == ["第 6 行：合计 61000"]
    assert form.parse_paste("2024-01,9500.5", "income").rows == [{"month": "2024-01", "income": 9500.5}]


def _zip(entries: dict[str, bytes]) -> zipfile.ZipFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return zipfile.ZipFile(io.BytesIO(buf.getvalue()))


@pytest.mark.parametrize("name", ["../x.csv", "a/../../x.csv", "/etc/x.csv", "..\\x.csv", "C:/x.csv"])
def test_zip_paths_outside_the_folder_are_refused(name: str) -> None:
    with pytest.raises(batchjobs.UploadRefused, match="不安全的路径"):
        batchjobs.check_zip(_zip({"人员.csv": b"a", name: b"b"}))


def test_zip_entries_are_flattened_and_gbk_names_read() -> None:
    zf = _zip({"folder/人员.csv": b"a", "__MACOSX/._x": b"", ".DS_Store": b""})
    assert [n for _, n in batchjobs.check_zip(zf)] == ["人员.csv"]
    info = zipfile.ZipInfo("人员.csv".encode("gbk").decode("cp437"))
    assert batchjobs._entry_name(info) == "人员.csv"


def test_zip_bomb_is_refused_before_extracting(tmp_path: Path) -> None:
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("人员.csv", b"0" * (20 * 1024 * 1024))
    with pytest.raises(batchjobs.UploadRefused, match="压缩炸弹"):
        batchjobs.extract_zip(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_the_server_leaves_no_files_behind() -> None:
    """Everything goes in the server's own temporary folder, deleted when it stops."""
    scratch = Path(tempfile.mkdtemp(prefix="jw-"))  # short: a unix socket path lives under it
    os.environ["TMPDIR"] = str(scratch)
    try:
        server = start_server()
    finally:
        del os.environ["TMPDIR"]
    try:
        with server.client() as c:
            assert c.post("/api/checklist", content=(SAMPLES / "01-bachelor-degree.yaml").read_bytes()).status_code == 200
            r = c.post("/api/batch", params={"filename": "staff.xlsx", "pdf": "false"},
                       content=(SAMPLES / "staff.xlsx").read_bytes())
            assert r.status_code == 202
            import time

            for _ in range(600):
                if c.get(r.json()["status"]).json()["state"] != "running":
                    break
                time.sleep(0.2)
            assert c.get(r.json()["status"]).json()["state"] == "done"
        assert [p.name for p in scratch.iterdir() if p.name.startswith("jifen-web-")]  # in use while running
    finally:
        stop_server(server)
    leftovers = [p.name for p in scratch.iterdir() if not p.name.startswith("pymp-")]
    shutil.rmtree(scratch)
    assert leftovers == []


def test_serve_refuses_a_busy_port_with_a_sentence() -> None:
    server = start_server()
    try:
        port = server.url.rsplit(":", 1)[1]
        p = subprocess.run([*cli_command(), "serve", "--port", port, "--token", TOKEN], capture_output=True, timeout=60)
        assert p.returncode == 1
        assert "无法监听" in p.stderr.decode() and "Traceback" not in p.stderr.decode()
    finally:
        stop_server(server)


def test_result_fragment_shows_routes_when_the_result_has_them() -> None:
    import json as _json

    from jifen_check.judge import judge
    from jifen_check.validate import parse_text
    from jifen_check.web.app import TEMPLATES

    result = judge(parse_text((SAMPLES / "07-fails-6-of-12.yaml").read_bytes(), "a.yaml")[0]).to_json_dict()
    result = _json.loads(_json.dumps(result))
    without = TEMPLATES.get_template("_result.html.j2").render(r={**result, "routes": []})
    assert "可行的办法" not in without and "暂不符合申请条件" in without
    result["routes"] = [{"eligible_on": "2026-12-18", "points_then": 135, "steps": [
        {"action": "继续缴纳 2026-11 社保", "actor": "单位人事", "effective_on": "2026-12-01"}, {"action": "<b>x</b>"}],
        "assumptions": ["按时缴费"]}]
    html = TEMPLATES.get_template("_result.html.j2").render(r=result)
    assert "2026-12-18" in html and "继续缴纳 2026-11 社保（单位人事）" in html and "前提：按时缴费" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
