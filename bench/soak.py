"""Soak: mixed traffic against `mutua serve` on loopback for a bounded time.

    python bench/soak.py --minutes 10 --clients 8 [--database-url URL]

Starts its own server on a fresh SQLite database in a temporary folder (or the empty
database given), with SMS turned on, then keeps `clients` threads sending a mix of new
asks (API), board pages, claims (API, as members with tokens) and signed SMS webhook posts
until the time is up. Every request has a 30 s timeout and the loop stops by itself.
Prints one JSON object: requests and 5xx by kind, and the web processes' memory (RSS) at
the end of the warm-up (the first fifth) and at the end, with the growth between.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

from twilio.request_validator import RequestValidator

SMS_TOKEN = "soak-twilio-token"  # noqa: S105 (a throwaway server on loopback)
HACKNEY = (51.5450, -0.0553)


def mutua(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "mutua", *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def rss_kib(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def web_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [master, *map(int, children)]


class Traffic:
    def __init__(self, base: str, tokens: list[str]) -> None:
        self.base = base
        self.tokens = tokens
        self.sent: Counter[str] = Counter()
        self.failed: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.open_asks: list[int] = []

    def request(self, kind: str, path: str, *, data: bytes | None = None, headers=None) -> bytes:
        # Only ever the loopback server this script started.
        request = urllib.request.Request(  # noqa: S310
            f"{self.base}{path}", data=data, headers=headers or {}
        )
        status = 0
        body = b""
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
                status, body = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError:
            status = 599
        with self.lock:
            self.sent[kind] += 1
            self.statuses[f"{kind} {status}"] += 1
            if status >= 500:
                self.failed[kind] += 1
        return body

    def ask(self, rng: random.Random) -> None:
        lat, lon = HACKNEY[0] + rng.uniform(-0.01, 0.01), HACKNEY[1] + rng.uniform(-0.01, 0.01)
        payload = {
            "what": "Shopping for the week",
            "category": "groceries",
            "place": {"lat": lat, "lon": lon},
            "contact": {"name": "Soak", "phone": f"+4477009{rng.randrange(10**5):05d}"},
            "consent": True,
        }
        body = self.request(
            "ask",
            "/api/v1/asks",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            ask_id = int(json.loads(body)["id"])
        except (ValueError, KeyError, TypeError):
            return
        with self.lock:
            self.open_asks.append(ask_id)

    def board(self, rng: random.Random) -> None:
        self.request("board", f"/board/?near={HACKNEY[0]},{HACKNEY[1]}")

    def claim(self, rng: random.Random) -> None:
        with self.lock:
            if not self.open_asks:
                return
            ask_id = self.open_asks.pop(rng.randrange(len(self.open_asks)))
        token = rng.choice(self.tokens)
        self.request(
            "claim",
            f"/api/v1/asks/{ask_id}/claim",
            data=b"",
            headers={"Authorization": f"Bearer {token}"},
        )

    def sms(self, rng: random.Random) -> None:
        url = f"{self.base}/sms/inbound"
        params = {
            "MessageSid": f"SM{rng.getrandbits(128):032x}",
            "From": f"+4477009{rng.randrange(10**5):05d}",
            "Body": rng.choice(["HELP shopping near E8 1DY", "STATUS", "HELP", "hello"]),
        }
        signature = RequestValidator(SMS_TOKEN).compute_signature(url, params)
        self.request(
            "sms",
            "/sms/inbound",
            data=urllib.parse.urlencode(params).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Twilio-Signature": signature,
            },
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--port", type=int, default=8431)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="mutua-soak-"))
    url = args.database_url or f"sqlite:///{data / 'soak.sqlite3'}"
    base = f"http://127.0.0.1:{args.port}"
    env = {
        **os.environ,
        "MUTUA_DATA_DIR": str(data),
        "DATABASE_URL": url,
        "MUTUA_TWILIO_AUTH_TOKEN": SMS_TOKEN,
        "MUTUA_PUBLIC_URL": base,
        "MUTUA_API_RATE_LIMIT": "0",
        "MUTUA_DEBUG": "0",
    }
    mutua(env, "migrate", "--no-input", "-v0")
    mutua(env, "demo", "--size", "tiny", "--if-empty")
    tokens = []
    for number in range(4):
        email = f"soak{number}@example.org"
        mutua(
            env,
            "createuser",
            email,
            "--password",
            "soak-soak-soak",
            "--group",
            "hackney-mutual-aid",
        )
        tokens.append(mutua(env, "token", email))

    server = subprocess.Popen(
        [sys.executable, "-m", "mutua", "serve", "--port", str(args.port)],
        env=env,
        stdout=(data / "server.log").open("wb"),
        stderr=subprocess.STDOUT,
        process_group=0,
    )
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/healthz/live", timeout=2).close()  # noqa: S310
                break
            except OSError:
                time.sleep(0.5)
        traffic = Traffic(base, tokens)
        deadline = time.monotonic() + args.minutes * 60
        warm_until = time.monotonic() + args.minutes * 12  # the first fifth
        actions = [traffic.ask] * 3 + [traffic.board] * 4 + [traffic.claim] * 2 + [traffic.sms]

        def client(seed: int) -> None:
            rng = random.Random(seed)
            while time.monotonic() < deadline:
                rng.choice(actions)(rng)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        for thread in threads:
            thread.start()
        time.sleep(max(0.0, warm_until - time.monotonic()))
        warm_rss = rss_kib(web_pids(server.pid))
        for thread in threads:
            thread.join()
        end_rss = rss_kib(web_pids(server.pid))
        health = json.loads(urllib.request.urlopen(f"{base}/healthz", timeout=10).read())  # noqa: S310
    finally:
        server.terminate()
        server.wait(timeout=60)
    print(
        json.dumps(
            {
                "minutes": args.minutes,
                "clients": args.clients,
                "requests": dict(traffic.sent),
                "server_errors": dict(traffic.failed),
                "statuses": dict(sorted(traffic.statuses.items())),
                "rss_after_warmup_mib": round(warm_rss / 1024, 1),
                "rss_at_end_mib": round(end_rss / 1024, 1),
                "rss_growth_percent": round(100 * (end_rss - warm_rss) / warm_rss, 1),
                "healthz_at_end": health.get("status"),
            }
        )
    )


if __name__ == "__main__":
    main()
