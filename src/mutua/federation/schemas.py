"""Shapes of federation's API input and output (no rules here)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from ninja import Schema


class LinkOut(Schema):
    id: int
    name: str
    url: str
    key_id: str
    state: str
    ours: str
    theirs: str
    group: str | None
    pinned_at: datetime


class LinkList(Schema):
    items: list[LinkOut]


class HandOnIn(Schema):
    ask: int
    link: int


class HandOnOut(Schema):
    crossing: UUID
    ask: int | None
    link: int
    direction: str
    outcome: str
    created_at: datetime
    updated_at: datetime


class InboxOut(Schema):
    detail: str


class DocumentOut(Schema):
    software: str
    name: str
    url: str
    protocol: str
    protocol_version: int
    public_key: str
    key_id: str
    signature_algorithm: str
    encryption_key: str
    encryption_algorithm: str
    inbox: str
