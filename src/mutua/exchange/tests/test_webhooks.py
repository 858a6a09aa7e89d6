"""Outgoing webhooks: registered through the API, posted signed to a real local receiver,
checked with the example in docs/WEBHOOKS.md, retried with backoff, never duplicated."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from standardwebhooks.webhooks import Webhook as StandardWebhook
from standardwebhooks.webhooks import WebhookVerificationError

from mutua.aid.models import Ask
from mutua.conftest import OFFLINE_DNS
from mutua.core.tests.factories import HACKNEY, UserFactory, make_ask, make_group, trusted
from mutua.exchange import services, signing
from mutua.exchange.models import DeliveryStatus, Webhook, WebhookDelivery
from mutua.exchange.tasks import deliver_webhook
from mutua.governance.models import LogEntry, LogKind
from mutua.people.services import issue_token

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[4] / "docs" / "WEBHOOKS.md"
PHONE = "+442079460000"
SECRET = signing.new_secret()


class Receiver:
    """A real HTTP server on 127.0.0.1 that records what it is sent and answers with
    the statuses it is given, one per request (then 200)."""

    def __init__(self) -> None:
        self.answers: list[int] = []
        self.received: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers.items()), body))
                self.send_response(receiver.answers.pop(0) if receiver.answers else 200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/mutua"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _headers, body in self.received]


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    settings.MUTUA_OUTBOUND_ALLOW_PRIVATE = True
    server = Receiver()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def docs_verify() -> Any:
    """The `verify` function exactly as docs/WEBHOOKS.md shows it."""
    blocks = re.findall(r"```python\n(.*?)```", DOCS.read_text(), flags=re.DOTALL)
    namespace: dict[str, Any] = {}
    exec(blocks[0], namespace)  # noqa: S102 (our own documentation, run as a reader would)
    return namespace["verify"]


def auth(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(user=user)}"}


def add_hook(client: Client, user: Any, url: str, **extra: Any) -> Any:
    body = {"group": "hackney-central", "url": url, **extra}
    return client.post(
        "/api/v1/webhooks", json.dumps(body), content_type="application/json", headers=auth(user)
    )


def test_a_member_adds_a_webhook_and_sees_its_secret_once(client, ward, helper):
    response = add_hook(client, helper, "https://bridge.example.org/mutua", description="sheet")

    assert response.status_code == 201, response.content
    created = response.json()
    assert created["secret"].startswith("whsec_") and len(created["secret"]) > 40
    assert created["events"] == ["ask.created", "ask.claimed", "ask.done"]
    listed = client.get("/api/v1/webhooks?group=hackney-central", headers=auth(helper)).json()
    assert [h["id"] for h in listed["items"]] == [created["id"]]
    assert "secret" not in listed["items"][0]


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://example.org/x", "http"),
        ("not a url", "http"),
        ("http://127.0.0.1:8000/hook", "public address"),
        ("http://localhost/hook", "public address"),
        ("https://192.168.1.10/hook", "public address"),
        ("http://[::1]/hook", "public address"),
        ("http://224.0.0.1/", "public address"),
        ("http://169.254.169.254/latest/meta-data/", "public address"),
        ("http://[::ffff:127.0.0.1]/hook", "public address"),
        ("https://internal.example.net/hook", "public address"),
        ("https://metadata.example.net/hook", "public address"),
    ],
)
def test_webhooks_must_go_to_a_public_http_address(client, ward, helper, url, words):
    response = add_hook(client, helper, url)

    assert response.status_code == 400
    assert words in response.json()["detail"]
    assert not Webhook.objects.exists()


def test_only_members_see_add_or_remove_a_groups_webhooks(client, ward, helper, outsider):
    hook_id = add_hook(client, helper, "https://bridge.example.org/mutua").json()["id"]

    assert add_hook(client, outsider, "https://evil.example.org/").status_code == 403
    listed = client.get("/api/v1/webhooks?group=hackney-central", headers=auth(outsider))
    removed = client.delete(f"/api/v1/webhooks/{hook_id}", headers=auth(outsider))
    assert listed.status_code == removed.status_code == 403
    assert client.get(f"/api/v1/webhooks/{hook_id}/deliveries").status_code == 401

    assert client.delete(f"/api/v1/webhooks/{hook_id}", headers=auth(helper)).status_code == 204
    assert not Webhook.objects.exists()


def test_a_group_has_at_most_ten_webhooks(client, ward, helper):
    for n in range(10):
        assert add_hook(client, helper, f"https://bridge.example.org/{n}").status_code == 201

    response = add_hook(client, helper, "https://bridge.example.org/11")

    assert response.status_code == 400 and "at most 10" in response.json()["detail"]


def test_ask_events_are_posted_signed_and_verify_with_the_documented_example(
    client, ward, helper, receiver, docs_verify, django_capture_on_commit_callbacks
):
    created = add_hook(client, helper, receiver.url).json()
    secret = created["secret"]
    ask_body = {
        "what": "Prescription pick-up",
        "category": "prescriptions",
        "place": {"lat": HACKNEY[0], "lon": HACKNEY[1]},
        "contact": {"name": "Ada", "phone": PHONE, "address": "12 Example Road"},
        "consent": True,
    }

    with django_capture_on_commit_callbacks(execute=True):
        ask_id = client.post(
            "/api/v1/asks", json.dumps(ask_body), content_type="application/json"
        ).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/api/v1/asks/{ask_id}/claim", headers=auth(helper))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/api/v1/asks/{ask_id}/done", headers=auth(helper))

    assert [b["event"] for b in receiver.bodies()] == ["ask.created", "ask.claimed", "ask.done"]
    assert [b["ask"]["status"] for b in receiver.bodies()] == ["open", "claimed", "done"]
    for headers, body in receiver.received:
        assert docs_verify(secret, headers, body)
        StandardWebhook(secret).verify(body, headers)
        assert headers["webhook-id"] == json.loads(body)["id"]
        # The deprecated headers of the first release, for one more release.
        assert headers["X-Mutua-Delivery"] == headers["webhook-id"]
        assert headers["X-Mutua-Timestamp"] == headers["webhook-timestamp"]
        # Only what the public board shows: never the phone, address or exact place.
        assert PHONE.encode() not in body and b"Example Road" not in body
        assert str(HACKNEY[0]).encode() not in body

    headers, body = receiver.received[0]
    assert not docs_verify(signing.new_secret(), headers, body)
    assert not docs_verify(secret, headers, body.replace(b"open", b"done"))
    replayed = {**headers, "webhook-timestamp": str(int(time.time()) - 3600)}
    assert not docs_verify(secret, replayed, body)
    with pytest.raises(WebhookVerificationError):
        StandardWebhook(signing.new_secret()).verify(body, headers)

    deliveries = client.get(
        f"/api/v1/webhooks/{created['id']}/deliveries", headers=auth(helper)
    ).json()["items"]
    assert [d["status"] for d in deliveries] == ["delivered"] * 3


def test_a_webhook_hears_only_the_events_it_chose_and_those_of_groups_inside_it(
    client, receiver, django_capture_on_commit_callbacks
):
    network = make_group(name="London", slug="london", kind="network", radius_km=20)
    ward = make_group(name="Hackney Central", slug="hackney-central", parent=network)
    helper = trusted(network, UserFactory.create())
    body = {"group": "london", "url": receiver.url, "events": ["ask.done"]}
    client.post(
        "/api/v1/webhooks", json.dumps(body), content_type="application/json", headers=auth(helper)
    )

    with django_capture_on_commit_callbacks(execute=True):
        ask = make_ask()
    assert ask.group == ward
    assert receiver.received == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/api/v1/asks/{ask.pk}/claim", headers=auth(helper))
        client.post(f"/api/v1/asks/{ask.pk}/done", headers=auth(helper))

    assert [(b["event"], b["group"], b["ask"]["group"]) for b in receiver.bodies()] == [
        ("ask.done", "london", "hackney-central")
    ]


def test_nothing_is_sent_for_a_change_that_was_rolled_back(
    ward, helper, receiver, django_capture_on_commit_callbacks
):
    Webhook.objects.create(group=ward, url=receiver.url, secret=SECRET, events=["ask.created"])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                make_ask()
                raise RuntimeError("the request failed after the ask was saved")
        except RuntimeError:
            pass

    assert callbacks == [] and receiver.received == []
    assert not Ask.objects.exists() and not WebhookDelivery.objects.exists()


@pytest.fixture
def queued_tasks(settings: Any) -> Any:
    """A task queue that keeps tasks until the test runs them, as a worker would."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return deliver_webhook.get_backend().results


