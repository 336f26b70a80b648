"""The real server, started once per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.web.serverproc import Server, start_server, stop_server


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    s = start_server()
    try:
        yield s
    finally:
        stop_server(s)


