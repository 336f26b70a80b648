"""The gate in front of every request: Host check, token, CSRF, origin, body size, headers, log line.

A pure ASGI middleware, so it sees every request (static files and errors included) before the app:
- Host: only the bound address, `localhost` or the loopback literals (a DNS-rebinding page has
  another name). When bound to a wildcard address, IP literals are accepted too (still no names).
- Token: `?token=` once (then a SameSite=Strict cookie, and a redirect that drops it from the URL),
  the cookie, or `Authorization: Bearer`. Without it: 401, on loopback too, because any web page
  can send requests to localhost.
- Unsafe methods: a foreign `Origin` (or `Sec-Fetch-Site: cross-site`) gets 403; when the token came
  from the cookie, the `X-CSRF-Token` header must carry the page's CSRF token as well.
- Bodies over the limit: 413, from Content-Length or while streaming.
- Every response: a CSP without inline scripts, nosniff, no referrer, no caching.
- The log line is method, path (never the query: it may hold the token), status and time.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.exceptions import HTTPException

Scope = dict[str, Any]
Message = dict[str, Any]

COOKIE = "jifen_token"
CSRF_HEADER = "x-csrf-token"
LOG = logging.getLogger("jifen_check.web")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


class BodyTooLarge(HTTPException):
    """The request body passed the upload limit (an HTTPException: the app answers it with 413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _too_large(limit))


@dataclass
class GuardConfig:
    token: str
    host: str = "127.0.0.1"
    max_body: int = 50 * 1024 * 1024
    allowed_hosts: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.allowed_hosts = {self.host.strip("[]").lower(), *LOOPBACK_NAMES, *self.allowed_hosts}

    @property
    def csrf(self) -> str:
        """The CSRF token pages carry: derived from the access token, useless without the cookie."""
        return hmac.new(self.token.encode(), b"jifen-check csrf", hashlib.sha256).hexdigest()

    @property
    def wildcard(self) -> bool:
        return self.host in ("0.0.0.0", "::", "")

    def host_ok(self, header: str) -> bool:
        name = _host_name(header)
        if name in self.allowed_hosts:
            return True
        if self.wildcard:  # bound to every interface: any address literal, never a domain name
            try:
                ipaddress.ip_address(name)
                return True
            except ValueError:
                return False
        return False


def _host_name(header: str) -> str:
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


class Guard:
    def __init__(self, app: Any, config: GuardConfig) -> None:
        self.app, self.config = app, config

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = {"code": 500}

        async def send_logged(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message["headers"] = list(message.get("headers", [])) + _security_headers()
            await send(message)

        try:
            await self._handle(scope, receive, send_logged)
        finally:
            ms = (time.perf_counter() - start) * 1000
            LOG.info("%s %s %s %.0fms", scope["method"], scope["path"], status["code"], ms)

    async def _handle(self, scope: Scope, receive: Any, send: Any) -> None:
        headers = _headers(scope)
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            await _reply(send, *refusal, headers)
            return
        if scope["method"] == "GET" and self._token_in_query(scope):
            await _redirect_with_cookie(scope, send, self.config.token)
            return
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.config.max_body:
            await _reply(send, 413, _too_large(self.config.max_body), headers)
            return
        await self._forward(scope, receive, send, headers)

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
        if not self.config.host_ok(headers.get("host", "")):
            return 403, "拒绝访问：请求的主机名不是本服务绑定的地址（防 DNS 重绑定）。请用启动时打印的地址访问。"
        via = self._authenticated_by(scope, headers)
        if via is None:
            return 401, "需要访问令牌：请使用启动 jifen-check serve 时打印的完整地址（含 ?token=）。"
        if scope["method"] not in SAFE_METHODS:
            if not self._same_origin(scope, headers):
                return 403, "拒绝访问：请求来自其他网站（跨站请求被拒绝）。"
            if via == "cookie" and not hmac.compare_digest(headers.get(CSRF_HEADER, ""), self.config.csrf):
                return 403, "拒绝访问：缺少或错误的 CSRF 令牌，请刷新页面后重试。"
        return None

    def _authenticated_by(self, scope: Scope, headers: dict[str, str]) -> str | None:
        token = self.config.token
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer ") and hmac.compare_digest(auth[7:].strip(), token):
            return "bearer"
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # a malformed cookie header is simply no cookie
            cookie = SimpleCookie()
        if COOKIE in cookie and hmac.compare_digest(cookie[COOKIE].value, token):
            return "cookie"
        if self._token_in_query(scope):
            return "query"
        return None

    def _token_in_query(self, scope: Scope) -> bool:
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        return "token" in query and hmac.compare_digest(query["token"], self.config.token)

    def _same_origin(self, scope: Scope, headers: dict[str, str]) -> bool:
        if headers.get("sec-fetch-site", "") == "cross-site":
            return False
        origin = headers.get("origin")
        if origin is None:  # programs (curl, an HR system) send none; browsers send one on POST
            return True
        scheme = scope.get("scheme", "http")
        return origin == f"{scheme}://{headers.get('host', '')}"

    async def _forward(self, scope: Scope, receive: Any, send: Any, headers: dict[str, str]) -> None:
        seen = {"bytes": 0, "started": False}
        limit = self.config.max_body

        async def limited_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                seen["bytes"] += len(message.get("body", b""))
                if seen["bytes"] > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["started"] = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not seen["started"]:
                await _reply(send, 413, _too_large(limit), headers)
        except Exception as exc:  # never a traceback (it could quote applicant data) in logs or pages
            LOG.error("internal error %s on %s %s", type(exc).__name__, scope["method"], scope["path"])
            if not seen["started"]:
                await _reply(send, 500, "内部错误：服务器处理此请求时出错。", headers)


def _too_large(limit: int) -> str:
    return f"上传的文件太大：上限为 {limit // (1024 * 1024)} MB（可用 jifen-check serve --max-upload-mb 调整）。"


def _security_headers() -> list[tuple[bytes, bytes]]:
    return [
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
        (b"cache-control", b"no-store"),
    ]


async def _reply(send: Any, status: int, message: str, headers: dict[str, str]) -> None:
    """A refusal: JSON for programs, a small page for browsers."""
    if "text/html" in headers.get("accept", ""):
        body = (f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>{status}</title>'
                f"<body><h1>{status}</h1><p>{_escape(message)}</p></body></html>").encode()
        ctype = b"text/html; charset=utf-8"
    else:
        body = json.dumps({"status": status, "detail": message}, ensure_ascii=False).encode()
        ctype = b"application/json"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


async def _redirect_with_cookie(scope: Scope, send: Any, token: str) -> None:
    """`?token=` once: set the cookie and redirect to the same URL without the token."""
    rest = [(k, v) for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1")) if k != "token"]
    location = scope["path"] + (f"?{urlencode(rest)}" if rest else "")
    cookie = f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", location.encode()), (b"set-cookie", cookie.encode()),
                            (b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})
