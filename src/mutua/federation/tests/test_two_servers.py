"""Two real mutua servers on loopback, each with its own port and SQLite database, linked
by their operators and groups: a link agreed on both sides, a refused link, an ask handed
on while the other server is down (kept, then delivered) and taken there, a bad
signature and a replay."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

PYTHON = sys.executable
HACKNEY = (51.5450, -0.0553)
WALTHAMSTOW = (51.5856, -0.0195)

# Run in a server's environment: a group covering `place`, one trusted member, a token.
SETUP = """
from mutua.core import geo
from mutua.governance.services import found_group, trust_by_operator
from mutua.people.services import create_account, issue_token
lat, lon = {place}
user = create_account(email="{email}", password="a long passphrase 42", display_name="")
group = found_group(founder=user, name="{name}", kind="network",
                    cells=geo.disk(lat, lon, 3, resolution=8))
trust_by_operator(group=group, member=user)
print(issue_token(user=user))
"""

# A group decides: its member agrees (or not) and the deadline passes: the proposal's
# own path, with only the clock moved on.
DECIDE = """
from datetime import timedelta
from mutua.federation.models import Link
from mutua.governance.models import Stance
from mutua.governance.services import close_proposal, take_position
link = Link.objects.select_related("proposal").get(url="{url}")
proposal = link.proposal
if {agree}:
    take_position(proposal=proposal, member=proposal.author, stance=Stance.AGREE)
print(close_proposal(proposal_id=proposal.pk, now=proposal.deadline + timedelta(minutes=1)))
"""

# Signed messages from this server to another's inbox, made with this server's own key
# (one fresh, one ten minutes old), so that the test can replay or change them.
SIGNED = """
import json
from datetime import timedelta
from django.utils import timezone
from mutua.federation import crypto
from mutua.federation.models import Link
from mutua.federation.services import server_keys
link = Link.objects.get(url="{url}")
keys = server_keys()
body = json.dumps({{"type": "link-request", "id": "x", "from": "{me}"}}).encode()
out = []
for age in (0, 10):
    headers = crypto.sign(url=link.inbox, body=body, signing_private=keys.signing_private,
                          signing_public=keys.signing_public,
                          created=timezone.now() - timedelta(minutes=age))
    out.append({{"url": link.inbox, "body": body.decode(), "headers": headers}})