def run_next(queue: list[Any]) -> Any:
    result = queue.pop(0)
    return result.task.run_after, result.task.call(*result.args, **result.kwargs)


def test_failed_deliveries_are_retried_later_with_the_same_id_and_body_then_stop(
    ward, helper, receiver, queued_tasks, django_capture_on_commit_callbacks
):
    hook = Webhook.objects.create(
        group=ward, url=receiver.url, secret=SECRET, events=["ask.created"]
    )
    receiver.answers = [500, 503]
    with django_capture_on_commit_callbacks(execute=True):
        make_ask()
    assert receiver.received == [] and len(queued_tasks) == 1

    started = timezone.now()
    assert run_next(queued_tasks) == (None, "pending")
    first_retry_at, status = run_next(queued_tasks)
    assert status == "pending"
    second_retry_at, status = run_next(queued_tasks)
    assert status == "delivered" and queued_tasks == []

    # Backoff: about one minute after the first failure, five after the second, each
    # with up to a fifth of jitter.
    assert timedelta(seconds=47) < first_retry_at - started < timedelta(seconds=80)
    assert timedelta(seconds=239) < second_retry_at - started < timedelta(seconds=370)
    ids = {headers["X-Mutua-Delivery"] for headers, _body in receiver.received}
    bodies = {body for _headers, body in receiver.received}
    assert len(receiver.received) == 3 and len(ids) == 1 and len(bodies) == 1
    delivery = WebhookDelivery.objects.get(webhook=hook)
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 3

    # The same task run again (a duplicate in the queue, a worker restarted) sends nothing.
    assert deliver_webhook.call(delivery.pk) == "delivered"
    assert len(receiver.received) == 3


