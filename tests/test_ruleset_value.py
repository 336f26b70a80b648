"""The ruleset is a value passed through every layer: `check --ruleset` runs a second, tiny ruleset
(tests/rulesets/tiny: age points only, pass mark 25, no documents) through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from builders import base_applicant

from tests.conftest import run_cli

TINY = Path(__file__).parent / "rulesets" / "tiny"


def test_check_with_another_ruleset(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_text(yaml.safe_dump(base_applicant(), allow_unicode=True), encoding="utf-8")
    p = run_cli("check", str(f), "--format", "json", "--ruleset", str(TINY))
    r = json.loads(p.stdout)
    assert p.returncode == 0, p.stderr.decode()
    assert r["ruleset"]["id"] == "tiny-test"
    assert [(x["rule"], x["points"]) for x in r["score"]["lines"]] == [("PTS-AGE", 30)]
    assert r["score"]["pass_mark"] == 25 and r["verdict"] == "eligible" and r["checklist"] == []
    default = json.loads(run_cli("check", str(f), "--format", "json").stdout)
    assert default["ruleset"]["id"] == "shanghai-2023" and default["score"]["total"] == 179


def test_a_blocker_of_the_tiny_ruleset(tmp_path: Path) -> None:
    doc = base_applicant()
    doc["residence_permit"]["status"] = "expired"
    f = tmp_path / "b.yaml"
    f.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    p = run_cli("check", str(f), "--format", "json", "--ruleset", str(TINY))
    r = json.loads(p.stdout)
    assert p.returncode == 4 and [x["rule"] for x in r["findings"]] == ["PRE-PERMIT-VALID"]


def test_unknown_ruleset_is_a_clear_error(tmp_path: Path) -> None:
    f = tmp_path / "c.yaml"
    f.write_text(yaml.safe_dump(base_applicant(), allow_unicode=True), encoding="utf-8")
    p = run_cli("check", str(f), "--ruleset", str(tmp_path / "nowhere"))
    assert p.returncode == 1 and "no such ruleset" in p.stderr.decode() and b"Traceback" not in p.stderr


def _applicants(tmp_path: Path) -> Path:
    """A folder of two applicant files (a batch input): one eligible, one with an expired permit."""
    folder = tmp_path / "people"
    folder.mkdir()
    expired = base_applicant()
    expired["residence_permit"]["status"] = "expired"
    for name, doc in (("a.yaml", base_applicant()), ("b.yaml", expired)):
        (folder / name).write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return folder


def test_batch_with_another_ruleset(tmp_path: Path) -> None:
    """`batch --ruleset` judges every row by it; summary.pdf marks its pass mark (25, not 120)."""
    from pypdf import PdfReader

    out = tmp_path / "out"
    p = run_cli("batch", str(_applicants(tmp_path)), "--out", str(out), "--ruleset", str(TINY), "--jobs", "1")
    assert p.returncode == 0, p.stderr.decode()
    results = [json.loads(x) for x in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["ruleset"]["id"] for r in results] == ["tiny-test", "tiny-test"]
    assert [r["verdict"] for r in results] == ["eligible", "not_eligible"]
    assert {r["score"]["pass_mark"] for r in results} == {25}
    assert [[x["rule"] for x in r["score"]["lines"]] for r in results] == [["PTS-AGE"], ["PTS-AGE"]]
    summary = "".join(page.extract_text() for page in PdfReader(out / "summary.pdf").pages)
    assert "25 分线" in summary and "120 分线" not in summary
    assert len(list((out / "checklists").glob("*.pdf"))) == 2


def test_batch_refuses_an_unknown_ruleset_before_any_work(tmp_path: Path) -> None:
    out = tmp_path / "out"
    p = run_cli("batch", str(_applicants(tmp_path)), "--out", str(out), "--ruleset", str(tmp_path / "nowhere"))
    err = p.stderr.decode()
    assert p.returncode == 1 and "no such ruleset" in err and "Traceback" not in err
    assert not out.exists()


def test_checklist_explain_and_rules_take_the_ruleset(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_text(yaml.safe_dump(base_applicant(), allow_unicode=True), encoding="utf-8")
    pdf = tmp_path / "a.pdf"
    p = run_cli("checklist", str(f), "-o", str(pdf), "--ruleset", str(TINY))
    assert p.returncode == 0 and pdf.stat().st_size > 0, p.stderr.decode()
    listed = json.loads(run_cli("rules", "--format", "json", "--ruleset", str(TINY)).stdout)
    assert {r["id"] for r in listed} == {"PRE-PERMIT-VALID", "PTS-AGE", "AGG-TOTAL", "VERDICT-NOT-ELIGIBLE",
                                         "VERDICT-ELIGIBLE"}
    p = run_cli("explain", str(f), "PTS-AGE", "--ruleset", str(TINY))
    assert p.returncode == 0 and "积分：30 分" in p.stdout.decode(), p.stderr.decode()
    p = run_cli("explain", str(f), "PTS-EDU", "--ruleset", str(TINY))  # the default ruleset's rule, not tiny's
    assert p.returncode == 2 and "PTS-EDU" in p.stderr.decode()


def test_a_ruleset_loaded_by_path_is_found_again_by_its_id() -> None:
    """A result names its ruleset by id; the renderers find the folder (labels, submission) from it."""
    from jifen_check import rulebook
    from jifen_check.cli import judge_file
    from jifen_check.render.plain import book_for
    from tests.conftest import ROOT

    result = judge_file(str(ROOT / "samples" / "01-bachelor-degree.yaml"), None, False, str(TINY)).result
    assert result.ruleset.id == "tiny-test" and rulebook.folder("tiny-test") == TINY.resolve()
    assert book_for(result) is not None and set(book_for(result).rules) == set(rulebook.load(str(TINY)).rules)
    # Presentation files the tiny ruleset does not have come from the shipped default.
    assert rulebook.ruleset_file("tiny-test", "labels.yaml") == rulebook.RULESETS_DIR / "shanghai-2023" / "labels.yaml"
    assert rulebook.ruleset_file("tiny-test", "ruleset.yaml") == TINY.resolve() / "ruleset.yaml"


def test_serve_takes_the_ruleset(tmp_path: Path) -> None:
    """`serve --ruleset`: the API, the checklist and a batch upload are judged by the server's ruleset."""
    import io
    import time
    import zipfile

    from tests.web.serverproc import start_server, stop_server

    server = start_server("--ruleset", str(TINY), "--workers", "1")
    try:
        with server.client() as c:
            r = c.post("/api/check", json=base_applicant())
            assert r.status_code == 200, r.text
            assert r.json()["ruleset"]["id"] == "tiny-test" and r.json()["score"]["pass_mark"] == 25
            r = c.post("/api/checklist", json=base_applicant())
            assert r.status_code == 200 and r.headers["X-Verdict"] == "eligible"
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w") as zf:
                for f in sorted(_applicants(tmp_path).iterdir()):
                    zf.writestr(f.name, f.read_bytes())
            r = c.post("/api/batch", params={"filename": "people.zip", "pdf": "false"}, content=buf.getvalue())
            assert r.status_code == 202, r.text
            run_id, deadline = r.json()["id"], time.time() + 300
            while (status := c.get(f"/api/batch/{run_id}").json())["state"] == "running" and time.time() < deadline:
                time.sleep(0.3)
            assert status["state"] == "done", status
            lines = c.get(f"/api/batch/{run_id}/files/results.jsonl").text.splitlines()
            assert [json.loads(x)["ruleset"]["id"] for x in lines] == ["tiny-test", "tiny-test"]
    finally:
        stop_server(server)


def test_serve_refuses_an_unknown_ruleset(tmp_path: Path) -> None:
    p = run_cli("serve", "--port", "0", "--ruleset", str(tmp_path / "nowhere"))
    err = p.stderr.decode()
    assert p.returncode == 1 and "规则文件有误" in err and "Traceback" not in err and not p.stdout
