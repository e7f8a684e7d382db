"""Gunicorn on loopback for the load and phone parts, and a cookie-keeping HTTP session."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import bench
from bench import forms


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """`gunicorn --workers N --bind 127.0.0.1:<free port> <app>`, stopped on exit."""

    def __init__(self, kind: str, workers: int, app: str = "portal:create_app()"):
        self.port = free_port()
        self.workers, self.app = workers, app
        log = bench.OUT / f"gunicorn-{workers}.log"
        self._log = log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind",
             f"127.0.0.1:{self.port}", "--timeout", "120", "--log-level", "warning", app],
            cwd=bench.ROOT, env=bench.app_environment(kind), stdout=self._log,
            stderr=subprocess.STDOUT)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Gunicorn:
        deadline = time.monotonic() + 60
        path = "/" if "hello" in self.app else "/healthz"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped; see {self._log.name}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", path)
                if conn.getresponse().status == 200:
                    conn.close()
                    # Every worker imports the app on its own: give them a moment.
                    time.sleep(1.0)
                    return self
            except OSError:
                time.sleep(0.3)
        raise SystemExit("gunicorn did not answer within 60 s")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()

    def worker_rss_mb(self) -> list[float]:
        """VmRSS of each worker (children of the gunicorn master), in MB."""
        found = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
            if fields.get("PPid", "").strip() == str(self.process.pid) and "VmRSS" in fields:
                found.append(round(int(fields["VmRSS"].split()[0]) / 1024, 1))
        return sorted(found)


class HttpSession:
    """Requests to one server keeping the session cookie, like a browser tab."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, url: str, data: dict | None = None,
                headers: dict | None = None) -> tuple[int, dict, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = self.cookie_header
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, url, body=body, headers=sent)
        answer = conn.getresponse()
        payload = answer.read()
        for value in answer.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(value)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        conn.close()
        return answer.status, dict(answer.headers.items()), payload

    def html(self, url: str) -> str | None:
        status, _headers, payload = self.request("GET", url)
        return payload.decode() if status == 200 else None

    def sign_in(self, email: str, password: str = bench.PASSWORD) -> str:
        """Sign in; returns the CSRF token of the signed-in session."""
        token = forms.csrf_token(self.html("/login") or "")
        status, _h, _b = self.request("POST", "/login", {
            "email": email, "password": password, "csrf_token": token, "next": ""})
        if status != 303:
            raise SystemExit(f"Sign-in as {email} over HTTP failed ({status}).")
        return forms.csrf_token(self.html("/") or "")


def loadavg() -> float:
    return round(os.getloadavg()[0], 2)