def test_a_receiver_that_says_gone_stops_the_webhook_and_the_group_is_told(
    ward, receiver, queued_tasks, django_capture_on_commit_callbacks
):
    hook = Webhook.objects.create(
        group=ward, url=receiver.url, secret=SECRET, events=["ask.created"]
    )
    receiver.answers = [410]
    with django_capture_on_commit_callbacks(execute=True):
        make_ask()

    assert run_next(queued_tasks) == (None, "failed")
    assert queued_tasks == [] and len(receiver.received) == 1
    hook.refresh_from_db()
    assert hook.disabled_at is not None
    stopped = LogEntry.objects.get(group=ward, kind=LogKind.WEBHOOK_DISABLED)
    assert "127.0.0.1" in stopped.sentence() and "410" in stopped.sentence()
    # Nothing more is queued for it.
    with django_capture_on_commit_callbacks(execute=True):
        make_ask()
    assert queued_tasks == [] and WebhookDelivery.objects.filter(webhook=hook).count() == 1


def test_delivery_is_retried_for_more_than_three_days_then_given_up(
    ward, receiver, queued_tasks, django_capture_on_commit_callbacks
):
    Webhook.objects.create(group=ward, url=receiver.url, secret=SECRET, events=["ask.created"])
    receiver.answers = [500] * 20
    with django_capture_on_commit_callbacks(execute=True):
        make_ask()
    waited = timedelta(0)
    statuses = []
    for _ in range(services.MAX_ATTEMPTS):
        statuses.append(run_next(queued_tasks)[1])
        delivery = WebhookDelivery.objects.get()
        if delivery.next_attempt_at is not None:
            assert delivery.last_attempt_at is not None
            waited += delivery.next_attempt_at - delivery.last_attempt_at

    assert statuses == ["pending"] * (services.MAX_ATTEMPTS - 1) + ["failed"]
    assert queued_tasks == [] and len(receiver.received) == services.MAX_ATTEMPTS
    assert waited > timedelta(days=3)
    # Even if every wait were shrunk by the whole jitter.
    assert sum(services.RETRY_DELAYS) * (1 - services.JITTER) > 3 * 24 * 3600


def test_retry_delays_are_jittered_within_a_fifth():
    delays = {services.retry_delay(4).total_seconds() for _ in range(50)}

    assert len(delays) > 1
    assert all(7200 * 0.8 <= d <= 7200 * 1.2 for d in delays)


def test_announcing_the_same_event_twice_delivers_once(
    ward, receiver, django_capture_on_commit_callbacks
):
    from mutua.aid.events import AskChange, ask_changed

    Webhook.objects.create(group=ward, url=receiver.url, secret=SECRET, events=["ask.created"])
    with django_capture_on_commit_callbacks(execute=True):
        ask = make_ask()
    event = ask.events.get()

    ask_changed.call(AskChange(event_id=event.pk, kind=event.kind, ask_id=ask.pk))

    assert len(receiver.received) == 1 and WebhookDelivery.objects.count() == 1


