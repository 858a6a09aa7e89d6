"""`mutua worker`: run queued background tasks (django-tasks' database worker)."""

from __future__ import annotations

import argparse
import math
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mutua.core.gazetteer import gazetteer
from mutua.notify.scheduler import Scheduler


def _interval(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("must be a number, not %r") % value) from None
    if not math.isfinite(seconds) or seconds < 0:
        raise argparse.ArgumentTypeError(_("must be 0 or more seconds, not %s") % value)
    return seconds


def _count(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("must be a whole number, not %r") % value) from None
    if count < 1:
        raise argparse.ArgumentTypeError(_("must be 1 or more, not %d") % count)
    return count


class Command(BaseCommand):
    help = gettext_noop(
        "Run background tasks (messages, expiry, ...) as they are queued, until stopped "
        "with Ctrl-C. `mutua serve` already runs one unless given --no-worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument(
            "--queue-name",
            default="default",
            help=_("queues to work on, separated by commas; * for all (default: default)"),
        )
        parser.add_argument(
            "--interval",
            type=_interval,
            default=1.0,
            help=_("seconds to wait between looks at an empty queue (default 1)"),
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help=_("run the tasks that are waiting now, then exit"),
        )
        parser.add_argument(
            "--max-tasks",
            type=_count,
            help=_("exit after running this many tasks"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Passed as arguments so that db_worker's own check of the task backend answers a
        # non-database backend with one line.
        argv = ["--queue-name", options["queue_name"], "--interval", str(options["interval"])]
        # Never the autoreloader, even with MUTUA_DEBUG on: it would fork a second worker.
        argv.append("--no-reload")
        if options["batch"]:
            argv += ["--batch", "--no-startup-delay"]
        if options["max_tasks"] is not None:
            argv += ["--max-tasks", str(options["max_tasks"])]
        # Periodic jobs (retries, expiry, digests: each app's tasks.PERIODIC) are queued from a
        # thread beside the worker; a worker that runs a batch and exits needs none.
        scheduler = None if options["batch"] else Scheduler()
        if scheduler is not None:
            # A worker that stays: tasks that place asks by their words find the place
            # index loaded, not loading while a person waits (docs/places.md).
            gazetteer()
            scheduler.start()
        try:
            call_command(
                "db_worker",
                *argv,
                verbosity=options["verbosity"],
                stdout=self.stdout,
                stderr=self.stderr,
            )
        except KeyboardInterrupt:
            # Ctrl-C before the worker has set up its own graceful handler: just stop.
            return
        finally:
            if scheduler is not None:
                scheduler.stop()
