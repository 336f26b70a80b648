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

from jifen_check.atomic import write_bytes_atomic
from jifen_check.render import fonts
from jifen_check.render.handover import Handover
from jifen_check.render.plain import Lang
from jifen_check.resources import require, templates_dir
from jifen_check.result import Result
from jifen_check.rulebook import version_line

# Without Pango, importing WeasyPrint prints a page of English and dies: say what to install first.
fonts.ensure_pango()

from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

from jifen_check.render import pdf_deflate, weasy_fonts  # noqa: E402

# The same PDF bytes with less work per checklist (one copy of each font file, one subsetting pass).
weasy_fonts.install()
# Streams deflated at level 6, not 9: other compressed bytes, the same PDF once decompressed.
pdf_deflate.install()

TEMPLATES_DIR = templates_dir()


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
        loader=jinja2.FileSystemLoader(require(TEMPLATES_DIR)),
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
    fonts.ensure_cjk_font()
    fonts.warn_if_harfbuzz_subset_missing()
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


def checklist_context(result: Result, lang: Lang = "zh", rule_ids: bool = False,
                      consultant: str | None = None) -> dict[str, Any]:
    """Everything the checklist template reads, in plain words; values are escaped by the template."""
    context = Handover(result, lang, rule_ids, consultant).context()
    # Tool version, ruleset, period and parameter date: in the header and every page's footer.
    context["version_line"] = version_line(result.ruleset, lang)
    return context


def checklist_stylesheets(lang: Lang = "zh") -> list[str]:
    sheets = default_stylesheets(CHECKLIST_TEMPLATE)
    return [*sheets, "checklist-en.css"] if lang == "en" else sheets


def render_checklist_html(result: Result, lang: Lang = "zh", rule_ids: bool = False,
                          consultant: str | None = None) -> str:
    """A standalone HTML checklist (styles inlined)."""
    context = checklist_context(result, lang, rule_ids, consultant)
    context["inline_css"] = stylesheet_text(checklist_stylesheets(lang))
    return render_html(CHECKLIST_TEMPLATE, context)


def render_checklist_pdf(result: Result, out_path: Path, lang: Lang = "zh", rule_ids: bool = False,
                         consultant: str | None = None) -> None:
    """The PDF checklist; dated by the application date so reruns give the same bytes."""
    created = dt.date.fromisoformat(result.as_of[:10])
    render_pdf(CHECKLIST_TEMPLATE, checklist_context(result, lang, rule_ids, consultant), out_path,
               created=created, stylesheets=checklist_stylesheets(lang))
