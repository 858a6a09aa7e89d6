"""Writing the open ledger: money in and out, reversals, receipts.

Every write locks the group's Ledger row first, so writes to one group's money queue
one behind another (on SQLite the whole database is one writer anyway): a balance is
checked and changed in the same transaction, and two payments at once never overspend.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.core.errors import Conflict, InvalidInput, NotAllowed
from mutua.core.text import clean_text
from mutua.governance.models import Proposal
from mutua.groups.models import Group
from mutua.people.models import User
from mutua.resources import money, policy
from mutua.resources.models import Account, Entry, Ledger, Transfer, TransferKind
from mutua.resources.models.ledger import MONEY_IN

MAX_RECEIPT_BYTES = 5 * 1024 * 1024
# What a receipt may be, by the bytes it starts with: the name and the browser's word
# for its type are the uploader's to choose.
_RECEIPT_MAGIC = {
    b"%PDF-": ".pdf",
    b"\x89PNG\r\n\x1a\n": ".png",
    b"\xff\xd8\xff": ".jpg",
    b"RIFF": ".webp",
}
RECORDABLE = (
    TransferKind.DONATION,
    TransferKind.DUES,
    TransferKind.OTHER_IN,
    TransferKind.PURCHASE,
    TransferKind.OTHER_OUT,
)


def lock_ledger(group: Group) -> Ledger:
    """The group's ledger row, made if it is the first transfer, locked until commit."""
    Ledger.objects.bulk_create(
        [Ledger(group=group, currency=settings.MUTUA_CURRENCY)], ignore_conflicts=True
    )
    return Ledger.objects.select_for_update().get(group=group)


def write_transfer(
    ledger: Ledger,
    *,
    kind: TransferKind,
    amount: int,
    memo: str,
    by: User | None,
    at: datetime,
    category: str = "",
    receipt: UploadedFile | None = None,
    reverses: Transfer | None = None,
    proposal: Proposal | None = None,
) -> Transfer:
    """Write one transfer and its two entries and move the balance, on a locked ledger.
    The caller has checked who may and whether the funds allow it."""
    transfer = Transfer(
        group_id=ledger.group_id,
        kind=kind,
        amount=amount,
        memo=memo,
        category=category,
        recorded_by=by,
        recorded_at=at,
        reverses=reverses,
        proposal=proposal,
    )
    if receipt is not None:
        transfer.receipt.save(_receipt_name(receipt), receipt, save=False)
    transfer.save()
    if reverses is not None:
        sides = [(e.account, -e.amount) for e in reverses.entries.all()]
    elif kind in MONEY_IN:
        sides = [(Account.FUNDS, amount), (Account.INCOME, -amount)]
    else:
        sides = [(Account.FUNDS, -amount), (Account.SPENDING, amount)]
    assert sum(value for _account, value in sides) == 0, "a transfer's entries sum to zero"
    Entry.objects.bulk_create(
        Entry(group_id=ledger.group_id, transfer=transfer, account=account, amount=value)
        for account, value in sides
    )
    ledger.balance += sum(value for account, value in sides if account == Account.FUNDS)
    ledger.save(update_fields=["balance"])
    return transfer


def require_funds(ledger: Ledger, amount: int) -> None:
    if amount > ledger.balance:
        raise Conflict(
            _("The group's funds hold %(balance)s, less than %(amount)s.")
            % {
                "balance": money.format_amount(ledger.balance, ledger.currency),
                "amount": money.format_amount(amount, ledger.currency),
            },
            field="amount",
        )


def _receipt_name(receipt: UploadedFile) -> str:
    """A checked receipt's stored name: its type's extension, never the uploader's name."""
    if receipt.size is None or receipt.size > MAX_RECEIPT_BYTES:
        raise InvalidInput(_("A receipt may be at most 5 MB."), field="receipt")
    receipt.seek(0)
    head = receipt.read(16)
    receipt.seek(0)
    for magic, extension in _RECEIPT_MAGIC.items():
        if head.startswith(magic) and (extension != ".webp" or head[8:12] == b"WEBP"):
            return f"receipt{extension}"
    raise InvalidInput(
        _("A receipt must be a PDF or a photo (JPEG, PNG or WebP)."), field="receipt"
    )


@transaction.atomic
def record_transfer(
    *,
    group: Group,
    by: User,
    kind: str,
    amount: int,
    memo: str,
    category: str = "",
    receipt: UploadedFile | None = None,
    now: datetime | None = None,
) -> Transfer:
    """Record money coming in (donation, dues, other) or going out (purchase, other) with
    what it was for and, if there is one, the receipt. Money out never takes the funds
    below zero. Payments to members who asked go through their money ask instead."""
    if not policy.may_record_money(by, group):
        raise NotAllowed(_("Only the group's treasurer records money, during their term."))
    if kind not in RECORDABLE:
        raise InvalidInput(
            _("Choose what kind of money this is: %(kinds)s.")
            % {"kinds": ", ".join(str(k) for k in RECORDABLE)},
            field="kind",
        )
    amount = money.check_amount(amount)
    memo = clean_text(memo, field="memo", label=_("what it was for"), limit=200, required=True)
    category = clean_text(category, field="category", label=_("the category"), limit=60)
    ledger = lock_ledger(group)
    if kind not in MONEY_IN:
        require_funds(ledger, amount)
    return write_transfer(
        ledger,
        kind=TransferKind(kind),
        amount=amount,
        memo=memo,
        category=category,
        receipt=receipt,
        by=by,
        at=now or timezone.now(),
    )


@transaction.atomic
def reverse_transfer(
    *, group: Group, transfer_id: int, by: User, now: datetime | None = None
) -> Transfer:
    """Undo a transfer by recording its opposite; the original stays, marked reversed.
    A transfer is reversed at most once, and a reversal is not reversed: record the
    transfer again instead."""
    if not policy.may_record_money(by, group):
        raise NotAllowed(_("Only the group's treasurer reverses entries, during their term."))
    ledger = lock_ledger(group)
    original = Transfer.objects.filter(group=group, pk=transfer_id).first()
    if original is None:
        raise InvalidInput(_("There is no such entry in this ledger."), field="transfer")
    if original.kind == TransferKind.REVERSAL:
        raise Conflict(_("A reversal cannot be reversed; record the transfer again instead."))
    if Transfer.objects.filter(reverses=original).exists():
        raise Conflict(_("This entry has already been reversed."))
    if original.kind in MONEY_IN:
        require_funds(ledger, original.amount)
    return write_transfer(
        ledger,
        kind=TransferKind.REVERSAL,
        amount=original.amount,
        memo=original.memo,
        category=original.category,
        by=by,
        at=now or timezone.now(),
        reverses=original,
    )
