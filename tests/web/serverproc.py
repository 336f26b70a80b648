"""A real `jifen-check serve` for the web tests, on a free port (the fixture is in conftest.py)."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass, field

import httpx

from tests.conftest import ROOT, cli_command

TOKEN = "test-token-0123456789"


@dataclass
class Server:
    url: str  # http://127.0.0.1:PORT
    token: str
    proc: subprocess.Popen[bytes]
    output: list[str] = field(default_factory=list)  # every line the server printed (stdout + stderr)

    def client(self, **kw: object) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.token}"}
        return httpx.Client(base_url=self.url, headers=headers, timeout=120, **kw)  # type: ignore[arg-type]

    def text(self) -> str:
        time.sleep(0.3)  # let the reader threads catch the last lines
        return "\n".join(self.output)


def start_server(*args: str, token: str = TOKEN) -> Server:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([*cli_command(), "serve", "--port", "0", "--token", token, *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline().decode().strip()
    assert first.startswith("http://127.0.0.1:") and first.endswith(f"/?token={token}"), first
    server = Server(first.split("/?")[0], token, proc, [first])
    for stream in (proc.stdout, proc.stderr):
        threading.Thread(target=_drain, args=(stream, server.output), daemon=True).start()
    _wait_ready(server)
    return server


def _drain(stream: object, out: list[str]) -> None:
    for line in iter(stream.readline, b""):  # type: ignore[attr-defined]
        out.append(line.decode("utf-8", "replace").rstrip("\n"))


def _wait_ready(server: Server) -> None:
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            r = httpx.get(server.url + "/openapi.json", headers={"Authorization": f"Bearer {server.token}"})
            if r.status_code == 200:
                return
        except httpx.TransportError:
            pass
        if server.proc.poll() is not None:
            raise RuntimeError("server exited:\n" + "\n".join(server.output))
        time.sleep(0.2)
    raise RuntimeError("server did not start")


def stop_server(server: Server) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(30)
    except subprocess.TimeoutExpired:
        server.proc.kill()


def sample(name: str) -> bytes:
    return (ROOT / "samples" / name).read_bytes()


SAMPLES = ROOT / "samples"
