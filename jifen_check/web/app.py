"""The web app: pages (server-rendered jinja2), the JSON API and the batch endpoints.

Every endpoint is async and hands judging to worker processes (workers.JudgePool); the server
process never calls the rules engine. The Guard middleware (guard.py) decides who gets in.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import jinja2
import yaml
from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.background import BackgroundTask

from jifen_check.labels import CONFIDENCE_ZH
from jifen_check.result import SEVERITY_ZH, STATUS_ZH, VERDICT_ZH
from jifen_check.validate import parse_text
from jifen_check.web import batchjobs, form, workers
from jifen_check.web.guard import Guard, GuardConfig
from jifen_check.web.settings import Settings

HERE = Path(__file__).resolve().parent


# ---------------------------------------------------------------- templates


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(verdict_zh=VERDICT_ZH, severity_zh=SEVERITY_ZH, status_zh=STATUS_ZH,
                       confidence_zh=CONFIDENCE_ZH, Rows=form.Rows)
    env.tests["rows"] = lambda item: isinstance(item, form.Rows)
    return env


TEMPLATES = _environment()


def page(name: str, **context: Any) -> HTMLResponse:
    return HTMLResponse(TEMPLATES.get_template(name).render(**context))


# ---------------------------------------------------------------- helpers


def _problems_json(problems: list[Any]) -> list[dict[str, str]]:
    return [{"rule": p.rule, "path": p.path, "message": p.message, "severity": p.severity} for p in problems]


def _field_problems(result: dict[str, Any]) -> list[dict[str, str]]:
    """DATA-* findings by field path, for showing beside the field."""
    out = []
    for f in result.get("findings", []):
        if not f["rule"].startswith("DATA-") or not f.get("evidence"):
            continue
        path = f["evidence"][0]
        message = f["message"][len(path) + 2:] if f["message"].startswith(path + ": ") else f["message"]
        out.append({"rule": f["rule"], "path": path, "message": message, "severity": f["severity"]})
    return out


CODE_FIELDS = (("person.id_number", "DATA-ID-NUMBER"), ("family.spouse.id_number", "DATA-ID-NUMBER"),
               ("employer.uscc", "DATA-USCC"), ("contract.employer_uscc", "DATA-USCC"))


def _early_code_problems(doc: Any, shown: set[str]) -> list[dict[str, str]]:
    """ID-number and USCC check characters of a half-filled form.

    The judge stops at the first layer (missing sections) and checks codes only once the form is
    complete; a person typing wants to hear about a wrong check character straight away.
    Pure arithmetic on the text (identifiers.py), no rules engine.
    """
    from jifen_check.identifiers import check_id_number, check_uscc

    out = []
    for path, rule in CODE_FIELDS:
        node: Any = doc
        for part in path.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, str) or not node.strip() or path in shown:
            continue
        messages = check_id_number(node.strip()) if rule == "DATA-ID-NUMBER" else check_uscc(node.strip())
        out += [{"rule": rule, "path": path, "message": m, "severity": "error"} for m in messages]
    return out


def _flag(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes", "on")


def _as_of(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        return None


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f"attachment; filename=\"{name}\""}


def dump_yaml(doc: Any) -> str:
    """The applicant as YAML in the format's key order (the form builds it in that order)."""
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, default_flow_style=False)


# ---------------------------------------------------------------- the app


def create_app(settings: Settings) -> Any:
    root = Path(tempfile.mkdtemp(prefix="jifen-web-"))
    (root / "work").mkdir()
    tempfile.tempdir = str(root / "work")  # anything the server itself spools stays in its folder
    pool = workers.JudgePool(settings.workers, root / "work", settings.ruleset)
    runs = batchjobs.BatchRuns(root, settings.ruleset)
    config = GuardConfig(token=settings.token, host=settings.host, max_body=settings.max_upload_mb * 1024 * 1024)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> Any:
        pool.warm()
        try:
            yield
        finally:
            runs.close()
            pool.close()
            shutil.rmtree(root, ignore_errors=True)

    app = FastAPI(title="jifen-check", version="1", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="上海市居住证积分预审：applicant@1 进，result@1 出。每个请求需带访问令牌 "
                              "（Authorization: Bearer <token>）。")
    app.state.pool, app.state.runs, app.state.root = pool, runs, root
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _pages(app, config)
    _api(app, pool)
    _ui(app, pool)
    _batch(app, runs)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return Guard(app, config)


def _pages(app: FastAPI, config: GuardConfig) -> None:
    @app.get("/", include_in_schema=False)
    async def index() -> HTMLResponse:
        return page("index.html.j2", form=form.FORM, csrf=config.csrf, active="one")

    @app.get("/batch", include_in_schema=False)
    async def batch_page() -> HTMLResponse:
        return page("batch.html.j2", csrf=config.csrf, active="batch", verdicts=batchjobs_verdicts())


def batchjobs_verdicts() -> list[tuple[str, str]]:
    return [(v, VERDICT_ZH[v]) for v in ("eligible", "needs_review", "not_eligible", "invalid_input")]


