"""IDs stay masked (issue 9 #8, #9): every output of a run is scanned for every input ID."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import yaml
from conftest import ROOT, run_cli
from openpyxl import load_workbook
from pypdf import PdfReader
from test_batch_helpers import id_number, staff, write_workbook

from jifen_check.identifiers import id_check_char, make_id_number

PIECE = 10


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(path.read_bytes())).pages)


def xlsx_text(path: Path) -> str:
    wb = load_workbook(path)
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None)


def leaks(texts: dict[str, str], ids: list[str]) -> list[str]:
    found = []
    for idn in ids:
        for where, text in texts.items():
            flat = text.upper()
            for i in range(len(idn) - PIECE + 1):
                if idn[i : i + PIECE] in flat:
                    found.append(f"{idn[i:i + PIECE]} of {idn} in {where}")
                    break
    return found


def bad_ids() -> dict[str, str]:
    good = make_id_number("320102", dt.date(1990, 3, 7), "123")
    first17 = "32010219900307124"
    wrong_check = first17 + ("0" if id_check_char(first17) != "0" else "1")
    bad_birth17 = "32010219901340125"
    bad_birth = bad_birth17 + id_check_char(bad_birth17)
    return {"good": good, "check": wrong_check, "birth": bad_birth, "short": "32010219900307126",
            "spouse": make_id_number("310101", dt.date(1991, 8, 9), "224")}


def applicant(id_text: str, *, key: str = "id_number", spouse: str | None = None) -> dict:
    doc = yaml.safe_load((ROOT / "tests" / "cases" / "classic-bachelor-120.yaml").read_text(encoding="utf-8"))
    doc = doc.get("applicant", doc)
    person = doc["person"]
    person.pop("id_number", None)
    person[key] = id_text
    if key != "id_number":
        person["id_number"] = make_id_number("110101", dt.date(1985, 1, 1), "010")
    person["birth_date"] = "1990-03-08"  # disagrees with the ID: a message used to quote both
    if spouse:
        doc.setdefault("family", {})["spouse"] = {"id_number": spouse, "hukou_shanghai": False}
    return doc


def check_outputs(tmp_path: Path, name: str, doc: dict, *extra: str) -> dict[str, str]:
    f = tmp_path / f"{name}.yaml"
    f.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    texts: dict[str, str] = {}
    for fmt in ("text", "json"):
        done = run_cli("check", str(f), "--format", fmt, "--pdf", str(tmp_path / f"{name}.pdf"), *extra)
        texts[f"{name} {fmt}"] = done.stdout.decode() + done.stderr.decode()
    texts[f"{name} pdf"] = pdf_text(tmp_path / f"{name}.pdf")
    run_cli("checklist", str(f), "-o", str(tmp_path / f"{name}-c.pdf"), "--html", str(tmp_path / f"{name}.html"), *extra)
    texts[f"{name} html"] = (tmp_path / f"{name}.html").read_text(encoding="utf-8")
    return texts


def test_check_outputs_never_show_an_input_id(tmp_path: Path) -> None:
    ids = bad_ids()
    texts: dict[str, str] = {}
    texts |= check_outputs(tmp_path, "good", applicant(ids["good"], spouse=ids["spouse"]))
    texts |= check_outputs(tmp_path, "check", applicant(ids["check"]))
    texts |= check_outputs(tmp_path, "birth", applicant(ids["birth"]))
    texts |= check_outputs(tmp_path, "short", applicant(ids["short"]))
    texts |= check_outputs(tmp_path, "misspelt", applicant(ids["good"], key="idnumber"))
    assert "idnumber" in texts["misspelt json"]  # the misspelt key is reported…
    assert leaks(texts, list(ids.values())) == []  # …without its value
    clean = applicant(ids["good"])
    del clean["person"]["birth_date"]
    texts = check_outputs(tmp_path, "clean", clean)
    assert leaks(texts, [ids["good"]]) == []
    good = json.loads(texts["clean json"].split("\n材料清单")[0])
    assert good["verdict"] != "invalid_input"
    assert good["applicant"]["id_number"] == ids["good"][:6] + "*" * 8 + ids["good"][-4:]
    assert "1990-03-07" not in texts["clean json"] and "birth_date" not in texts["clean json"]
    age_line = next(ln for ln in good["score"]["lines"] if "age" in ln["facts"])
    assert isinstance(age_line["facts"]["age"], int)  # the age instead of the birth date
    shown = check_outputs(tmp_path, "shown", clean, "--show-id")
    assert ids["good"] in shown["shown json"] and "birth_date" in shown["shown json"]  # the scan can see


def test_batch_outputs_never_show_an_input_id(tmp_path: Path) -> None:
    ids = bad_ids()
    sheets = staff(5)
    people = sheets["人员"]
    people[0]["身份证号"] = ids["check"]
    people[1]["身份证号"] = ids["birth"]
    people[2]["身份证号"] = ids["short"]
    people[3]["户籍省份"] = ids["good"]  # an ID typed into the wrong column
    book = write_workbook(tmp_path / "in.xlsx", sheets)
    out = tmp_path / "out"
    done = run_cli("batch", str(book), "--out", str(out), "--as-of", "2026-11-18", "--jobs", "2")
    assert done.returncode == 5, done.stderr.decode()
    texts = {"stdout": done.stdout.decode(), "stderr": done.stderr.decode(),
             "results.jsonl": (out / "results.jsonl").read_text(encoding="utf-8"),
             "summary.xlsx": xlsx_text(out / "summary.xlsx"), "summary.pdf": pdf_text(out / "summary.pdf")}
    for pdf in (out / "checklists").iterdir():
        texts[pdf.name] = pdf_text(pdf)
    if (out / "batch.log").exists():
        texts["batch.log"] = (out / "batch.log").read_text(encoding="utf-8")
    all_ids = list(ids.values()) + [id_number(5)]
    assert leaks(texts, all_ids) == []
    assert "birth_date" not in texts["results.jsonl"]
    results = [json.loads(x) for x in texts["results.jsonl"].splitlines()]
    assert [r["verdict"] for r in results][:3] == ["invalid_input"] * 3
