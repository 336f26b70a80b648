"""Point a result's data errors at spreadsheet cells.

The judge names fields by path (`social_insurance[3].base`); HR looks at cells (`社保!C14`). After
judging, each `error` finding's evidence gets the cell next to its path and its message is
prefixed with the cell; other findings' evidence gets the cell too, their message is unchanged. Conversion problems found by the reader become findings of their own, and
replace the judge's finding on the same field (the reader's message names the column and what it
expected; the judge only saw the raw text).
"""

from __future__ import annotations

import re

from jifen_check.batch.readers import CellMap, Problem
from jifen_check.labels import DATA_REMEDY
from jifen_check.result import Finding, Result
from jifen_check.validate import rule_for_path

_DOTTED_INDEX = re.compile(r"\.(\d+)(?=\.|$)")
_LAST_PART = re.compile(r"(\.[^.\[\]]+|\[\d+\])$")


def normalise_path(path: str) -> str:
    """`social_insurance.3.base` and `social_insurance[3].base` are the same field."""
    path = path.strip().removeprefix("$").removeprefix(".")
    if path.startswith("("):  # "(root)", "(file)": the whole applicant
        return ""
    return _DOTTED_INDEX.sub(r"[\1]", path)


def parent_path(path: str) -> str:
    return _LAST_PART.sub("", path) if _LAST_PART.search(path) else ""


def cell_for(path: str, cells: CellMap, *, to_root: bool = True) -> str | None:
    """The cell of a field, else of the nearest enclosing row or section (else the applicant's
    row, when `to_root`)."""
    path = normalise_path(path)
    while path or to_root:
        if (cell := cells.get(path)) is not None:
            return cell
        if not path:
            return None
        path = parent_path(path)
    return None


def _covers(problem_path: str, path: str) -> bool:
    path = normalise_path(path)
    return path == problem_path or path.startswith(problem_path + ".") or path.startswith(problem_path + "[")


def annotate(result: Result, cells: CellMap, problems: list[Problem]) -> Result:
    """The result with cells on its error findings and the reader's problems added."""
    if not cells and not problems:
        return result
    kept = [f for f in result.findings if not _superseded(f, problems)]
    findings = [_with_cells(f, cells) if f.severity == "error" else _evidence_cells(f, cells) for f in kept]
    findings[:0] = [_problem_finding(p) for p in problems]
    update: dict[str, object] = {"findings": findings}
    if problems:
        update["verdict"] = "invalid_input"
    return result.model_copy(update=update)


def _superseded(finding: Finding, problems: list[Problem]) -> bool:
    if finding.severity != "error" or not finding.evidence:
        return False
    return all(any(_covers(p.path, e) for p in problems if p.path) for e in finding.evidence)


def _with_cells(finding: Finding, cells: CellMap) -> Finding:
    refs: list[str] = []
    evidence: list[str] = []
    for path in finding.evidence:
        cell = cell_for(path, cells)
        evidence.append(f"{cell} ({path})" if cell else path)
        if cell and cell not in refs:
            refs.append(cell)
    if not refs:
        refs = [cells[""]] if cells.get("") else []
    prefix = "、".join(refs[:3]) + ("等" if len(refs) > 3 else "")
    message = finding.message
    if "!" in prefix:  # a sheet cell replaces the judge's own path prefix; a file name does not
        for path in finding.evidence[:1]:
            message = message.removeprefix(f"{path}: ")
    message = f"{prefix}: {message}" if prefix else message
    return finding.model_copy(update={"evidence": evidence, "message": message})


def _evidence_cells(finding: Finding, cells: CellMap) -> Finding:
    """Other findings keep their message; evidence that names a field gets its cell too
    (in a batch, `social_insurance[1]` means nothing to the reader, `社保!5:16` does)."""
    evidence = []
    for path in finding.evidence:
        cell = cell_for(path, cells, to_root=False)
        evidence.append(f"{cell} ({path})" if cell else path)
    if evidence == finding.evidence:
        return finding
    return finding.model_copy(update={"evidence": evidence})


def _problem_finding(problem: Problem) -> Finding:
    evidence = [f"{problem.cell} ({problem.path})" if problem.path else problem.cell]
    return Finding(
        rule=rule_for_path(problem.path) if problem.path else "DATA-FORMAT", severity="error", title="单元格内容无法识别",
        message=f"{problem.cell}: {problem.message}", evidence=evidence,
        remedy=DATA_REMEDY["cell"][0], facts={"cell": problem.cell, "path": problem.path},
    )
