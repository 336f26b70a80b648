"""Batch runs through the server: upload, progress, counts, rows, downloads, deletion."""

from __future__ import annotations

import io
import json
import tempfile
import time
import zipfile
from pathlib import Path

from pypdf import PdfReader

from tests.conftest import run_cli
from tests.web.serverproc import SAMPLES, Server, sample


def _wait(c, run_id: str) -> dict:  # noqa: ANN001
    deadline = time.time() + 300
    while time.time() < deadline:
        s = c.get(f"/api/batch/{run_id}").json()
        if s["state"] != "running":
            return s
        time.sleep(0.3)
    raise AssertionError("batch did not finish")


def test_zip_of_yaml_files_with_pdfs(server: Server, tmp_path) -> None:  # noqa: ANN001
    names = ["01-bachelor-degree.yaml", "07-fails-6-of-12.yaml", "11-needs-review-title-appointment.yaml"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n in names:
            zf.writestr(f"people/{n}", sample(n))
    with server.client() as c:
        r = c.post("/api/batch", params={"filename": "people.zip"}, content=buf.getvalue())
        assert r.status_code == 202, r.text
        run_id = r.json()["id"]
        status = _wait(c, run_id)
        assert status["state"] == "done", status
        assert status["done"] == status["expected"] == 3
        assert status["counts"] == {"eligible": 1, "not_eligible": 1, "needs_review": 1}
        rows = c.get(f"/api/batch/{run_id}/rows").json()
        assert [r["verdict"] for r in rows] == ["eligible", "not_eligible", "needs_review"]
        assert rows[0]["id_number"] == "320102********0314"
        assert len(c.get(f"/api/batch/{run_id}/rows", params={"verdict": "eligible"}).json()) == 1
        lines = c.get(f"/api/batch/{run_id}/files/results.jsonl").text.splitlines()
        assert [json.loads(x)["applicant"]["name"] for x in lines] == [r["name"] for r in rows]
        summary = c.get(f"/api/batch/{run_id}/files/summary.pdf")
        assert summary.status_code == 200 and summary.content.startswith(b"%PDF")
        assert c.get(f"/api/batch/{run_id}/files/summary.xlsx").content.startswith(b"PK")
        pdfs = zipfile.ZipFile(io.BytesIO(c.get(f"/api/batch/{run_id}/files/checklists.zip").content))
        assert len(pdfs.namelist()) == 3
        text = PdfReader(io.BytesIO(pdfs.read(sorted(pdfs.namelist())[0]))).pages[0].extract_text()
        assert "陈思远" in text
        assert c.get(f"/api/batch/{run_id}/files/../../etc/passwd").status_code == 404
        assert c.delete(f"/api/batch/{run_id}").json() == {"deleted": True}
        assert c.get(f"/api/batch/{run_id}").status_code == 404


def test_zip_of_csv_files(server: Server, tmp_path) -> None:  # noqa: ANN001
    template = tmp_path / "t.xlsx"
    assert run_cli("template", str(template)).returncode == 0
    import openpyxl

    wb = openpyxl.load_workbook(SAMPLES / "staff.xlsx", read_only=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for title in ("人员", "社保", "个税", "学历", "职称技能", "家庭"):
            if title not in wb.sheetnames:
                continue
            out = io.StringIO()
            for row in wb[title].iter_rows(values_only=True):
                out.write(",".join("" if v is None else str(v).replace(",", " ") for v in row) + "\n")
            zf.writestr(f"{title}.csv", out.getvalue().encode("utf-8"))
    with server.client() as c:
        r = c.post("/api/batch", params={"filename": "staff-csv.zip", "pdf": "false"}, content=buf.getvalue())
        assert r.status_code == 202, r.text
        status = _wait(c, r.json()["id"])
        assert status["state"] == "done", status
        assert status["total"] == 30
        c.delete(f"/api/batch/{r.json()['id']}")


def test_unreadable_upload_gets_a_clear_message(server: Server) -> None:
    with server.client() as c:
        bad = c.post("/api/batch", params={"filename": "staff.xlsx"}, content=b"not a workbook")
        other = c.post("/api/batch", params={"filename": "notes.txt"}, content=b"hello")
    assert bad.status_code == 400 and "xlsx" in bad.json()["detail"]
    assert other.status_code == 400 and "不支持" in other.json()["detail"]


def test_empty_template_download(server: Server) -> None:
    import openpyxl

    with server.client() as c:
        r = c.get("/api/template.xlsx")
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert "人员" in wb.sheetnames and "社保" in wb.sheetnames


def _run_folder(run_id: str) -> Path:
    """The run's folder under the server's temporary root (the server made it with mkdtemp)."""
    found = list(Path(tempfile.gettempdir()).glob(f"jifen-web-*/batch-{run_id}"))
    assert len(found) <= 1
    return found[0] if found else Path(tempfile.gettempdir()) / "gone" / run_id


def test_files_are_deleted_once_every_download_is_done(server: Server) -> None:
    """Without PDFs a run offers summary.xlsx and results.jsonl: after the first download the folder
    stays; after the second it is gone, the table still answers, and a new download says why not."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("01.yaml", sample("01-bachelor-degree.yaml"))
    with server.client() as c:
        run_id = c.post("/api/batch", params={"filename": "one.zip", "pdf": False}, content=buf.getvalue()).json()["id"]
        status = _wait(c, run_id)
        assert status["state"] == "done" and status["files_deleted"] is False
        folder = _run_folder(run_id)
        assert folder.is_dir()
        assert c.get(f"/api/batch/{run_id}/files/summary.xlsx").content.startswith(b"PK")
        time.sleep(0.5)  # the deletion runs after the response is sent
        assert folder.is_dir() and c.get(f"/api/batch/{run_id}").json()["files_deleted"] is False
        assert c.get(f"/api/batch/{run_id}/files/results.jsonl").status_code == 200
        deadline = time.time() + 10
        while folder.exists() and time.time() < deadline:
            time.sleep(0.2)
        assert not folder.exists()
        assert c.get(f"/api/batch/{run_id}").json()["files_deleted"] is True
        again = c.get(f"/api/batch/{run_id}/files/summary.xlsx")
        assert again.status_code == 404 and "已删除" in again.json()["detail"]
        assert [r["verdict"] for r in c.get(f"/api/batch/{run_id}/rows").json()] == ["eligible"]
        assert c.delete(f"/api/batch/{run_id}").json() == {"deleted": True}
