"""The board benchmark's load: `mutua serve` on loopback, driven by wrk.

wrk (a C load generator, Debian's `wrk`) keeps C connections busy for S seconds and
reports throughput and latency percentiles; it stops by itself when the time is up.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from mutua.core.errors import DomainError

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


class BenchError(DomainError):
    """The benchmark could not run; the message says why in one line."""


@dataclass(frozen=True)
class Load:
    requests: int
    rps: float
    # None when no request finished in time: there is no latency to report, only that.
    p50_ms: float | None
    p99_ms: float | None
    errors: int


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    """`mutua serve --no-worker` on a loopback port, against the given database."""

    def __init__(self, *, database_url: str, workers: int, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "DATABASE_URL": database_url, "MUTUA_DEBUG": "0"}
        argv = [sys.executable, "-m", "mutua", "serve", "--no-worker"]
        argv += ["--port", str(self.port), "--workers", str(workers)]
        self._log = log.open("wb")
        self._process = subprocess.Popen(
            argv, env=env, stdout=self._log, stderr=subprocess.STDOUT, process_group=0
        )

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise BenchError(
                    _("The server stopped at start; see %(log)s.") % {"log": self._log.name}
                )
            try:
                with urllib.request.urlopen(f"{self.base}/healthz/live", timeout=2):  # noqa: S310
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        raise BenchError(_("The server did not answer within %(s)d s.") % {"s": timeout})

    def stop(self) -> None:
        if self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGTERM)
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self._process.pid, signal.SIGKILL)
                self._process.wait()
        self._log.close()


def login(base: str, *, email: str, password: str) -> str:
    """Sign in through the login page as a person would; returns the Cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/accounts/login/", timeout=30) as page:
        html = page.read().decode()
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if found is None:
        raise BenchError(_("The login page has no form to sign in with."))
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": found.group(1), "login": email, "password": password}
    ).encode()
    # Only ever the loopback address of the server this module started.
    request = urllib.request.Request(  # noqa: S310
        f"{base}/accounts/login/", data=form, headers={"Referer": f"{base}/accounts/login/"}
    )
    with opener.open(request, timeout=30):
        pass
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise BenchError(_("Could not sign in as the benchmark's member."))
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise BenchError(_("wrk is not installed: install it (Debian: apt-get install wrk)."))
    return found


def drive(url: str, *, clients: int, seconds: int, cookie: str = "") -> Load:
    """Keep `clients` connections busy on `url` for `seconds`, and measure."""
    argv = [wrk_path(), f"-t{min(2, clients)}", f"-c{clients}", f"-d{seconds}s"]
    argv += ["--latency", "--timeout", "10s"]
    if cookie:
        argv += ["-H", f"Cookie: {cookie}"]
    result = subprocess.run(
        [*argv, url], capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    if result.returncode != 0:
        raise BenchError(_("wrk failed: %(why)s") % {"why": result.stderr.strip()[:200]})
    return parse_wrk(result.stdout)


def parse_wrk(output: str) -> Load:
    def latency(percent: str) -> float:
        found = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
        if found is None:
            raise BenchError(_("wrk gave no %(p)s%% latency.") % {"p": percent})
        return float(found.group(1)) * UNITS_MS[found.group(2)]

    total = re.search(r"^\s*(\d+) requests in", output, re.MULTILINE)
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if total is None or rate is None:
        raise BenchError(_("wrk's report could not be read."))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non_2xx.group(1)) if non_2xx else 0
    errors += sum(int(n) for n in sockets.groups()) if sockets else 0
    requests = int(total.group(1))
    return Load(
        requests=requests,
        rps=float(rate.group(1)),
        p50_ms=latency("50") if requests else None,
        p99_ms=latency("99") if requests else None,
        errors=errors,
    )
