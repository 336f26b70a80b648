"""Applicant builders and result helpers for the per-rule tests (tests/test_rules_*.py).

`base_applicant()` is a realistic, eligible applicant in the `jifen-check/applicant@1` format:
application date 2026-11-18, born 1996-03-07 (30 on the application date), full-time 本科 +
学士学位 from a Shanghai university, Shanghai employer with a valid 统一社会信用代码, social
insurance 2023-01..2026-11 at base 15000 paid by the employer, income tax 2023-01..2026-10 at
16000 withheld by the employer, open-ended contract since 2022-01-01, permit valid until
2027-09-30 and renewed 2026-09-20.

Its score: PTS-AGE 30 + PTS-EDU 90 + PTS-SI-YEARS 9 (47 valid months → 3 full years) + BON-SI-BASE
50 (15000 is between 1× and 2× every wage in force; 46 months of the 48-month window 2022-11..
2026-10 hold a record) = 179. Its only finding is PIT-PARAM-PROVISIONAL (info): 2026-07..2026-10
are compared with the 2025-07 wage, the 2026-07 value not being published.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from jifen_check import months as mo
from jifen_check.identifiers import make_id_number, make_uscc
from jifen_check.judge import judge, judge_full
from jifen_check.result import Finding, Result, ScoreLine

AS_OF = "2026-11-18"
BIRTH = dt.date(1996, 3, 7)
EMPLOYER_USCC = make_uscc("91310115MA1K3P7Q0")  # 310115: 浦东新区
OTHER_SH_USCC = make_uscc("91310104MA1FR2K3X")  # another Shanghai unit (310104: 徐汇区)
NONLOCAL_USCC = make_uscc("91320505MA1MXXC1Q")  # 320505: 苏州 (not Shanghai)
ID_NUMBER = make_id_number("320102", BIRTH, "123")

BASE_TOTAL = 179


def id_for_birth(birth: dt.date, area6: str = "320102", seq3: str = "123") -> str:
    """A valid resident ID number for a given birth date."""
    return make_id_number(area6, birth, seq3)


def base_applicant(**overrides: Any) -> dict[str, Any]:
    """A fresh eligible applicant dict; each keyword replaces a top-level section (or as_of).

    `base_applicant(education=[...])` replaces the whole education list. Use `with_path` to tweak
    one nested field.
    """
    doc: dict[str, Any] = {
        "format": "jifen-check/applicant@1",
        "as_of": AS_OF,
        "person": {
            "name": "王小明",
            "id_number": ID_NUMBER,
            "birth_date": BIRTH.isoformat(),
            "hukou_province": "江苏",
            "personnel_archive": "ok",
        },
        "residence_permit": {
            "status": "valid",
            "valid_until": "2027-09-30",
            "issued_or_renewed_on": "2026-09-20",
        },
        "employer": {
            "name": "上海示例科技有限公司",
            "uscc": EMPLOYER_USCC,
            "kind": "enterprise",
        },
        "contract": {
            "employer_uscc": EMPLOYER_USCC,
            "start": "2022-01-01",
            "end": None,
            "position": "嵌入式软件工程师",
        },
        "social_insurance": [
            {"month": "2023-01..2026-11", "base": 15000, "payer_uscc": EMPLOYER_USCC},
        ],
        "other_social_insurance": [],
        "income_tax": [
            {"month": "2023-01..2026-10", "income": 16000, "withholder_uscc": EMPLOYER_USCC},
        ],
        "education": [
            {
                "level": "bachelor", "mode": "full_time", "diploma": True, "degree": True,
                "school": "同济大学", "major": "软件工程", "major_code": "080902",
                "start": "2014-09", "end": "2018-07", "study_city": "上海",
                "chsi_verifiable": True, "foreign": False, "cscse_certified": False,
            },
        ],
        "qualifications": [],
        "records": {
            "serious_crime": False, "general_crimes": [], "administrative_detentions": [],
            "false_materials": [], "false_materials_serious": False, "family_planning_violation": False,
        },
    }
    for key, value in overrides.items():
        doc[key] = copy.deepcopy(value)
    return doc


def applicant_on(as_of: str, renewed_on: str | None = None, **overrides: Any) -> dict[str, Any]:
    """The base applicant applying on another date: social insurance 2023-01 through the application
    month, income tax 2023-01 through the month before (unless overridden), permit renewed on
    `renewed_on` (default: unchanged, 2026-09-20)."""
    day = dt.date.fromisoformat(as_of)
    am = mo.of_date(day)
    doc = base_applicant(as_of=as_of)
    doc["social_insurance"] = [si_row(f"2023-01..{mo.fmt(am)}")]
    doc["income_tax"] = [tax_row(f"2023-01..{mo.fmt(am - 1)}")]
    if renewed_on is not None:
        doc["residence_permit"]["issued_or_renewed_on"] = renewed_on
    for key, value in overrides.items():
        doc[key] = copy.deepcopy(value)
    return doc


def with_employer(doc: dict[str, Any], uscc: str, kind: str | None = None) -> dict[str, Any]:
    """The same applicant working for another unit: employer, contract, SI payer, tax withholder."""
    out = copy.deepcopy(doc)
    out["employer"]["uscc"] = uscc
    if kind is not None:
        out["employer"]["kind"] = kind
    out["contract"]["employer_uscc"] = uscc
    for row in out["social_insurance"]:
        row["payer_uscc"] = uscc
    for row in out.get("income_tax", []):
        row["withholder_uscc"] = uscc
    return out


# ---------------------------------------------------------------- nested edits

def _split(path: str) -> list[str | int]:
    """`social_insurance[0].base` → ['social_insurance', 0, 'base']."""
    parts: list[str | int] = []
    for chunk in path.split("."):
        name, _, rest = chunk.partition("[")
        if name:
            parts.append(name)
        while rest:
            idx, _, rest = rest.partition("]")
            parts.append(int(idx))
            rest = rest.removeprefix("[")
    return parts


def with_path(doc: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of `doc` with the field at `path` set (dicts on the way are created)."""
    out = copy.deepcopy(doc)
    parts = _split(path)
    node: Any = out
    for part in parts[:-1]:
        if isinstance(part, str) and part not in node:
            node[part] = {}
        node = node[part]
    node[parts[-1]] = copy.deepcopy(value)
    return out


