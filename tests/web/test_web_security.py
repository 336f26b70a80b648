"""Safety of `jifen-check serve`: each test asserts a refusal (or that nothing leaks)."""

from __future__ import annotations

import io
import subprocess
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from tests.conftest import cli_command
from tests.web.serverproc import TOKEN, Server, sample, start_server, stop_server

NAME, ID = "陈思远", "320102199704160314"  # samples/01-bachelor-degree.yaml


def test_no_token_is_401_everywhere(server: Server) -> None:
    for method, path in (("GET", "/"), ("GET", "/batch"), ("GET", "/static/app.js"), ("GET", "/openapi.json"),
                         ("POST", "/api/check"), ("GET", "/api/template.xlsx")):
        r = httpx.request(method, server.url + path, content=b"{}" if method == "POST" else None)
        assert r.status_code == 401, path
    wrong = httpx.get(server.url + "/", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert "令牌" in wrong.json()["detail"]


def test_token_in_url_sets_a_cookie_and_leaves_the_url(server: Server) -> None:
    with httpx.Client(base_url=server.url) as c:
        r = c.get(f"/?token={TOKEN}")
        assert r.status_code == 303 and r.headers["location"] == "/"
        assert "HttpOnly" in r.headers["set-cookie"] and "SameSite=Strict" in r.headers["set-cookie"]
        page = c.get("/")  # the cookie alone now
        assert page.status_code == 200 and "一位申请人" in page.text


def test_foreign_host_header_is_refused(server: Server) -> None:
    with server.client() as c:
        r = c.get("/", headers={"Host": "evil.example:8000"})
        assert r.status_code == 403
        assert "DNS" in r.json()["detail"]
        assert c.get("/", headers={"Host": "localhost"}).status_code == 200


@contextmanager
def _cookie_client(server: Server) -> Iterator[httpx.Client]:
    """A browser-like client: the token once in the URL, then only the cookie."""
    with httpx.Client(base_url=server.url, timeout=60) as c:
        c.get(f"/?token={TOKEN}")
        yield c


def _csrf(c: httpx.Client) -> str:
    page = c.get("/").text
    return page.split('name="csrf-token" content="')[1].split('"')[0]


def test_request_from_another_origin_is_refused(server: Server) -> None:
    with _cookie_client(server) as c:
        csrf = _csrf(c)
        body = {"doc": {"person": {"name": "x"}}}
        evil = c.post("/ui/result", json=body, headers={"X-CSRF-Token": csrf, "Origin": "http://evil.example"})
        assert evil.status_code == 403
        cross = c.post("/ui/result", json=body, headers={"X-CSRF-Token": csrf, "Sec-Fetch-Site": "cross-site"})
        assert cross.status_code == 403
        no_csrf = c.post("/ui/result", json=body)  # a form posted from elsewhere carries no CSRF token
        assert no_csrf.status_code == 403
        same = c.post("/ui/result", json=body, headers={"X-CSRF-Token": csrf, "Origin": server.url})
        assert same.status_code == 200


def test_script_in_a_name_is_escaped_and_csp_forbids_inline_scripts(server: Server) -> None:
    with _cookie_client(server) as c:
        csrf = _csrf(c)
        doc = {"person": {"name": "<script>alert(1)</script>", "id_number": ID}}
        r = c.post("/ui/result", json={"doc": doc}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200
    assert "<script>" not in r.json()["html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.json()["html"]
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_zip_with_parent_paths_is_refused(server: Server, tmp_path_factory: pytest.TempPathFactory) -> None:
    body = _zip({"a.yaml": sample("01-bachelor-degree.yaml"), "../../jifen-escape.yaml": b"x: 1"})
    with server.client() as c:
        r = c.post("/api/batch", params={"filename": "people.zip"}, content=body)
    assert r.status_code == 400
    assert "../" in r.json()["detail"] and "未解压" in r.json()["detail"]


def test_zip_bomb_is_refused(server: Server) -> None:
    body = _zip({"人员.csv": b"0" * (60 * 1024 * 1024)})  # 60 MB of zeros in ~60 kB
    with server.client() as c:
        r = c.post("/api/batch", params={"filename": "bomb.zip"}, content=body)
    assert r.status_code == 400
    assert "压缩炸弹" in r.json()["detail"]


def test_oversize_upload_is_413() -> None:
    small = start_server("--max-upload-mb", "1")
    try:
        with small.client() as c:
            r = c.post("/api/batch", params={"filename": "big.xlsx"}, content=b"\0" * (2 * 1024 * 1024))
            assert r.status_code == 413
            assert "上限为 1 MB" in r.json()["detail"]

            def chunks():  # no Content-Length: the limit holds while streaming too
                for _ in range(40):
                    yield b"\0" * 65536

            streamed = c.post("/api/batch", params={"filename": "big.xlsx"}, content=chunks())
            assert streamed.status_code == 413
    finally:
        stop_server(small)


def test_default_bind_is_loopback_and_other_hosts_need_a_token() -> None:
    p = subprocess.run([*cli_command(), "serve", "--host", "0.0.0.0", "--port", "0"], capture_output=True,
                       timeout=60)
    assert p.returncode == 2
    assert "--token" in p.stderr.decode()
    help_text = subprocess.run([*cli_command(), "serve", "--help"], capture_output=True, timeout=60).stdout.decode()
    assert "127.0.0.1" in help_text and "--token" in help_text and "--port" in help_text


def test_server_output_holds_no_name_id_or_token(server: Server) -> None:
    with server.client() as c:
        assert c.post("/api/check", content=sample("01-bachelor-degree.yaml")).status_code == 200
        assert c.post("/api/check", params={"show_id": "1"}, content=sample("01-bachelor-degree.yaml")).status_code == 200
        c.post("/api/check", content=b'{"person": {"name": "' + NAME.encode() + b'", "id_number": "' + ID.encode() + b'"}}')
        httpx.get(f"{server.url}/?token={TOKEN}")
    lines = server.text().splitlines()
    assert any("POST /api/check 200" in ln for ln in lines)
    rest = "\n".join(lines[1:])  # line 1 is the URL with the token, printed for the user on purpose
    assert NAME not in rest and ID not in rest and TOKEN not in rest


def test_a_malformed_page_request_is_400_not_an_error(server: Server) -> None:
    with _cookie_client(server) as c:
        csrf = _csrf(c)
        for body in (b"not json", b"[1, 2]"):
            r = c.post("/ui/result", content=body, headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"})
            assert r.status_code == 400 and "JSON" in r.json()["detail"]
