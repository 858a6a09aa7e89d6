"""The whole API fuzzed against its own OpenAPI document with schemathesis.

Every operation gets generated requests, valid and invalid, first with a write token
(so the routes behind authentication are reached, not only refused) and then anonymous,
sent in-process to the WSGI application. No answer may be a 5xx, and every answer must
match the document: a documented status, JSON, and a body of the documented shape.

The run is bounded in time: each operation's share of TIME_BUDGET_SECONDS, after at
least one request, ends its generation, so a slow machine sends fewer requests instead
of running for ever; each operation must still have been reached with the token.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from ninja import Schema
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mutua.aid.services import claim_ask, create_offer
from mutua.core.tests.factories import UserFactory, make_ask
from mutua.exchange.services import register_webhook
from mutua.groups import services as group_services
from mutua.people.models import TokenScope
from mutua.people.services import issue_token
from mutua.wsgi import application

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_RUN = 25
# The whole fuzz run's wall time, shared evenly between operations, modes and callers.
TIME_BUDGET_SECONDS = 240.0
# Ask for answers uncompressed: the in-process client hands the checks the raw bytes.
PLAIN = {"Accept-Encoding": "identity"}
# Operations that change who the fuzzer is come last, so the rest run with a live token
# and a membership.
LAST = ("/api/v1/groups/{slug}/leave", "/api/v1/me/tokens/{token_id}/revoke")


@pytest.fixture
def in_process_requests() -> Iterator[None]:
    # The WSGI handler closes "old" database connections around each request, which
    # would close the test's own transaction; Django's test client disconnects it too.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(ward: Any, helper: Any, asker: Any, settings: Any) -> dict[str, str]:
    """Real rows for the generated ids and slugs to hit: asks in every state, offers,
    a webhook, several tokens. Returns the fuzzing member's token."""
    settings.MUTUA_API_RATE_LIMIT = 0
    for _ in range(3):
        issue_token(user=asker)
    token = issue_token(user=helper, name="fuzz", scope=TokenScope.WRITE)
    other = UserFactory.create(email="neighbour@example.org")
    group_services.join_group(group=ward, user=other)
    make_ask(asker=asker)
    make_ask(category="pets", urgency=3)
    claimed = make_ask(what="Taken already")
    claim_ask(ask=claimed, helper=helper)
    create_offer(member=helper, kind="time", category="groceries", what="Saturdays", group=ward)
    create_offer(member=other, kind="thing", category="childcare", what="A spare cot")
    register_webhook(
        group=ward, by=helper, url="https://hooks.example.org/mutua", events=["ask.done"]
    )
    return {**PLAIN, "Authorization": f"Bearer {token}"}


def _operations() -> list[Any]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    return sorted(
        operations, key=lambda op: (op.path in LAST, LAST.index(op.path) if op.path in LAST else 0)
    )


class _OutOfTime(Exception):
    """This operation's share of the time budget is spent."""


@dataclass
class _Tally:
    sent: Counter[str] = field(default_factory=Counter)
    # Per operation, the statuses answered to requests made with the token.
    with_token: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    failures: list[str] = field(default_factory=list)


def _fuzz(
    operation: Any, mode: GenerationMode, headers: dict[str, str], tally: _Tally, seconds: float
) -> None:
    stop_at = time.monotonic() + seconds
    authenticated = "Authorization" in headers

    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(
        max_examples=EXAMPLES_PER_RUN,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        if tally.sent[f"{operation.label} {mode.value} {authenticated}"] and (
            time.monotonic() > stop_at
        ):
            raise _OutOfTime
        tally.sent[f"{operation.label} {mode.value} {authenticated}"] += 1
        try:
            response = case.call(headers=headers)
            if authenticated:
                tally.with_token[operation.label][response.status_code] += 1
            case.validate_response(response, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as exc:
            who = "token" if authenticated else "anonymous"
            tally.failures.append(f"{operation.label} ({mode.value}, {who}): {exc}")

    try:
        run()
    except _OutOfTime:
        pass
    except Unsatisfiable:
        # An operation with no input at all (GET /me) has nothing to make invalid.
        assert mode is GenerationMode.NEGATIVE, operation.label


def test_every_operation_answers_as_documented_to_generated_requests(
    in_process_requests: None, seeded: dict[str, str]
) -> None:
    tally = _Tally()
    operations = _operations()
    runs = [(headers, mode) for headers in (seeded, PLAIN) for mode in GenerationMode]
    share = TIME_BUDGET_SECONDS / (len(operations) * len(runs))
    started = time.monotonic()

    # With the token first, every operation, then anonymous: the routes that change who
    # the fuzzer is (LAST) end the token's turn.
    for headers, mode in runs:
        for operation in operations:
            _fuzz(operation, mode, headers, tally, share)

    seconds = time.monotonic() - started
    total = sum(tally.sent.values())
    print(f"schemathesis: {total} requests to {len(operations)} operations in {seconds:.1f} s")
    assert not tally.failures, "\n\n".join(tally.failures[:5])
    # The token got past authentication on every operation: a route that only ever
    # answered 401 was not tested behind its door.
    locked_out = [
        label
        for label in (op.label for op in operations)
        if not any(code != 401 for code in tally.with_token[label])
    ]
    assert locked_out == []


def _component(doc: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
    ref: str = content["application/json"]["schema"]["$ref"]
    component: dict[str, Any] = doc["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return component


def test_every_route_is_documented_with_words_errors_and_examples(client):
    doc = client.get("/api/v1/openapi.json").json()
    undocumented = []

    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            if not (operation.get("summary") and operation.get("description")):
                undocumented.append(f"{where}: no summary or description")
            responses = operation["responses"]
            if "422" not in responses or not any(
                c.startswith("4") and c != "422" for c in responses
            ):
                undocumented.append(f"{where}: errors not listed")
            bodies = [
                r["content"]
                for code, r in responses.items()
                if code.startswith("2") and "content" in r
            ]
            if "requestBody" in operation:
                bodies.append(operation["requestBody"]["content"])
            for content in bodies:
                if not _component(doc, content).get("examples"):
                    undocumented.append(f"{where}: no example")

    assert undocumented == []
    assert doc["components"]["securitySchemes"]["BearerAuth"]["scheme"] == "bearer"


def _schema_classes(base: type) -> Iterator[type]:
    for sub in base.__subclasses__():
        yield sub
        yield from _schema_classes(sub)


def test_no_two_schemas_share_a_name_in_the_document(client):
    # The document keys every schema by its class name alone: a second class of the same
    # name silently replaces the first, and routes answering with one are documented
    # with the other's fields.
    names = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    modules: defaultdict[str, set[str]] = defaultdict(set)
    for cls in _schema_classes(Schema):
        if cls.__module__.startswith("mutua.") and cls.__name__ in names:
            modules[cls.__name__].add(cls.__module__)

    assert {name: sorted(where) for name, where in modules.items() if len(where) > 1} == {}


def test_an_asks_hand_on_options_answer_as_documented(client, ward, helper):
    ask = make_ask()
    auth = {"Authorization": f"Bearer {issue_token(user=helper)}"}
    doc = client.get("/api/v1/openapi.json").json()
    operation = doc["paths"]["/api/v1/asks/{ask_id}/hand-on"]["get"]
    schema = _component(doc, operation["responses"]["200"]["content"])

    for headers in ({}, auth):
        answer = client.get(f"/api/v1/asks/{ask.pk}/hand-on", headers=headers)
        assert answer.status_code == 200
        assert set(schema["required"]) <= set(answer.json()) <= set(schema["properties"])
