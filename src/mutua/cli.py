"""The `mutua` command: Django's management commands behind one friendly entry point."""

from __future__ import annotations

import os
import sys

# The commands a user of mutua is promised (DESIGN.md); Django's own stay reachable
# but are not listed, so `mutua --help` reads like a product, not a framework.
COMMANDS = {
    "serve": "run the web server (and a background worker unless --no-worker)",
    "worker": "run a background task worker",
    "migrate": "create or update the database tables",
    "demo": "fill the database with a realistic demo network",
    "createuser": "create an account (optionally joining a group)",
    "token": "print a new API token for an account",
    "expire": "mark open asks past their expiry as expired",
    "match": "dispatch: match open asks to helpers (a group, or two CSV files)",
    "bench": "measure dispatch (bench dispatch) or the board under load (bench board)",
    "govern": "decide proposals past their deadline and end expired roles",
    "sms": "text the SMS webhook as Twilio would and print the reply (for trying SMS out)",
    "receivemail": "relay one e-mail reply (the whole message on standard input)",
    "import": "import asks, offers or members from a CSV file into a group",
    "export": "export asks, offers or members as CSV or JSON (--person EMAIL: one person's data)",
    "purge": "erase personal details of asks closed longer ago than the retention period",
    "backup": "back up the database into a new file (--out DIR); prints its path last",
    "restore": "restore a backup made by `mutua backup` (--force to replace data)",
    "leaflet": "print a group's leaflet as a PDF (--group SLUG --lang en,ar --out FILE.pdf)",
    "rotate_keys": "re-encrypt contact details with the newest encryption key",
    "area": "set a group's area from a GeoJSON file (SLUG FILE [--feature VALUE])",
    "federation": "link with other mutua servers (link URL, list, deliver, hand-on)",
    "handon": "list asks outside every group's area, or pass an ask on (ASK --to SLUG)",
}


def _usage() -> str:
    lines = ["usage: mutua COMMAND [options]", "", "commands:"]
    lines += [f"  {name:<12}{text}" for name, text in COMMANDS.items()]
    lines += ["", "Run `mutua COMMAND --help` for a command's options."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutua.settings")
    if len(args) > 2 and args[1] == "help":
        # `mutua help export`, as the unknown-command line suggests: that command's help.
        args = [args[0], args[2], "--help"]
    if len(args) < 2 or args[1] in {"-h", "--help", "help"}:
        print(_usage())
        return
    if "--version" in args[1:]:
        # Django's own --version would print Django's release, not mutua's.
        from mutua import __version__

        print(f"mutua {__version__}")
        return
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["mutua", *args[1:]])
    except ImproperlyConfigured as exc:
        # Bad configuration is the server owner's to fix: one clear line, no traceback.
        print(f"mutua: configuration error: {exc}", file=sys.stderr)
        sys.exit(2)