def test_a_delivery_to_a_private_address_is_not_sent_when_not_allowed(
    ward, receiver, settings, django_capture_on_commit_callbacks
):
    # Registered while allowed (or straight in the database), then the server forbids it:
    # the check before each attempt still holds.
    hook = Webhook.objects.create(
        group=ward, url=receiver.url, secret=SECRET, events=["ask.created"]
    )
    settings.MUTUA_OUTBOUND_ALLOW_PRIVATE = False

    with django_capture_on_commit_callbacks(execute=True):
        make_ask()

    delivery = WebhookDelivery.objects.get(webhook=hook)
    assert receiver.received == []
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert "127.0.0.1 is a loopback address" in delivery.last_error


def test_a_rotated_secret_signs_beside_the_old_one_for_a_day(
    client, ward, helper, receiver, docs_verify, django_capture_on_commit_callbacks
):
    created = add_hook(client, helper, receiver.url).json()
    old = created["secret"]

    rotated = client.post(
        f"/api/v1/webhooks/{created['id']}/rotate-secret", headers=auth(helper)
    ).json()
    with django_capture_on_commit_callbacks(execute=True):
        make_ask()
    Webhook.objects.filter(pk=created["id"]).update(
        previous_secret_until=timezone.now() - timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        make_ask()

    new = rotated["secret"]
    assert new != old and new.startswith("whsec_")
    (during, during_body), (after, after_body) = receiver.received
    assert len(during["webhook-signature"].split()) == 2
    assert docs_verify(old, during, during_body) and docs_verify(new, during, during_body)
    StandardWebhook(old).verify(during_body, during)
    StandardWebhook(new).verify(during_body, during)
    assert len(after["webhook-signature"].split()) == 1
    assert docs_verify(new, after, after_body) and not docs_verify(old, after, after_body)


def test_only_members_rotate_a_secret(client, ward, helper, outsider):
    hook_id = add_hook(client, helper, "https://bridge.example.org/mutua").json()["id"]

    refused = client.post(f"/api/v1/webhooks/{hook_id}/rotate-secret", headers=auth(outsider))

    assert refused.status_code == 403
    assert Webhook.objects.get().previous_secret == ""


def test_adding_and_removing_a_webhook_is_in_the_groups_history(client, ward, helper):
    hook_id = add_hook(client, helper, "https://bridge.example.org/mutua?token=abc").json()["id"]
    client.delete(f"/api/v1/webhooks/{hook_id}", headers=auth(helper))

    entries = LogEntry.objects.filter(group=ward).order_by("pk")
    kinds = [e.kind for e in entries]
    assert kinds[-2:] == [LogKind.WEBHOOK_ADDED, LogKind.WEBHOOK_REMOVED]
    added = entries.get(kind=LogKind.WEBHOOK_ADDED).sentence()
    assert helper.display_name in added and "bridge.example.org" in added
    # The host only: a path or query may hold the receiver's own token.
    assert "abc" not in added
    client.force_login(helper)
    history = client.get(f"/groups/{ward.slug}/history/").content.decode()
    assert "bridge.example.org" in history


def test_a_webhook_of_the_first_release_still_verifies_the_deprecated_header():
    old_hex = "9c1e5d0b7f2a4e3c8d6b1a0f9e8d7c6b" * 2
    body = b'{"id":"x"}'

    migrated = signing.from_legacy(old_hex)
    header = signing.signature(secret=migrated, timestamp=1700000000, body=body)

    expected = hmac.new(old_hex.encode(), b"1700000000." + body, hashlib.sha256).hexdigest()
    assert header == "sha256=" + expected


def test_a_name_that_resolves_to_a_private_address_at_delivery_is_not_posted(
    ward, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.MUTUA_OUTBOUND_ALLOW_PRIVATE = False
    hook = Webhook.objects.create(
        group=ward, url="https://bridge.example.org/in", secret=SECRET, events=["ask.created"]
    )
    # DNS rebinding: the name now answers with the metadata address.
    monkeypatch.setitem(OFFLINE_DNS, "bridge.example.org", "169.254.169.254")

    with django_capture_on_commit_callbacks(execute=True):
        make_ask()

    delivery = WebhookDelivery.objects.get(webhook=hook)
    assert delivery.status == DeliveryStatus.PENDING
    assert "169.254.169.254 is a link-local address" in delivery.last_error
