"""The JSON API of `jifen-check serve`, against the real server and compared with the real CLI."""

from __future__ import annotations

import io
import json
from concurrent.futures import ThreadPoolExecutor

import yaml
from pypdf import PdfReader

from tests.conftest import ROOT, check_json
from tests.web.serverproc import SAMPLES, Server, sample

SAMPLE_NAMES = sorted(p.name for p in SAMPLES.glob("*.yaml"))


def _comparable(result: dict) -> dict:
    out = dict(result)
    out["applicant"] = {k: v for k, v in result["applicant"].items() if k != "row"}
    return out


def test_check_gives_the_same_result_as_the_cli(server: Server) -> None:
    with server.client() as c:
        for name in ("01-bachelor-degree.yaml", "07-fails-6-of-12.yaml", "11-needs-review-title-appointment.yaml"):
            r = c.post("/api/check", content=sample(name), headers={"Content-Type": "application/yaml"})
            assert r.status_code == 200, r.text
            _, expected = check_json(SAMPLES / name)
            assert _comparable(r.json()) == _comparable(expected)


def test_json_body_and_show_id(server: Server) -> None:
    doc = yaml.safe_load(sample("01-bachelor-degree.yaml"))
    with server.client() as c:
        masked = c.post("/api/check", json=json.loads(json.dumps(doc, default=str))).json()
        full = c.post("/api/check", params={"show_id": "true"}, json=json.loads(json.dumps(doc, default=str))).json()
    assert masked["applicant"]["id_number"] == "320102********0314"
    assert full["applicant"]["id_number"] == "320102199704160314"


def test_parseable_but_invalid_applicant_is_200_invalid_input(server: Server) -> None:
    doc = yaml.safe_load((ROOT / "tests" / "cases" / "bad-id-number.yaml").read_text(encoding="utf-8"))["applicant"]
    with server.client() as c:
        r = c.post("/api/check", json=doc)
    assert r.status_code == 200
    assert r.json()["verdict"] == "invalid_input"
    assert any(f["rule"] == "DATA-ID-NUMBER" and f["evidence"] == ["person.id_number"] for f in r.json()["findings"])


def test_wrong_body_is_422_with_data_findings_and_paths(server: Server) -> None:
    doc = yaml.safe_load(sample("01-bachelor-degree.yaml"))
    del doc["employer"]
    doc["person"]["nmae"] = "typo"
    doc["social_insurance"][0]["base"] = "很多"
    with server.client() as c:
        r = c.post("/api/check", content=json.dumps(doc, default=str, ensure_ascii=False).encode())
        broken = c.post("/api/check", content=b'{"person": ')
    assert r.status_code == 422
    paths = {e["path"]: e["rule"] for e in r.json()["errors"]}
    assert paths["employer"] == "DATA-FORMAT"
    assert paths["person.nmae"] == "DATA-FORMAT"
    assert paths["social_insurance[0].base"] == "DATA-SI-MONTH"
    assert r.json()["verdict"] == "invalid_input"
    assert broken.status_code == 422
    assert broken.json()["errors"][0]["rule"] == "DATA-FORMAT"
    assert "JSON 语法错误" in broken.json()["errors"][0]["message"]


def test_checklist_pdf(server: Server) -> None:
    with server.client() as c:
        r = c.post("/api/checklist", content=sample("01-bachelor-degree.yaml"))
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["x-verdict"] == "eligible"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)
    assert "陈思远" in text and "材料" in text
    assert "320102199704160314" not in text  # masked unless show_id


def test_openapi_document_describes_the_api(server: Server) -> None:
    with server.client() as c:
        doc = c.get("/openapi.json").json()
    assert {"/api/check", "/api/checklist", "/api/batch"} <= set(doc["paths"])
    assert "person" in doc["components"]["schemas"]["Applicant"]["properties"]
    assert "verdict" in doc["components"]["schemas"]["Result"]["properties"]


def test_fifty_concurrent_checks_all_correct(server: Server) -> None:
    """durable-rules is not thread-safe: the server judges in worker processes, never two threads."""
    from jifen_check.judge import judge
    from jifen_check.validate import parse_text

    bodies = [sample(SAMPLE_NAMES[i % len(SAMPLE_NAMES)]) for i in range(50)]
    expected = {}
    for name in SAMPLE_NAMES:
        result = judge(parse_text(sample(name), name)[0])
        expected[name] = (result.verdict, result.score.total, result.applicant.name, len(result.findings))

    def one(i: int) -> tuple[str, dict]:
        with server.client() as c:
            return SAMPLE_NAMES[i % len(SAMPLE_NAMES)], c.post("/api/check", content=bodies[i]).json()

    with ThreadPoolExecutor(50) as pool:
        got = list(pool.map(one, range(50)))
    assert len(got) == 50
    for name, result in got:
        assert (result["verdict"], result["score"]["total"], result["applicant"]["name"],
                len(result["findings"])) == expected[name], name
