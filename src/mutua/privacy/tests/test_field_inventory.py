"""Every field of every model in mutua is classified: a contact value (encrypted at rest,
wiped by purge and erasure), other personal data, or not personal. A new field fails
this test until someone decides which it is, and says so here, so that no column of
personal data is ever added without the purge, the erasure and the encryption in mind.
"""

from __future__ import annotations

from django.apps import apps

from mutua.core.fields import EncryptedFloatField, EncryptedTextField

# A way to reach or find a person: encrypted at rest, wiped by purge and erasure.
CONTACT = "contact"
# About a person but not a way to reach them: wiped by purge or pseudonymised by erasure
# (privacy.services), or a keyed hash that finds a row only with the lookup key.
PERSONAL = "personal"
# Says nothing about any one person.
NOT_PERSONAL = "not personal"


FIELDS: dict[str, dict[str, str]] = {
    # The worker's heartbeat names a process, never a person.
    "ops.heartbeat": dict.fromkeys(["id", "name", "seen_at"], NOT_PERSONAL),
    "people.user": {
        **dict.fromkeys(["password", "last_login", "date_joined", "email"], PERSONAL),
        **dict.fromkeys(["id", "is_superuser", "is_staff", "is_active"], NOT_PERSONAL),
    },
    "people.profile": {
        **dict.fromkeys(
            [
                "user",
                "display_name",
                "languages",
                "skills",
                "travel_radius_km",
                "max_asks_at_once",
                "home_cell",
                "home_lat",
                "home_lon",
                "available_days",
                "available_from",
                "available_to",
                "paused",
                "language",
            ],
            PERSONAL,
        ),
        **dict.fromkeys(["id"], NOT_PERSONAL),
    },
    "people.apitoken": {
        **dict.fromkeys(["user", "name", "last_used_at"], PERSONAL),
        **dict.fromkeys(["id", "key_hash", "scope", "created_at", "revoked_at"], NOT_PERSONAL),
    },
    "groups.group": {
        **dict.fromkeys(
            [
                "id",
                "name",
                "slug",
                "kind",
                "parent",
                "description",
                "area_km2",
                "center_lat",
                "center_lon",
                "created_at",
            ],
            NOT_PERSONAL,
        ),
        **dict.fromkeys(["established_at"], NOT_PERSONAL),
    },
    "groups.groupcell": {
        **dict.fromkeys(["id", "group", "cell"], NOT_PERSONAL),
    },
    # Names a group uses for places in its area (estates, streets, postcode districts):
    # public places, never a person's address, and no record of who added them here
    # (the group's log says that).
    "groups.placename": dict.fromkeys(
        ["id", "group", "name", "folded", "kind", "lat", "lon", "added_at"], NOT_PERSONAL
    ),
    "groups.membership": {
        # Where a member offers to help beyond home says roughly where they go.
        **dict.fromkeys(["user", "joined_at", "second_area"], PERSONAL),
        **dict.fromkeys(["id", "group"], NOT_PERSONAL),
    },
    "aid.ask": {
        **dict.fromkeys(
            ["lat", "lon", "address", "contact_name", "contact_phone", "contact_email"], CONTACT
        ),
        **dict.fromkeys(
            [
                "what",
                "asker",
                "recorded_by",
                "consent_at",
                "consent_text",
                "consent_channel",
                "phone_lookup",
                "email_lookup",
            ],
            PERSONAL,
        ),
        **dict.fromkeys(
            [
                "id",
                "category",
                "urgency",
                "language",
                "status",
                "group",
                "cell",
                "public_lat",
                "public_lon",
                "area_name",
                "personal_data_erased_at",
                "created_at",
                "updated_at",
                "expires_at",
            ],
            NOT_PERSONAL,
        ),
        **dict.fromkeys(["approve_helper"], NOT_PERSONAL),
        # Which offer an ask answers and until when it is offered first: once the asker
        # is erased, only that someone answered the offer.
        **dict.fromkeys(["offer", "offered_until"], NOT_PERSONAL),
    },
    "aid.claim": {
        **dict.fromkeys(["helper"], PERSONAL),
        **dict.fromkeys(["id", "ask", "claimed_at", "ended_at", "outcome"], NOT_PERSONAL),
        **dict.fromkeys(["approval", "revealed_at"], NOT_PERSONAL),
    },
    "aid.claimingrestored": {
        **dict.fromkeys(["member", "by"], PERSONAL),
        **dict.fromkeys(["id", "group", "at"], NOT_PERSONAL),
    },
    "aid.askevent": {
        **dict.fromkeys(["actor"], PERSONAL),
        **dict.fromkeys(["id", "ask", "kind", "at"], NOT_PERSONAL),
        # The groups an ask passed between: group names, which anyone may see.
        **dict.fromkeys(["from_group", "to_group"], NOT_PERSONAL),
    },
    "aid.offer": {
        **dict.fromkeys(["member", "what"], PERSONAL),
        **dict.fromkeys(["id", "group", "kind", "category", "active", "created_at"], NOT_PERSONAL),
    },
    "matching.dispatchrun": {
        **dict.fromkeys(["actor"], PERSONAL),
        **dict.fromkeys(
            [
                "id",
                "group",
                "started_at",
                "seconds",
                "asks_considered",
                "helpers_considered",
                "proposed",
                "unmatched",
            ],
            NOT_PERSONAL,
        ),
    },
    "matching.suggestion": {
        **dict.fromkeys(["helper", "distance_km"], PERSONAL),
        **dict.fromkeys(
            ["id", "run", "group", "ask", "status", "created_at", "decided_at", "expires_at"],
            NOT_PERSONAL,
        ),
    },
    "matching.unmatchedask": {
        **dict.fromkeys(["id", "run", "group", "ask", "reason"], NOT_PERSONAL),
    },
    # A group's automatic rounds: what the group decided and how many each round did.
    "matching.roundschedule": dict.fromkeys(
        ["id", "group", "every_minutes", "next_at", "proposal", "changed_at"], NOT_PERSONAL
    ),
    "matching.round": dict.fromkeys(
        ["id", "group", "run", "started_at", "kept", "expired"], NOT_PERSONAL
    ),
    "privacy.accesslog": {
        **dict.fromkeys(["viewer"], PERSONAL),
        **dict.fromkeys(["id", "ask", "reason", "channel", "at"], NOT_PERSONAL),
    },
    "privacy.report": {
        **dict.fromkeys(["reporter", "member", "why"], PERSONAL),
        **dict.fromkeys(["id", "kind", "group", "ask", "offer", "created_at"], NOT_PERSONAL),
    },
    "privacy.block": {
        **dict.fromkeys(["blocker", "blocked"], PERSONAL),
        **dict.fromkeys(["id", "created_at"], NOT_PERSONAL),
    },
    # The area a change-area proposal would give its group: public, like groups.groupcell.
    "governance.areaproposal": dict.fromkeys(
        ["id", "group", "proposal", "cells", "area_km2", "applied_at"], NOT_PERSONAL
    ),
    "governance.groupsettings": {
        **dict.fromkeys(
            [
                "group",
                "decision_rule",
                "min_agrees",
                "majority_percent",
                "second_round_days",
                "role_term_days",
                "trust_dispatcher",
                "trust_hotline",
                "trust_safeguarding",
                "trust_treasurer",
                "trust_stock_keeper",
                "trust_welcomer",
                "trust_caller",
                "money_ask_limit",
                "hand_on_after_hours",
                "retention_days",
                "dispatch_radius_km",
                "sms_number",
                "language",
                "updated_at",
            ],
            NOT_PERSONAL,
        ),
        **dict.fromkeys(
            [
                "trust_helper",
                "who_may_take",
                "trusted_categories",
                "role_categories",
                "trust_to_take",
                "max_open_claims",
                "max_releases",
                "parent_dispatch",
            ],
            NOT_PERSONAL,
        ),
    },
    "governance.roleterm": {
        **dict.fromkeys(["holder", "ended_by"], PERSONAL),
        **dict.fromkeys(
            [
                "id",
                "group",
                "role",
                "source",
                "proposal",
                "starts_at",
                "ends_at",
                "status",
                "ended_at",
            ],
            NOT_PERSONAL,
        ),
    },
    "governance.trust": {
        **dict.fromkeys(["giver", "receiver"], PERSONAL),
        **dict.fromkeys(["id", "group", "role", "given_at", "spent_at", "term"], NOT_PERSONAL),
    },
    "governance.proposal": {
        **dict.fromkeys(["author", "subject"], PERSONAL),
        **dict.fromkeys(
            [
                "id",
                "group",
                "kind",
                "title",
                "text",
                "version",
                "status",
                "round",
                "deadline",
                "created_at",
                "decided_at",
                "rule",
                "min_agrees",
                "majority_percent",
                "second_round_days",
                "role",
                "term_days",
                "setting_key",
                "setting_value",
                "agreement",
                "agreement_base",
                "agreement_title",
                "agreement_text",
                "effect_problem",
                "reminded_round",
                "final_agree",
                "final_abstain",
                "final_disagree",
                "final_block",
                "final_needed",
            ],
            NOT_PERSONAL,
        ),
        **dict.fromkeys(["other_group"], NOT_PERSONAL),
    },
    "governance.proposalversion": {
        **dict.fromkeys(["editor"], PERSONAL),
        **dict.fromkeys(
            [
                "id",
                "group",
                "proposal",
                "number",
                "title",
                "text",
                "agreement_title",
                "agreement_text",
                "created_at",
            ],
            NOT_PERSONAL,
        ),
    },
    "governance.position": {
        **dict.fromkeys(["member", "reason"], PERSONAL),
        **dict.fromkeys(
            ["id", "group", "proposal", "stance", "version", "updated_at"], NOT_PERSONAL
        ),
    },
    "governance.comment": {
        **dict.fromkeys(["author", "text"], PERSONAL),
        **dict.fromkeys(["id", "group", "proposal", "created_at"], NOT_PERSONAL),
    },
    "governance.agreement": {
        **dict.fromkeys(["id", "group", "title", "current_version", "created_at"], NOT_PERSONAL),
    },
    "governance.agreementversion": {
        **dict.fromkeys(
            ["id", "group", "agreement", "number", "title", "text", "proposal", "adopted_at"],
            NOT_PERSONAL,
        ),
    },
    "governance.logentry": {
        **dict.fromkeys(["actor", "subject"], PERSONAL),
        **dict.fromkeys(
            ["id", "group", "kind", "at", "proposal", "term", "agreement_version", "detail"],
            NOT_PERSONAL,
        ),
    },
    # The leaflet's texts are the group's public words; who wrote each version is kept
    # under the pseudonym that erasure gives, like the group log's actor.
    "outreach.leafletversion": {
        **dict.fromkeys(["by"], PERSONAL),
        **dict.fromkeys(
            ["id", "group", "language", "headline", "message", "categories", "at"], NOT_PERSONAL
        ),
    },
    "exchange.webhook": {
        **dict.fromkeys(["created_by"], PERSONAL),
        **dict.fromkeys(
            [
                "id",
                "group",
                "url",
                "secret",
                "previous_secret",
                "previous_secret_until",
                "disabled_at",
                "events",
                "description",
                "created_at",
            ],
            NOT_PERSONAL,
        ),
    },
    # Place names a member uploaded for the group to decide on: public words about the
    # area, like groups.placename.
    "exchange.placenameproposal": dict.fromkeys(
        ["id", "group", "proposal", "names", "source", "added_at"], NOT_PERSONAL
    ),
    "exchange.webhookdelivery": {
        **dict.fromkeys(
            [
                "id",
                "delivery_id",
                "webhook",
                "group",
                "event",
                "source",
                "payload",
                "status",
                "attempts",
                "next_attempt_at",
                "last_attempt_at",
                "last_response_status",
                "last_error",
                "delivered_at",
                "created_at",
            ],
            NOT_PERSONAL,
        ),
    },
    # This server's own keys and its links with other servers: about servers, not people.
    "federation.serverkeys": dict.fromkeys(
        ["id", "signing_private", "signing_public", "box_private", "box_public", "created_at"],
        NOT_PERSONAL,
    ),
    "federation.link": dict.fromkeys(
        [
            "id",
            "url",
            "name",
            "key_id",
            "signing_key",
            "box_key",
            "inbox",
            "pinned_at",
            "group",
            "proposal",
            "ours",
            "theirs",
            # Aggregate counts of the other server's groups, never a person.
            "their_figures",
            "figures_at",
            "created_at",
            "updated_at",
        ],
        NOT_PERSONAL,
    ),
    "federation.outgoing": {
        # A hand-on's details sealed to the other server (this one cannot open them), and
        # the consent text: dropped once delivered, and when the ask is purged.
        **dict.fromkeys(["payload"], PERSONAL),
        **dict.fromkeys(
            [
                "id",
                "message_id",
                "link",
                "kind",
                "status",
                "attempts",
                "last_attempt_at",
                "next_attempt_at",
                "last_status",
                "last_error",
                "delivered_at",
                "created_at",
            ],
            NOT_PERSONAL,
        ),
    },
    "federation.seennonce": dict.fromkeys(["id", "nonce", "key_id", "at"], NOT_PERSONAL),
    "federation.federationevent": dict.fromkeys(
        ["id", "link", "kind", "detail", "at"], NOT_PERSONAL
    ),
    "federation.handon": dict.fromkeys(
        ["id", "link", "outgoing", "ask", "crossing_id", "outcome", "created_at", "updated_at"],
        NOT_PERSONAL,
    ),
    "notify.preference": {
        **dict.fromkeys(["phone", "apprise_url"], CONTACT),
        **dict.fromkeys(
            [
                "user",
                "phone_hash",
                "phone_linked_at",
                "link_code",
                "link_code_expires_at",
                "language",
                "quiet_from",
                "quiet_to",
            ],
            PERSONAL,
        ),
        **dict.fromkeys(
            ["id", "by_email", "by_sms", "nearby_asks", "last_digest_at", "updated_at"],
            NOT_PERSONAL,
        ),
    },
    "notify.smssender": {
        **dict.fromkeys(["phone_hash", "language", "opted_out_at"], PERSONAL),
        **dict.fromkeys(["id", "updated_at"], NOT_PERSONAL),
    },
    "notify.message": {
        **dict.fromkeys(["to", "subject", "body"], CONTACT),
        **dict.fromkeys(["user"], PERSONAL),
        **dict.fromkeys(
            [
                "id",
                "key",
                "channel",
                "status",
                "attempts",
                "next_attempt_at",
                "lease_until",
                "last_error",
                "created_at",
                "sent_at",
                # A relay conversation's signed reply address, not the person's own.
                "reply_to",
            ],
            NOT_PERSONAL,
        ),
    },
    "notify.inboundsms": {
        **dict.fromkeys(["phone", "body", "reply"], CONTACT),
        **dict.fromkeys(["phone_hash"], PERSONAL),
        **dict.fromkeys(["id", "message_sid", "command", "received_at"], NOT_PERSONAL),
    },
    "notify.intakedraft": {
        **dict.fromkeys(["phone", "text"], CONTACT),
        **dict.fromkeys(["phone_hash", "handled_by"], PERSONAL),
        **dict.fromkeys(
            ["id", "language", "status", "ask", "handled_at", "created_at"], NOT_PERSONAL
        ),
    },
    # The words of the asker and the helper: encrypted, deleted with the ask's details
    # (and a person's own with their account) through privacy.erasure.
    "relay.relaymessage": {
        **dict.fromkeys(["body"], CONTACT),
        **dict.fromkeys(["author"], PERSONAL),
        **dict.fromkeys(["id", "claim", "ask", "group", "side", "via", "created_at"], NOT_PERSONAL),
    },
    # Someone called each week: their number, name and place, erased with their account.
    "checkins.callee": {
        **dict.fromkeys(["name", "phone", "address", "lat", "lon"], CONTACT),
        **dict.fromkeys(["user", "recorded_by", "language", "consent_at"], PERSONAL),
        **dict.fromkeys(["id", "group", "consent_text", "active", "created_at"], NOT_PERSONAL),
    },
    "checkins.caller": {
        **dict.fromkeys(["member"], PERSONAL),
        **dict.fromkeys(["id", "group", "active", "joined_at"], NOT_PERSONAL),
    },
    "checkins.assignment": {
        **dict.fromkeys(["caller"], PERSONAL),
        **dict.fromkeys(
            ["id", "group", "callee", "week", "created_at", "escalated_at"], NOT_PERSONAL
        ),
    },
    "checkins.call": {
        **dict.fromkeys(["by"], PERSONAL),
        **dict.fromkeys(["id", "assignment", "outcome", "at", "ask"], NOT_PERSONAL),
    },
    # An incident is the group's public response; who opened or closed it is kept under
    # the pseudonym an erased account becomes, as on the group's log.
    "incidents.incident": {
        **dict.fromkeys(["opened_by", "closed_by"], PERSONAL),
        **dict.fromkeys(
            [
                "id",
                "group",
                "name",
                "kind",
                "status",
                "cells",
                "work_types",
                "intake_fields",
                "emergency",
                "proposal",
                "confirmed_at",
                "created_at",
                "opened_at",
                "closed_at",
                "rounds_before",
                "rounds_set_at",
                "figures",
            ],
            NOT_PERSONAL,
        ),
    },
    # The answers about a home (water depth, power) are typed values, never free text, and
    # are wiped when the ask's personal data is purged (incidents.services.cases).
    "incidents.case": {
        **dict.fromkeys(["intake"], PERSONAL),
        **dict.fromkeys(["id", "incident", "group", "ask", "needs", "created_at"], NOT_PERSONAL),
    },
    "incidents.workclaim": {
        **dict.fromkeys(["claimed_by"], PERSONAL),
        **dict.fromkeys(
            ["id", "case", "group", "work_type", "status", "created_at", "done_at"], NOT_PERSONAL
        ),
    },
    "incidents.volunteer": {
        **dict.fromkeys(["member"], PERSONAL),
        **dict.fromkeys(["id", "incident", "group", "home_group", "joined_at"], NOT_PERSONAL),
    },
    # Like privacy.accesslog: who was shown a person's number, and when.
    "checkins.numbershown": {
        **dict.fromkeys(["viewer"], PERSONAL),
        **dict.fromkeys(["id", "group", "callee", "channel", "at"], NOT_PERSONAL),
    },
    "notify.scheduledjob": {
        **dict.fromkeys(["id", "name", "next_run_at", "last_started_at"], NOT_PERSONAL),
    },
    # The open ledger: every member reads it. Who recorded a transfer is kept (under the
    # pseudonym an erased account becomes), so the books still add up.
    "resources.ledger": dict.fromkeys(["group", "currency", "balance"], NOT_PERSONAL),
    "resources.transfer": {
        **dict.fromkeys(["recorded_by"], PERSONAL),
        **dict.fromkeys(
            [
                "id",
                "group",
                "kind",
                "amount",
                "category",
                "memo",
                "recorded_at",
                "receipt",
                "reverses",
                "proposal",
            ],
            NOT_PERSONAL,
        ),
    },
    "resources.entry": dict.fromkeys(
        ["id", "group", "transfer", "account", "amount"], NOT_PERSONAL
    ),
    "resources.shift": {
        **dict.fromkeys(["created_by"], PERSONAL),
        **dict.fromkeys(
            [
                "id",
                "group",
                "title",
                "place",
                "weekdays",
                "starts",
                "ends",
                "slots",
                "skills",
                "first_day",
                "last_day",
                "created_at",
            ],
            NOT_PERSONAL,
        ),
    },
    # Members see who is down for a shift; erasure takes the person off those to come.
    "resources.shiftsignup": {
        **dict.fromkeys(["member", "signed_up_at", "dropped_at", "reminded_at"], PERSONAL),
        **dict.fromkeys(["id", "group", "shift", "day"], NOT_PERSONAL),
    },
    "resources.calendarfeed": {
        **dict.fromkeys(["member", "key_hash", "created_at", "revoked_at"], PERSONAL),
        **dict.fromkeys(["id"], NOT_PERSONAL),
    },
    # A callout's place is where members gather (read by every member it calls), like a
    # shift's; who answered is kept as counts on the page, the rows under the pseudonym an
    # erased account becomes. Why it closed early is written by its caller for the members
    # it called, like `what`.
    "resources.callout": {
        **dict.fromkeys(["sent_by", "closed_by"], PERSONAL),
        **dict.fromkeys(
            [
                "id",
                "group",
                "what",
                "place",
                "lat",
                "lon",
                "radius_km",
                "starts_at",
                "ends_at",
                "sent_at",
                "reached",
                "closed_at",
                "close_reason",
            ],
            NOT_PERSONAL,
        ),
    },
    "resources.calloutanswer": {
        **dict.fromkeys(["member", "answer", "via", "answered_at"], PERSONAL),
        **dict.fromkeys(["id", "group", "callout"], NOT_PERSONAL),
    },
    # Hubs are distribution points (a hall, a pantry), never a home; stock is nobody's.
    "resources.hub": dict.fromkeys(
        ["id", "group", "name", "address", "opening_hours", "created_at"], NOT_PERSONAL
    ),
    "resources.stockitem": dict.fromkeys(["id", "group", "name", "unit", "low_at"], NOT_PERSONAL),
    "resources.stockmovement": {
        **dict.fromkeys(["recorded_by"], PERSONAL),
        **dict.fromkeys(
            [
                "id",
                "group",
                "hub",
                "item",
                "kind",
                "change",
                "use_by",
                "reason",
                "ask",
                "recorded_at",
            ],
            NOT_PERSONAL,
        ),
    },
    # The lending library: members see who lends a thing and who has it now; erasure takes
    # a member's own things out of it, and loans stay under the pseudonym.
    "resources.thing": {
        **dict.fromkeys(["owner"], PERSONAL),
        **dict.fromkeys(
            ["id", "group", "name", "description", "hub", "added_at", "withdrawn_at"],
            NOT_PERSONAL,
        ),
    },
    "resources.loan": {
        **dict.fromkeys(["borrower", "lent_at", "due_on", "returned_at", "reminded_at"], PERSONAL),
        **dict.fromkeys(["id", "group", "thing"], NOT_PERSONAL),
    },
    # Gatherings are the group's; who answers is shown to members only where attendance
    # is not private, and erasure removes a member's answers to gatherings to come.
    "resources.gathering": {
        **dict.fromkeys(["created_by"], PERSONAL),
        **dict.fromkeys(
            [
                "id",
                "group",
                "title",
                "description",
                "place",
                "starts_at",
                "ends_at",
                "private_attendance",
                "created_at",
            ],
            NOT_PERSONAL,
        ),
    },
    "resources.rsvp": {
        **dict.fromkeys(["member", "going", "answered_at", "reminded_at"], PERSONAL),
        **dict.fromkeys(["id", "group", "gathering"], NOT_PERSONAL),
    },
    # Who asked for money is seen by the asker and the treasurer only; the reason is
    # encrypted and wiped by erasure (resources.services.money_asks.forget_person).
    "resources.moneyask": {
        **dict.fromkeys(["asker", "reason"], PERSONAL),
        **dict.fromkeys(
            [
                "id",
                "group",
                "pseudonym",
                "amount",
                "status",
                "created_at",
                "decided_at",
                "proposal",
                "transfer",
            ],
            NOT_PERSONAL,
        ),
    },
}


def _project_fields() -> dict[str, dict[str, object]]:
    return {
        model._meta.label_lower: {f.name: f for f in model._meta.concrete_fields}
        for model in apps.get_models()
        if model.__module__.startswith("mutua.")
    }


def test_every_field_of_every_model_is_classified():
    fields = _project_fields()

    unclassified = [
        f"{label}.{name}"
        for label, by_name in fields.items()
        for name in by_name
        if name not in FIELDS.get(label, {})
    ]
    gone = [
        f"{label}.{name}"
        for label, by_name in FIELDS.items()
        for name in by_name
        if name not in fields.get(label, {})
    ]
    assert unclassified == [], "classify these fields in this test"
    assert gone == [], "these fields no longer exist"


def test_every_contact_value_is_encrypted_at_rest():
    fields = _project_fields()

    clear = [
        f"{label}.{name}"
        for label, by_name in FIELDS.items()
        for name, kind in by_name.items()
        if kind == CONTACT
        and not isinstance(fields[label][name], EncryptedTextField | EncryptedFloatField)
    ]
    assert clear == []