async def _judge_body(pool: workers.JudgePool, request: Request) -> tuple[Any, list[Any]]:
    raw = await request.body()
    return parse_text(raw, "request.json" if raw.lstrip().startswith(b"{") else "request")


def _api(app: FastAPI, pool: workers.JudgePool) -> None:
    body_doc = {"requestBody": {"required": True, "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/Applicant"}},
        "application/yaml": {"schema": {"$ref": "#/components/schemas/Applicant"}}}}}

    @app.post("/api/check", openapi_extra=body_doc, tags=["api"], responses={
        200: {"description": "result@1（含 invalid_input：格式正确但内容有误，如身份证校验位错误）",
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Result"}}}},
        422: {"description": "请求体不是有效的 applicant@1：result@1（invalid_input）加 errors（DATA-* 与字段路径）"}})
    async def api_check(request: Request, as_of: str | None = None, show_id: bool = False) -> Response:
        """一个申请人（applicant@1，JSON 或 YAML）→ 结论（result@1），与 `jifen-check check --format json` 相同。"""
        doc, problems = await _judge_body(pool, request)
        if problems:
            return JSONResponse(_format_error(problems), status_code=422)
        text, fits = await pool.call(workers.check_in_worker, doc, _as_of(as_of), show_id, None, pool.ruleset)
        if not fits:
            result = json.loads(text)
            return JSONResponse({**result, "errors": _field_problems(result)}, status_code=422)
        return Response(text, media_type="application/json")

    @app.post("/api/checklist", openapi_extra=body_doc, tags=["api"], responses={
        200: {"description": "材料清单 PDF（与 `jifen-check checklist` 相同）", "content": {"application/pdf": {}}},
        422: {"description": "请求体不是有效的 applicant@1"}})
    async def api_checklist(request: Request, as_of: str | None = None, show_id: bool = False) -> Response:
        """一个申请人 → 材料清单 PDF。响应头 X-Verdict 为结论。"""
        doc, problems = await _judge_body(pool, request)
        if problems:
            return JSONResponse(_format_error(problems), status_code=422)
        text, fits, pdf = await pool.call(workers.checklist_in_worker, doc, _as_of(as_of), show_id, None,
                                        pool.ruleset)
        result = json.loads(text)
        if not fits:
            return JSONResponse({**result, "errors": _field_problems(result)}, status_code=422)
        headers = {**_attachment("checklist.pdf"), "X-Verdict": result["verdict"]}
        return Response(pdf, media_type="application/pdf", headers=headers)


def _format_error(problems: list[Any]) -> dict[str, Any]:
    return {"verdict": "invalid_input", "errors": _problems_json(problems),
            "findings": [{"rule": p.rule, "severity": p.severity, "message": f"{p.path}: {p.message}",
                          "evidence": [p.path]} for p in problems]}


class BadRequest(Exception):
    """A page's request that is not the JSON object the page sends."""


async def _json_object(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise BadRequest from None
    if not isinstance(body, dict):
        raise BadRequest
    return body


def _ui(app: FastAPI, pool: workers.JudgePool) -> None:
    @app.exception_handler(BadRequest)
    async def bad_request(_: Request, __: BadRequest) -> JSONResponse:
        return JSONResponse({"detail": "请求内容应为 JSON 对象"}, status_code=400)

    @app.post("/ui/result", include_in_schema=False)
    async def ui_result(request: Request) -> JSONResponse:
        body = await _json_object(request)
        doc = form.normalise(body.get("doc"))
        show_id = bool(body.get("show_id"))
        text, _ = await pool.call(workers.check_in_worker, doc, None, show_id, None, pool.ruleset)
        result = json.loads(text)
        html = TEMPLATES.get_template("_result.html.j2").render(r=result)
        fields = _field_problems(result)
        if result["verdict"] == "invalid_input":
            fields += _early_code_problems(doc, {f["path"] for f in fields})
        return JSONResponse({"verdict": result["verdict"], "html": html, "fields": fields, "result": result})

    @app.post("/ui/checklist", include_in_schema=False)
    async def ui_checklist(request: Request) -> Response:
        body = await _json_object(request)
        doc = form.normalise(body.get("doc"))
        text, fits, pdf = await pool.call(workers.checklist_in_worker, doc, None, bool(body.get("show_id")), None,
                                        pool.ruleset)
        if not fits:
            return JSONResponse({"detail": "表单还有必填项未填或格式不对，请先按提示更正"}, status_code=422)
        return Response(pdf, media_type="application/pdf", headers=_attachment("checklist.pdf"))

    @app.post("/ui/yaml", include_in_schema=False)
    async def ui_yaml(request: Request) -> Response:
        doc = form.normalise((await _json_object(request)).get("doc"))
        name = "applicant.yaml"
        return Response(dump_yaml(doc), media_type="application/yaml; charset=utf-8", headers=_attachment(name))

    @app.post("/ui/open", include_in_schema=False)
    async def ui_open(request: Request, filename: str = "applicant.yaml") -> JSONResponse:
        doc, problems = parse_text(await request.body(), Path(filename).name)
        if problems or not isinstance(doc, dict):
            problems = problems or []
            return JSONResponse({"doc": None, "problems": _problems_json(problems) or [
                {"rule": "DATA-FORMAT", "path": "(root)", "message": "文件内容应为一个申请人", "severity": "error"}]},
                status_code=422)
        return JSONResponse({"doc": json.loads(json.dumps(doc, default=str)), "problems": []})

    @app.post("/ui/paste", include_in_schema=False)
    async def ui_paste(request: Request) -> JSONResponse:
        body = await _json_object(request)
        key = "income" if body.get("kind") == "income" else "base"
        parsed = form.parse_paste(str(body.get("text", "")), key)
        return JSONResponse({"rows": parsed.rows, "skipped": parsed.skipped})


def _batch(app: FastAPI, runs: batchjobs.BatchRuns) -> None:
    @app.post("/api/batch", tags=["batch"], openapi_extra={"requestBody": {"required": True, "content": {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}})
    async def api_batch(request: Request, filename: str, as_of: str | None = None, show_id: bool = False,
                        pdf: bool = True) -> JSONResponse:
        """上传批量输入（请求体为文件本身）：.xlsx 工作簿、CSV 的 zip、申请人 YAML/JSON 的 zip。返回运行编号。"""
        run_id, folder = runs.new_folder()
        upload = folder / "upload.part"
        try:
            with upload.open("wb") as fh:
                async for chunk in request.stream():
                    fh.write(chunk)
            run = runs.start(run_id, folder, upload, filename, as_of=_as_of(as_of), show_id=show_id, pdf=pdf)
        except batchjobs.UploadRefused as exc:
            shutil.rmtree(folder, ignore_errors=True)
            return JSONResponse({"detail": str(exc)}, status_code=400)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return JSONResponse({"id": run.id, "status": f"/api/batch/{run.id}"}, status_code=202)

    @app.get("/api/batch/{run_id}", tags=["batch"])
    async def api_batch_status(run_id: str) -> JSONResponse:
        """进度与结果：state（running/done/failed）、done/expected、各结论人数、文件。"""
        run = runs.get(run_id)
        if run is None:
            return JSONResponse({"detail": "没有这次批量运行（可能已删除或服务已重启）"}, status_code=404)
        return JSONResponse(run.poll())

    @app.get("/api/batch/{run_id}/rows", tags=["batch"])
    async def api_batch_rows(run_id: str, verdict: str | None = None) -> JSONResponse:
        """每人一行：结论、分数、首个问题。"""
        run = runs.get(run_id)
        if run is None:
            return JSONResponse({"detail": "没有这次批量运行"}, status_code=404)
        rows = [r for r in runs.rows(run) if not verdict or r["verdict"] == verdict]
        return JSONResponse(rows)

    @app.get("/ui/batch/{run_id}/table", include_in_schema=False)
    async def ui_batch_table(run_id: str) -> HTMLResponse:
        run = runs.get(run_id)
        rows = runs.rows(run) if run else []
        return page("_batch_table.html.j2", rows=rows, verdicts=batchjobs_verdicts(),
                    counts=(run.status or {}).get("counts", {}) if run else {}, run=run)

    @app.get("/api/batch/{run_id}/files/{name}", tags=["batch"])
    async def api_batch_file(run_id: str, name: str) -> Response:
        """下载 summary.xlsx、summary.pdf、results.jsonl 或 checklists.zip。"""
        run = runs.get(run_id)
        path = runs.file(run, name) if run else None
        if path is None:
            why = ("全部文件都已下载，服务器上的结果文件已删除" if run and run.files_deleted
                   else "没有这个文件（运行未完成，或未生成 PDF）")
            return JSONResponse({"detail": why}, status_code=404)
        # The background task runs only once the whole file has been sent (not on a broken download).
        return FileResponse(path, media_type=batchjobs.DOWNLOADS[name], filename=name,
                            background=BackgroundTask(runs.mark_downloaded, run, name))

    @app.delete("/api/batch/{run_id}", tags=["batch"])
    async def api_batch_delete(run_id: str) -> JSONResponse:
        """删除这次运行的全部文件。"""
        return JSONResponse({"deleted": runs.delete(run_id)})

    @app.get("/api/template.xlsx", tags=["batch"])
    async def api_template() -> Response:
        """空白的批量输入工作簿（与 `jifen-check template` 相同）。"""
        from jifen_check.batch.template import write_template

        with tempfile.TemporaryDirectory(dir=runs.root) as tmp:
            path = Path(tmp) / "template.xlsx"
            write_template(path)
            data = path.read_bytes()
        return Response(data, media_type=batchjobs.DOWNLOADS["summary.xlsx"], headers=_attachment("template.xlsx"))


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    from jifen_check.applicant import Applicant
    from jifen_check.result import Result

    doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    for model in (Applicant, Result):
        schema = model.model_json_schema(by_alias=True, ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    doc["components"]["securitySchemes"] = {"token": {"type": "http", "scheme": "bearer"}}
    doc["security"] = [{"token": []}]
    app.openapi_schema = doc
    return doc
