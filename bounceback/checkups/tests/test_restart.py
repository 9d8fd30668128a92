"""A server killed with SIGKILL mid check-up loses no answer that was saved (hazard H16, test T16).

Runs a real server process on its own SQLite file, answers through HTTP as a browser would, kills the process
with SIGKILL, starts a new one, and resumes with the same session cookie.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return str(response.read().decode())

    def post(self, path: str, data: dict[str, str], referer: str) -> str:
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(  # noqa: S310 - http on loopback only
            self.base + path, data=body, headers={"Referer": self.base + referer}
        )
        with self.opener.open(request, timeout=30) as response:
            return str(response.geturl())


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise AssertionError("the server did not start")


def csrf(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match is not None
    return match.group(1)


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_it_loses_no_saved_answer_when_the_server_is_killed(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env |= {"DATABASE_URL": f"sqlite:///{tmp_path / 'restart.sqlite3'}", "BOUNCEBACK_ENV": "development"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(env, port)
    try:
        browser = Browser(base)
        start = browser.get("/checkup/")
        first_page = urllib.parse.urlsplit(
            browser.post("/checkup/", {"csrfmiddlewaretoken": csrf(start)}, "/checkup/")
        ).path
        checkup_url = "/".join(first_page.split("/")[:3]) + "/"  # /checkup/<id>/ of /checkup/<id>/p/<step>/
        page = browser.get(checkup_url)
        for n in range(1, 5):  # four of six answers, each autosaved on its own
            browser.post(
                f"{checkup_url}answer/",
                {"csrfmiddlewaretoken": csrf(page), "item": f"brs_{n}", f"brs_{n}": "4"},
                checkup_url,
            )
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)

        server = start_server(env, port)
        resumed = browser.get(checkup_url)
        for n in range(1, 5):
            assert f'id="brs_{n}-4" value="4" checked' in resumed, n
        assert 'id="brs_5-4" value="4" checked' not in resumed
    finally:
        server.kill()
        server.wait(timeout=30)