def without_path(doc: dict[str, Any], path: str) -> dict[str, Any]:
    """A deep copy of `doc` with the field at `path` removed."""
    out = copy.deepcopy(doc)
    parts = _split(path)
    node: Any = out
    for part in parts[:-1]:
        node = node[part]
    del node[parts[-1]]
    return out


def tweak(doc: dict[str, Any], **paths: Any) -> dict[str, Any]:
    """Several `with_path` edits at once; `__` in a keyword stands for `.` (employer__kind)."""
    for key, value in paths.items():
        doc = with_path(doc, key.replace("__", "."), value)
    return doc


def si_row(month: str, base: float = 15000, payer: str | None = EMPLOYER_USCC, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"month": month, "base": base, "payer_uscc": payer}
    row.update(extra)
    return row


def tax_row(month: str, income: float = 16000, withholder: str | None = EMPLOYER_USCC) -> dict[str, Any]:
    return {"month": month, "income": income, "withholder_uscc": withholder}


def degree(level: str = "bachelor", mode: str = "full_time", **fields: Any) -> dict[str, Any]:
    """An education entry with sensible defaults (diploma, degree for 本科 and above, verifiable)."""
    entry: dict[str, Any] = {
        "level": level, "mode": mode, "diploma": True, "degree": level in ("bachelor", "master", "doctor"),
        "school": "示例大学", "start": "2014-09", "end": "2018-07", "study_city": "上海",
        "chsi_verifiable": True,
    }
    entry.update(fields)
    return entry


def qualification(kind: str = "professional_title", level: Any = "intermediate", **fields: Any) -> dict[str, Any]:
    """A qualification that counts by default (exam-obtained in Shanghai, matches, appointed)."""
    entry: dict[str, Any] = {
        "kind": kind, "level": level, "name": "工程师（电子信息）", "obtained_on": "2024-12-15",
        "obtained_by": "exam", "obtained_city": "上海", "matches_position": True, "appointed": True,
    }
    if kind == "vocational_qualification":
        entry.update(on_shanghai_catalogue=True, registration_required=False)
    entry.update(fields)
    return entry


# ---------------------------------------------------------------- reading results

def run(doc: dict[str, Any], **kwargs: Any) -> Result:
    return judge(doc, **kwargs)


def fired(doc: dict[str, Any], **kwargs: Any) -> list[str]:
    """The rule IDs the engine fired for `doc`, in firing order (empty for invalid input)."""
    ledger = judge_full(doc, **kwargs).ledger
    return [f.rule for f in ledger.fired] if ledger else []


def verdict_of(doc: dict[str, Any], **kwargs: Any) -> str:
    return judge(doc, **kwargs).verdict


def findings(result: Result, rule_id: str) -> list[Finding]:
    return [f for f in result.findings if f.rule == rule_id]


def finding(result: Result, rule_id: str) -> Finding:
    """The one finding with `rule_id` (fails if there is none or more than one)."""
    found = findings(result, rule_id)
    assert len(found) == 1, f"expected one {rule_id} finding, got {[(f.severity, f.message) for f in found]}"
    return found[0]


def line(result: Result, rule_id: str) -> ScoreLine | None:
    found = [x for x in result.score.lines if x.rule == rule_id]
    assert len(found) <= 1, f"{rule_id} appears {len(found)} times among the score lines"
    return found[0] if found else None


def rules_of(result: Result, severity: str | None = None) -> set[str]:
    return {f.rule for f in result.findings if severity is None or f.severity == severity}


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def assert_blocker(result: Result, rule_id: str) -> Finding:
    """One blocker finding for `rule_id`, with a Chinese remedy; the verdict is not_eligible."""
    f = finding(result, rule_id)
    assert f.severity == "blocker", (rule_id, f.severity)
    assert f.remedy.strip() and has_chinese(f.remedy), f"{rule_id} blocker without a Chinese remedy"
    assert result.verdict == "not_eligible"
    return f


def assert_line(result: Result, rule_id: str, points: int, status: str = "counted",
                reason: str | None = None) -> ScoreLine:
    ln = line(result, rule_id)
    assert ln is not None, f"no {rule_id} line in {[(x.rule, x.points, x.status) for x in result.score.lines]}"
    assert (ln.points, ln.status) == (points, status), (rule_id, ln.points, ln.status, ln.reason)
    # A counted line has no reason, unless a pitfall put part of it at risk (at_risk_points).
    assert ln.reason == reason, (rule_id, ln.reason)
    assert (ln.at_risk_points > 0) == (status == "counted" and reason is not None), (rule_id, ln.at_risk_points)
    return ln


def data_problems(result: Result, rule_id: str) -> dict[str, Finding]:
    """DATA-* findings by evidence path."""
    return {f.evidence[0]: f for f in findings(result, rule_id)}