print(json.dumps(out))
"""

FACTS = """
from mutua.federation.models import FederationEvent
from mutua.privacy.models import AccessLog
print(sorted(set(FederationEvent.objects.values_list("kind", flat=True))))
print(list(AccessLog.objects.values_list("reason", "channel")))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(check, what: str, seconds: float = 120):
    """Poll until `check()` is true: the servers' own workers do the sending."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


class Server:
    def __init__(self, name: str, data: Path) -> None:
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = ""
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("MUTUA_", "DATABASE_URL", "PYTEST", "DJANGO_"))
        }
        self.env.update(
            MUTUA_DATA_DIR=str(data),
            MUTUA_PUBLIC_URL=self.url,
            MUTUA_SITE_NAME=name,
            MUTUA_OUTBOUND_ALLOW_PRIVATE="1",
            MUTUA_ESTABLISH_TRUSTED="1",
            MUTUA_BACKUP_EVERY_HOURS="0",
            MUTUA_SECRET_KEY=f"test-secret-{name}-" + "x" * 40,
        )
        self.process: subprocess.Popen[bytes] | None = None

    def mutua(self, *args: str) -> str:
        result = subprocess.run(
            [PYTHON, "-m", "mutua", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def python(self, code: str) -> str:
        script = "import django; django.setup()\n" + code
        env = {**self.env, "DJANGO_SETTINGS_MODULE": "mutua.settings"}
        result = subprocess.run(
            [PYTHON, "-c", script], env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    def start(self) -> None:
        """`mutua serve` with its embedded worker, which sends and retries messages."""
        self.process = subprocess.Popen(
            [PYTHON, "-m", "mutua", "serve", "--port", str(self.port), "--workers", "1"],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for(self.alive, f"{self.name} to start", seconds=180)

    def alive(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/healthz/live", timeout=2):  # noqa: S310
                return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.process = None

    def request(self, method: str, path: str, body: object = None) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)  # noqa: S310
        request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
                return answer.status, json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def link(self) -> dict[str, Any]:
        """The one link this server has, as its API shows it."""
        status, links = self.request("GET", "/api/v1/federation/links")
        assert status == 200, links
        return links["items"][0] if links["items"] else {}


def post_raw(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    root = tmp_path_factory.mktemp("federation")
    base = root / "base"
    Server("base", base).mutua("migrate")
    made = []
    for name, place, email in (
        ("north", HACKNEY, "nia@north.example"),
        ("south", WALTHAMSTOW, "sol@south.example"),
    ):
        data = root / name
        data.mkdir()
        for file in base.glob("mutua.sqlite3*"):
            shutil.copy(file, data / file.name)
        server = Server(name, data)
        server.token = server.python(
            SETUP.format(place=place, email=email, name=f"{name.title()} Network")
        ).splitlines()[-1]
        made.append(server)
    try:
        for server in made:
            server.start()
        yield made
    finally:
        for server in made:
            server.stop()


def test_two_servers_link_refuse_hand_on_and_reject(servers):
    north, south = servers

    # The public documents.
    status, document = north.request("GET", "/.well-known/mutua")
    assert status == 200
    assert document["name"] == "north" and document["protocol_version"] == 1
    assert document["public_key"]

    # North proposes; its worker sends the request, and south pins north's key.
    assert "Keys of south pinned" in north.mutua("federation", "link", south.url)
    seen = wait_for(south.link, "south to hear of the link")
    assert seen["url"] == north.url and seen["state"] == "waiting-for-us"
    assert seen["key_id"] == document["key_id"] and seen["theirs"] == "pending"

    # North's group agrees; south hears of it.
    assert north.python(DECIDE.format(url=south.url, agree=True)) == "passed"
    wait_for(lambda: south.link()["theirs"] == "agreed", "north's agreement")

    # South's group first refuses: the link is refused on both sides.
    south.mutua("federation", "link", north.url)
    assert south.python(DECIDE.format(url=north.url, agree=False)) == "not-passed"
    wait_for(lambda: north.link()["state"] == "refused", "south's refusal")
    assert south.link()["state"] == "refused"
    # A message from north to the server that refused it is rejected (and logged there).
    fresh, old = json.loads(north.python(SIGNED.format(url=south.url, me=north.url)))
    status, answer = post_raw(fresh["url"], fresh["body"].encode(), fresh["headers"])
    assert status == 403 and "refused link" in answer

    # South's group decides again, and agrees: the link is active on both sides.
    south.mutua("federation", "link", north.url)
    assert south.python(DECIDE.format(url=north.url, agree=True)) == "passed"
    wait_for(lambda: north.link()["state"] == "active", "the link to be active")
    assert south.link()["state"] == "active"
    listed = north.mutua("federation", "list")
    assert south.url in listed and "active" in listed

    # Bad signature, replay and an old signature, against the active link.
    fresh, old = json.loads(north.python(SIGNED.format(url=south.url, me=north.url)))
    body, headers = fresh["body"].encode(), fresh["headers"]
    assert post_raw(fresh["url"], body, headers)[0] == 202
    status, answer = post_raw(fresh["url"], body, headers)
    assert status == 401 and "replayed" in answer
    status, answer = post_raw(fresh["url"], body.replace(b"request", b"refused"), headers)
    assert status == 401 and "bad signature" in answer
    status, answer = post_raw(old["url"], old["body"].encode(), old["headers"])
    assert status == 401 and "bad signature" in answer
    assert south.link()["state"] == "active"

    # Someone near south's area asks on north's server.
    status, made = north.request(
        "POST",
        "/api/v1/asks",
        {
            "what": "Shopping for my mother",
            "category": "groceries",
            "place": {"lat": WALTHAMSTOW[0], "lon": WALTHAMSTOW[1]},
            "contact": {"name": "Ola", "phone": "+44 20 7946 0123", "email": "", "address": ""},
            "language": "en",
            "urgency": 2,
            "consent": True,
        },
    )
    assert status == 201, made
    ask_id = made["id"]

    # South is down when north hands the ask on: kept, retried, delivered once it is back.
    south.stop()
    north.mutua("federation", "hand-on", str(ask_id), str(north.link()["id"]))
    wait_for(
        lambda: "1 waiting to be sent" in north.mutua("federation", "list"), "a failed attempt"
    )
    status, public = north.request("GET", f"/api/v1/asks/{ask_id}")
    assert public["status"] == "handed-on"
    south.start()
    received = wait_for(
        lambda: south.request(
            "GET", f"/api/v1/asks?near={WALTHAMSTOW[0]},{WALTHAMSTOW[1]}&radius_km=5"
        )[1]["items"],
        "the retried hand-on",
        seconds=180,
    )[0]
    assert "0 waiting to be sent" in north.mutua("federation", "list")

    # A member of south's group takes it and sees the contact that crossed sealed.
    status, claimed = south.request("POST", f"/api/v1/asks/{received['id']}/claim")
    assert status == 200, claimed
    status, detail = south.request("GET", f"/api/v1/asks/{received['id']}")
    assert detail["contact"]["phone"] == "+442079460123"

    # North sees it taken; done there, done here.
    def outcome() -> str:
        answer = north.request("GET", f"/api/v1/federation/hand-ons/{ask_id}")[1]
        return str(answer["items"][0]["outcome"])

    wait_for(lambda: outcome() == "taken", "the outcome taken")
    status, _ = south.request("POST", f"/api/v1/asks/{received['id']}/done")
    assert status == 200
    wait_for(lambda: outcome() == "done", "the outcome done")
    assert north.request("GET", f"/api/v1/asks/{ask_id}")[1]["status"] == "done"

    # Both logged the crossing; north's access log says the details left for south.
    north_events, north_reveals = north.python(FACTS).splitlines()
    assert "ask-sent" in north_events and "outcome-received" in north_events
    assert "('linked-server', 'federation')" in north_reveals
    south_events, _ = south.python(FACTS).splitlines()
    assert "ask-received" in south_events and "rejected" in south_events
