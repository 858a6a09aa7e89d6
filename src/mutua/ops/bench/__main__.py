"""`python -m mutua.ops.bench --asks N --seed S`: migrate the database named by DATABASE_URL
and fill it for the board benchmark, unless it already holds asks; prints the open asks.

Run by `mutua bench board` in a child process pointed at the benchmark's own database
under var/bench/, never at a real one; it is not a `mutua` command for that reason.
"""

from __future__ import annotations

import argparse
import os

import django


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m mutua.ops.bench")
    parser.add_argument("--asks", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutua.settings")
    django.setup()
    from django.core.management import call_command

    from mutua.aid.models import Ask
    from mutua.ops.bench.build import build

    call_command("migrate", verbosity=0)
    if Ask.objects.exists():
        print(Ask.objects.open().count())
        return
    print(build(asks=args.asks, seed=args.seed))


if __name__ == "__main__":
    main()
