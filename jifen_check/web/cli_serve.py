"""`jifen-check serve`: the local web app. Registered on the main CLI group by cli.py.

The first line printed is the URL with the access token (as Jupyter does); nothing is opened.
The server logs only method, path, status and time: never names, ID numbers or the token.
"""

from __future__ import annotations

import ipaddress
import logging
import secrets
import socket
import sys

import click

from jifen_check import rulebook
from jifen_check.cli_common import ruleset_option
from jifen_check.cli_zh import ZhCommand
from jifen_check.web.settings import Settings

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Connections accepted from a socket handed to uvicorn miss asyncio's TCP_NODELAY; set on the
    # listening socket, Linux passes it on. Without it every keep-alive request after the first waited
    # ~40 ms for a delayed ACK (measured: GET /openapi.json 44 ms, with it 3 ms).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise click.ClickException(f"无法监听 {host}:{port}：{exc.strerror or exc}（端口被占用？可用 --port 换一个）") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


@click.command("serve", cls=ZhCommand)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址。默认只接受本机访问；改成其他地址（如 0.0.0.0）会让局域网内其他电脑也能连上，"
                   "此时必须用 --token 指定令牌。")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="端口；0 表示自动选一个空闲端口。")
@click.option("--token", default=None,
              help="访问令牌。默认每次启动随机生成。每个请求都要带它：浏览器打开启动时打印的地址"
                   "（?token=…，之后由 Cookie 保持），程序调用用请求头 Authorization: Bearer <令牌>。")
@click.option("--max-upload-mb", type=click.IntRange(1, 2048), default=50, show_default=True,
              help="上传文件大小上限（MB），超过返回 413。")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="判断用的工作进程数（默认 CPU 核数，最多 2）。")
@ruleset_option
def serve_command(host: str, port: int, token: str | None, max_upload_mb: int, workers: int | None,
                  ruleset: str) -> None:
    """启动本机网页版：填表预审一位申请人、下载材料清单、批量上传，以及 JSON API。

    \b
    第一行输出是带访问令牌的地址，例如
      http://127.0.0.1:8000/?token=…
    用浏览器打开它即可（不会自动打开浏览器）。数据只在本机处理。
    JSON API：POST /api/check（applicant@1 → result@1）、POST /api/checklist（→ PDF）、
    POST /api/batch 等；接口说明见 /openapi.json。按 Ctrl+C 停止，临时文件随之删除。
    """
    if not _is_loopback(host) and not token:
        raise click.UsageError("监听非本机地址时必须用 --token 指定访问令牌（局域网内的其他人也能连上）")
    try:  # a ruleset that cannot be loaded stops the server before it listens
        rulebook.load(ruleset)
    except rulebook.RulesetError as exc:
        raise click.ClickException(f"规则文件有误：{exc}") from None
    token = token or secrets.token_urlsafe(24)
    sock = _bind(host, port)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{sock.getsockname()[1]}/?token={token}"
    click.echo(url)
    sys.stdout.flush()
    _run(sock, Settings(token=token, host=host, port=sock.getsockname()[1], max_upload_mb=max_upload_mb,
                        workers=workers, ruleset=ruleset))


def _run(sock: socket.socket, settings: Settings) -> None:
    import uvicorn

    from jifen_check.web.app import create_app

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    log = logging.getLogger("jifen_check.web")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    click.echo("按 Ctrl+C 停止。", err=True)
    app = create_app(settings)
    # Uvicorn's own access log would print query strings (the token): ours is in guard.py.
    config = uvicorn.Config(app, log_level="warning", access_log=False, log_config=None, lifespan="on",
                            server_header=False)
    uvicorn.Server(config).run(sockets=[sock])
