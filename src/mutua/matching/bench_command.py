"""`mutua bench dispatch`: measure the dispatch engine on a synthetic national instance.

The `bench` command itself lives in mutua.ops, which adds `bench board`; this is its
dispatch half, kept beside the engine it measures.
"""

from __future__ import annotations

import argparse
import json
import os
from io import StringIO
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rich.console import Console
from rich.table import Table

from mutua.matching.engine.benchmark import EXACT_LIMIT, run_benchmark


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("must be a whole number, not %r") % value) from None
    if number < 0:
        raise argparse.ArgumentTypeError(_("must be 0 or more, not %d") % number)
    return number


def _positive(value: str) -> int:
    number = _count(value)
    if number < 1:
        raise argparse.ArgumentTypeError(_("must be 1 or more, not %d") % number)
    return number


class DispatchBench(BaseCommand):
    # What may be benchmarked; the ops command adds the board.
    WHAT: tuple[str, ...] = ("dispatch",)

    help = gettext_noop(
        "Benchmark dispatch on a synthetic instance (helpers and asks around real UK towns): "
        "the engine against one global min-cost flow, a greedy dispatcher and, up to 3,000 x "
        "3,000, the exact optimum."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument("what", choices=self.WHAT, help=_("what to benchmark"))
        parser.add_argument(
            "--helpers", type=_count, default=10_000, help=_("number of helpers (default 10000)")
        )
        parser.add_argument(
            "--asks", type=_count, help=_("number of asks (default: a third of the helpers)")
        )
        parser.add_argument(
            "--seed", type=_count, default=1, help=_("the same seed gives the same instance")
        )
        parser.add_argument(
            "--k", type=_positive, default=8, help=_("candidate helpers per ask (default 8)")
        )
        parser.add_argument(
            "--workers",
            type=_positive,
            default=min(2, os.cpu_count() or 1),
            help=_("processor cores to use (default: up to 2)"),
        )
        parser.add_argument(
            "--no-baseline",
            action="store_true",
            help=_("skip the global min-cost flow (slow on big instances)"),
        )
        parser.add_argument(
            "--no-exact",
            action="store_true",
            help=_("skip the exact optimum (done only up to %(limit)d x %(limit)d)")
            % {"limit": EXACT_LIMIT},
        )
        parser.add_argument(
            "--json", action="store_true", help=_("print one JSON object instead of a table")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        helpers = options["helpers"]
        asks = options["asks"] if options["asks"] is not None else helpers // 3
        result = run_benchmark(
            helpers=helpers,
            asks=asks,
            seed=options["seed"],
            k=options["k"],
            workers=options["workers"],
            baseline=not options["no_baseline"],
            exact=not options["no_exact"],
        )
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        table = Table(title=_("Dispatch benchmark"))
        table.add_column(_("measure"))
        table.add_column(_("value"), justify="right")
        for key, value in result.items():
            if isinstance(value, float):
                shown = f"{value:.4g}" if abs(value) < 1 else f"{value:,.3f}"
            elif isinstance(value, dict):
                shown = ", ".join(f"{name} {count}" for name, count in value.items())
            else:
                shown = str(value)
            table.add_row(key, shown)
        console = Console(file=StringIO(), width=100, highlight=False, emoji=False)
        console.print(table)
        assert isinstance(console.file, StringIO)  # set just above
        self.stdout.write(console.file.getvalue(), ending="")
