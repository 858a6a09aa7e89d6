"""Outgoing webhooks: registered through the API, posted signed to a real local receiver,
checked with the example in docs/WEBHOOKS.md, retried with backoff, never duplicated."""

from __future__ import annotations

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

from mutua.aid.models import Ask
from mutua.core.tests.factories import HACKNEY, UserFactory, make_ask, make_group
from mutua.exchange.models import DeliveryStatus, Webhook, WebhookDelivery
from mutua.exchange.tasks import deliver_webhook
from mutua.groups import services as group_services
from mutua.people.services import issue_token

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[4] / "docs" / "WEBHOOKS.md"
PHONE = "+44 20 7946 0000"


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
    settings.MUTUA_WEBHOOK_ALLOW_PRIVATE = True
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
    assert len(created["secret"]) == 64
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
        assert docs_verify(secret, body, headers["X-Mutua-Timestamp"], headers["X-Mutua-Signature"])
        assert headers["X-Mutua-Delivery"] == json.loads(body)["id"]
        # Only what the public board shows: never the phone, address or exact place.
        assert PHONE.encode() not in body and b"Example Road" not in body
        assert str(HACKNEY[0]).encode() not in body

    headers, body = receiver.received[0]
    stamp, signature = headers["X-Mutua-Timestamp"], headers["X-Mutua-Signature"]
    assert not docs_verify("wrong secret", body, stamp, signature)
    assert not docs_verify(secret, body.replace(b"open", b"done"), stamp, signature)
    assert not docs_verify(secret, body, str(int(time.time()) - 3600), signature)

    deliveries = client.get(
        f"/api/v1/webhooks/{created['id']}/deliveries", headers=auth(helper)
    ).json()["items"]
    assert [d["status"] for d in deliveries] == ["delivered"] * 3


def test_a_webhook_hears_only_the_events_it_chose_and_those_of_groups_inside_it(
    client, receiver, django_capture_on_commit_callbacks
):
    network = make_group(name="London", slug="london", kind="network", radius_km=20)
    ward = make_group(name="Hackney Central", slug="hackney-central", parent=network)
    helper = UserFactory.create()
    group_services.join_group(group=network, user=helper)
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
    Webhook.objects.create(group=ward, url=receiver.url, secret="s" * 64, events=["ask.created"])

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
        group=ward, url=receiver.url, secret="s" * 64, events=["ask.created"]
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

    # Backoff: one minute after the first failure, five after the second.
    assert timedelta(seconds=59) < first_retry_at - started < timedelta(seconds=70)
    assert timedelta(seconds=299) < second_retry_at - started < timedelta(seconds=310)
    ids = {headers["X-Mutua-Delivery"] for headers, _body in receiver.received}
    bodies = {body for _headers, body in receiver.received}
    assert len(receiver.received) == 3 and len(ids) == 1 and len(bodies) == 1
    delivery = WebhookDelivery.objects.get(webhook=hook)
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 3

    # The same task run again (a duplicate in the queue, a worker restarted) sends nothing.
    assert deliver_webhook.call(delivery.pk) == "delivered"
    assert len(receiver.received) == 3


def test_a_receiver_that_says_gone_is_not_retried(
    ward, receiver, queued_tasks, django_capture_on_commit_callbacks
):
    Webhook.objects.create(group=ward, url=receiver.url, secret="s" * 64, events=["ask.created"])
    receiver.answers = [410]
    with django_capture_on_commit_callbacks(execute=True):
        make_ask()

    assert run_next(queued_tasks) == (None, "failed")
    assert queued_tasks == [] and len(receiver.received) == 1


def test_delivery_gives_up_after_six_attempts(
    ward, receiver, queued_tasks, django_capture_on_commit_callbacks
):
    Webhook.objects.create(group=ward, url=receiver.url, secret="s" * 64, events=["ask.created"])
    receiver.answers = [500] * 10
    with django_capture_on_commit_callbacks(execute=True):
        make_ask()

    statuses = [run_next(queued_tasks)[1] for _ in range(6)]

    assert statuses == ["pending"] * 5 + ["failed"]
    assert queued_tasks == [] and len(receiver.received) == 6


def test_announcing_the_same_event_twice_delivers_once(
    ward, receiver, django_capture_on_commit_callbacks
):
    from mutua.aid.events import AskChange, ask_changed

    Webhook.objects.create(group=ward, url=receiver.url, secret="s" * 64, events=["ask.created"])
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
        group=ward, url=receiver.url, secret="s" * 64, events=["ask.created"]
    )
    settings.MUTUA_WEBHOOK_ALLOW_PRIVATE = False

    with django_capture_on_commit_callbacks(execute=True):
        make_ask()

    delivery = WebhookDelivery.objects.get(webhook=hook)
    assert receiver.received == []
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert "non-public address (127.0.0.1)" in delivery.last_error
