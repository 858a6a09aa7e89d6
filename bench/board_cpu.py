"""The board's CPU cost per request in-process, beside the bare view's.

    DATABASE_URL=sqlite:///var/bench/board-10000-seed1.sqlite3 python bench/board_cpu.py

A quick, repeatable proxy for `mutua bench board` that needs no server and no load
generator: the Django test client, signed in as the benchmark's member, sends
`/healthz/live` and then `/board/?near=51.5085,-0.1257` (after a few requests, so the
board's list and page are kept) and reports `time.process_time` per request for each.
Point DATABASE_URL at a database `mutua bench board` built (var/bench/), never a real one.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import django

BARE = "/healthz/live"
BOARD = "/board/?near=51.5085,-0.1257"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python bench/board_cpu.py")
    parser.add_argument("--requests", type=int, default=50, help="requests timed per page")
    parser.add_argument("--rounds", type=int, default=2, help="bare then board, this often")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutua.settings")
    django.setup()
    from django.test import Client

    from mutua.ops.bench.build import MEMBER_EMAIL, MEMBER_PASSWORD

    client = Client(HTTP_HOST="127.0.0.1")  # as `mutua bench board` calls it
    if not client.login(email=MEMBER_EMAIL, password=MEMBER_PASSWORD):
        raise SystemExit("No benchmark member here: point DATABASE_URL at a var/bench/ database.")

    def per_request_ms(url: str) -> float:
        for _warm_up in range(3):
            if client.get(url).status_code != 200:
                raise SystemExit(f"{url} did not answer 200")
        started = time.process_time()
        for _each in range(args.requests):
            client.get(url)
        return (time.process_time() - started) / args.requests * 1000

    for _round in range(args.rounds):
        bare, board = per_request_ms(BARE), per_request_ms(BOARD)
        result = {"bare_ms": round(bare, 2), "board_ms": round(board, 2)}
        print(json.dumps({**result, "board_over_bare": round(board / bare, 2)}))


if __name__ == "__main__":
    main()
