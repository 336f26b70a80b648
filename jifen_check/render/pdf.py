"""HTML and PDF rendering with Jinja2 + WeasyPrint.

Imports WeasyPrint at module level: the CLI imports this module lazily, only for --pdf, so a plain
`jifen-check check` never pays for it. `render_pdf` is generic (any template under templates/);
the checklist functions at the bottom are one user of it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import mimetypes
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from jifen_check.atomic import write_bytes_atomic
from jifen_check.render.fonts import ensure_cjk_font
from jifen_check.result import SEVERITY_ZH, STATUS_ZH, VERDICT_ZH, Finding, Result

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
CONFIDENCE_ZH: dict[str, str] = {"official": "官方", "practice": "实务", "unverified": "未证实"}
# Most serious first: the order findings are printed in.
SEVERITY_ORDER = ("blocker", "error", "review", "warning", "info")


class FetchRefused(ValueError):
    """A resource outside templates/ was asked for; it is not read."""


class TemplateURLFetcher(URLFetcher):
    """Serves files inside templates/ only. Applicant text is untrusted: even if markup slipped
    through escaping, it could not pull in local files or reach the network."""

    def __init__(self, root: Path = TEMPLATES_DIR) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False, fail_on_errors=False)
        self.root = root.resolve()

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        path = self.resolve_inside(url)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), self.read(path), {"Content-Type": mime})

    def resolve_inside(self, url: str) -> Path:
        # data: URIs are refused too: the templates have no use for them.
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise FetchRefused(f"refused to fetch {url!r}: only files under templates/ are served")
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise FetchRefused(f"refused to fetch {url!r}: outside {self.root}")
        return path

    def read(self, path: Path) -> bytes:
        return path.read_bytes()


URL_FETCHER: TemplateURLFetcher = TemplateURLFetcher()
# One font configuration for the process: WeasyPrint caches font lookups on it.
FONT_CONFIG = FontConfiguration()


# ── HTML ─────────────────────────────────────────────────────────────────────────────────────


@functools.cache
def _environment() -> jinja2.Environment:
    # autoescape=True for every template: select_autoescape() would not escape *.j2 names.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(template_name: str, context: dict[str, Any]) -> str:
    """Render templates/<template_name> with HTML escaping of every value."""
    return _environment().get_template(template_name).render(**context)


def default_stylesheets(template_name: str) -> list[str]:
    """`base.css` plus `<stem>.css` (e.g. checklist.css for checklist.html.j2), those that exist."""
    stem = template_name.split(".", 1)[0]
    names = ["base.css", f"{stem}.css"]
    return [n for n in dict.fromkeys(names) if (TEMPLATES_DIR / n).is_file()]


def stylesheet_text(names: Sequence[str]) -> Markup:
    """The stylesheets' text, for inlining into a standalone HTML file (our own files: trusted)."""
    return Markup("\n".join((TEMPLATES_DIR / n).read_text(encoding="utf-8") for n in names))


# ── PDF ──────────────────────────────────────────────────────────────────────────────────────


@functools.cache
def _css(name: str) -> CSS:
    # Parsed once per process; warm renders reuse it.
    path = URL_FETCHER.resolve_inside((TEMPLATES_DIR / name).as_uri())
    return CSS(string=path.read_text(encoding="utf-8"), base_url=TEMPLATES_DIR.as_uri() + "/",
               url_fetcher=URL_FETCHER, font_config=FONT_CONFIG)


def html_to_pdf(html: str, *, created: dt.date, stylesheets: Sequence[str] = ()) -> bytes:
    """PDF bytes for an HTML string; identical input gives identical bytes."""
    ensure_cjk_font()
    document = HTML(string=html, base_url=TEMPLATES_DIR.as_uri() + "/", url_fetcher=URL_FETCHER).render(
        stylesheets=[_css(n) for n in stylesheets], font_config=FONT_CONFIG,
    )
    # Dates come from `created`, never the clock, and the file ID from the content.
    document.metadata.created = document.metadata.modified = created.isoformat()
    identifier = hashlib.md5(html.encode() + created.isoformat().encode(), usedforsecurity=False).hexdigest()
    return document.write_pdf(pdf_identifier=identifier.encode())


def render_pdf(
    template_name: str,
    context: dict[str, Any],
    out_path: Path,
    *,
    created: dt.date,
    stylesheets: Sequence[str] | None = None,
) -> None:
    """Render templates/<template_name> to a PDF at out_path (atomically).

    Stylesheets default to base.css + <stem>.css; they are parsed once and reused.
    """
    sheets = default_stylesheets(template_name) if stylesheets is None else stylesheets
    html = render_html(template_name, {"inline_css": None, **context})
    write_bytes_atomic(Path(out_path), html_to_pdf(html, created=created, stylesheets=sheets))


# ── the checklist ────────────────────────────────────────────────────────────────────────────

CHECKLIST_TEMPLATE = "checklist.html.j2"


def _grouped(result: Result) -> list[tuple[str, list[tuple[int, Any]]]]:
    """[(group, [(序号, item), ...]), ...] in checklist order; 序号 runs on across groups."""
    groups: dict[str, list[tuple[int, Any]]] = {}
    for number, item in enumerate(result.checklist, start=1):
        groups.setdefault(item.group or "其他材料", []).append((number, item))
    return list(groups.items())


def _by_severity(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: SEVERITY_ORDER.index(f.severity))


def _headline_findings(result: Result) -> list[Finding]:
    """What keeps this applicant from a go-ahead, shown right under the verdict."""
    wanted = {"not_eligible": ("blocker",), "needs_review": ("blocker", "review"),
              "invalid_input": ("error", "blocker")}.get(result.verdict, ())
    return _by_severity([f for f in result.findings if f.severity in wanted])


def checklist_context(result: Result) -> dict[str, Any]:
    """Everything the checklist template reads; values are escaped by the template."""
    return {
        "result": result,
        "verdict_zh": VERDICT_ZH[result.verdict],
        "go_ahead": result.verdict == "eligible",
        "headline": _headline_findings(result),
        "at_risk_lines": [ln for ln in result.score.lines if ln.status == "at_risk"],
        "groups": _grouped(result),
        "open_findings": _by_severity([f for f in result.findings if f.severity != "info"]),
        "status_zh": STATUS_ZH,
        "severity_zh": SEVERITY_ZH,
        "confidence_zh": CONFIDENCE_ZH,
    }


def render_checklist_html(result: Result) -> str:
    """A standalone HTML checklist (styles inlined)."""
    context = checklist_context(result)
    context["inline_css"] = stylesheet_text(default_stylesheets(CHECKLIST_TEMPLATE))
    return render_html(CHECKLIST_TEMPLATE, context)


def render_checklist_pdf(result: Result, out_path: Path) -> None:
    """The PDF checklist; dated by the application date so reruns give the same bytes."""
    created = dt.date.fromisoformat(result.as_of[:10])
    render_pdf(CHECKLIST_TEMPLATE, checklist_context(result), out_path, created=created)
