"""/metrics as Prometheus scrapes it, and who may scrape it."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from mutua.aid import services as aid_services
from mutua.core.tests.factories import make_ask
from mutua.notify.models import Message, MessageStatus
from mutua.notify.services import queue_message


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus' text format."""
    wanted = ",".join(f'{key}="{value}"' for key, value in labels.items())
    pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "")
    found = re.search(rf"^{pattern} (\S+)$", text, re.MULTILINE)
    assert found, f"no {name}{labels} in the metrics"
    return float(found.group(1))


@pytest.mark.django_db
def test_metrics_count_asks_by_state_and_failed_notifications(client, ward, helper):
    claimed = make_ask()
    aid_services.claim_ask(ask=claimed, helper=helper)
    make_ask()
    make_ask()
    queue_message(key="test:failed", channel="email", to="x@example.org", body="b")
    Message.objects.filter(key="test:failed").update(status=MessageStatus.FAILED)

    response = client.get("/metrics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert sample(text, "mutua_asks", state="open") == 2
    assert sample(text, "mutua_asks", state="claimed") == 1
    assert sample(text, "mutua_notifications", state="failed") == 1
    assert sample(text, "mutua_disk_free_bytes") > 0


@pytest.mark.django_db
def test_metrics_time_requests_by_route_never_by_path(client, ward):
    ask = make_ask()
    client.get(f"/asks/{ask.pk}/")

    text = client.get("/metrics").content.decode()

    assert 'route="asks/<int:ask_id>/"' in text
    assert f"/asks/{ask.pk}/" not in text
    assert "mutua_http_request_duration_seconds_bucket" in text


@pytest.mark.django_db
def test_metrics_give_dispatch_round_times(client, ward, helper, dispatcher):
    make_ask()
    call_command("match", "--group", ward.slug, verbosity=0)

    text = client.get("/metrics").content.decode()

    assert sample(text, "mutua_dispatch_round_seconds_count") == 1
    assert sample(text, "mutua_dispatch_round_seconds_bucket", le="+Inf") == 1


@pytest.mark.django_db
def test_metrics_are_refused_through_a_proxy_or_from_elsewhere(client):
    proxied = client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert proxied.status_code == 403 and "detail" in proxied.json()
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403


@pytest.mark.django_db
def test_a_token_holder_may_scrape_from_anywhere(client, settings):
    settings.MUTUA_METRICS_TOKEN = "s3cret-scrape-token"
    far = {"REMOTE_ADDR": "203.0.113.9"}

    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong", **far).status_code == 403
    allowed = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token", **far)
    assert allowed.status_code == 200
