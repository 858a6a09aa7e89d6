"""Run by test_worker_crash in a process of its own, against the database in DATABASE_URL:

python -m mutua.notify.tests.crash_script queue N   queue N emails (crash:0 ... crash:N-1)
python -m mutua.notify.tests.crash_script status    print each message's key and status
"""

from __future__ import annotations

import json
import os
import sys

import django


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutua.settings")
    django.setup()
    from mutua.notify import services
    from mutua.notify.models import Message

    if argv[0] == "queue":
        for i in range(int(argv[1])):
            services.queue_message(
                key=f"crash:{i}",
                channel="email",
                to=f"person{i}@example.org",
                subject=f"message {i}",
                body=f"Body of message {i}.",
            )
    else:
        rows = Message.objects.order_by("key").values_list("key", "status", "attempts")
        print(json.dumps([list(row) for row in rows]))


if __name__ == "__main__":
    main(sys.argv[1:])
