"""Recording asks: one from a form, the API or a text, or many at once from an import.

Nothing about need is asked; the checks only make sure someone can be reached and agreed
to their details being kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mutua.aid import duplicates, events
from mutua.aid.models import Ask, AskEvent, ConsentChannel, Urgency
from mutua.aid.routing import route
from mutua.core import geo
from mutua.core.categories import Category
from mutua.core.errors import Conflict, InvalidInput
from mutua.core.phones import NotAPhoneNumber, to_e164
from mutua.core.text import clean_email, clean_text, is_language_code
from mutua.groups.models import Group
from mutua.groups.selectors import GroupRouter
from mutua.people.models import User

# Stored in English as the record of what was agreed; shown translated on the form.
CONSENT_TEXT = gettext_noop(
    "I agree that the group may keep these details to arrange help, that only the person "
    "who comes sees my address and phone, and that they are deleted after the ask is closed."
)
_PHONE_MAX_LENGTH = 40  # the width of the contact_phone column
_BATCH_SIZE = 500  # rows per INSERT in create_asks; well under SQLite's variable limit


def _phone(value: str) -> str:
    """`value` in E.164, the one form numbers are kept in (so that two spellings of one
    number are seen as one), or InvalidInput when it cannot be a phone number."""
    try:
        if len(value) > _PHONE_MAX_LENGTH:
            raise NotAPhoneNumber(value)
        return to_e164(value)
    except NotAPhoneNumber:
        raise InvalidInput(
            _("That does not look like a phone number."), field="contact_phone"
        ) from None


@dataclass(frozen=True)
class AskDraft:
    """One ask to record with create_asks; the fields mean what create_ask's do."""

    what: str
    category: str
    lat: float
    lon: float
    consent: bool
    urgency: int = Urgency.NORMAL
    language: str = "en"
    address: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""


def _checked(draft: AskDraft, *, has_account: bool) -> AskDraft:
    """The draft cleaned, or InvalidInput naming the field. Writes nothing."""
    what = clean_text(
        draft.what, field="what", label=_("what is needed"), limit=2000, required=True
    )
    category, urgency, lat, lon = draft.category, draft.urgency, draft.lat, draft.lon
    if category not in Category.values:
        raise InvalidInput(_("Unknown kind of help: %(c)s") % {"c": category}, field="category")
    # True == 1 in Python, so a boolean would pass the membership test as "low".
    if isinstance(urgency, bool) or urgency not in Urgency.values:
        raise InvalidInput(_("Urgency must be 1, 2 or 3."), field="urgency")
    language = draft.language.strip() or "en"
    if not is_language_code(language):
        raise InvalidInput(_("Language must be a code such as en or pt-BR."), field="language")
    if not geo.valid_point(lat, lon):
        raise InvalidInput(
            _("The place must have a latitude from -90 to 90 and a longitude from -180 to 180."),
            field="place",
        )
    address = clean_text(draft.address, field="address", label=_("address"), limit=300)
    contact_name = clean_text(draft.contact_name, field="contact_name", label=_("name"), limit=120)
    contact_phone = draft.contact_phone.strip()
    if contact_phone:
        contact_phone = _phone(contact_phone)
    contact_email = draft.contact_email.strip()
    if contact_email:
        contact_email = clean_email(contact_email, field="contact_email")
    if not (contact_phone or contact_email or address or has_account):
        raise InvalidInput(
            _("Give at least one way to reach you: a phone number, an email or an address."),
            field="contact",
        )
    if draft.consent is not True:
        raise InvalidInput(
            _("We need your agreement to keep these details before we can pass them on."),
            field="consent",
        )
    return AskDraft(
        what=what,
        category=category,
        lat=lat,
        lon=lon,
        consent=True,
        urgency=urgency,
        language=language,
        address=address,
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
    )


def _unsaved_ask(
    draft: AskDraft,
    *,
    group: Group | None,
    asker: User | None,
    recorded_by: User | None,
    now: datetime,
    channel: str | None = None,
) -> Ask:
    if channel is None:
        # Someone entering the ask for another person took it over the phone.
        channel = ConsentChannel.PHONE if recorded_by is not None else ConsentChannel.WEB
    cell = geo.public_cell(draft.lat, draft.lon)
    public_lat, public_lon = geo.cell_center(cell)
    return Ask(
        what=draft.what,
        category=draft.category,
        urgency=draft.urgency,
        language=draft.language,
        group=group,
        asker=asker,
        recorded_by=recorded_by,
        lat=draft.lat,
        lon=draft.lon,
        address=draft.address,
        contact_name=draft.contact_name,
        contact_phone=draft.contact_phone,
        contact_email=draft.contact_email,
        phone_lookup=duplicates.phone_lookup(draft.contact_phone),
        email_lookup=duplicates.email_lookup(draft.contact_email),
        cell=cell,
        public_lat=public_lat,
        public_lon=public_lon,
        area_name=group.name if group else "",
        consent_at=now,
        consent_text=CONSENT_TEXT,
        consent_channel=channel,
        expires_at=now + timedelta(days=settings.MUTUA_ASK_EXPIRY_DAYS),
    )


class DuplicateAsk(Conflict):
    """The same contact made a similar ask within a day (aid.duplicates): `existing` is
    that ask. Each caller shows it in its own way, with the private link only to whoever
    can show they are its asker."""

    def __init__(self, existing: Ask) -> None:
        super().__init__(
            _(
                "This looks like ask #%(id)d, sent from the same contact in the last 24 "
                "hours: it was not sent twice."
            )
            % {"id": existing.pk}
        )
        self.existing = existing


@transaction.atomic
def create_ask(
    *,
    what: str,
    category: str,
    lat: float,
    lon: float,
    consent: bool,
    urgency: int = Urgency.NORMAL,
    language: str = "en",
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    asker: User | None = None,
    recorded_by: User | None = None,
    consent_channel: str | None = None,
    approve_helper: bool = False,
    allow_duplicate: bool = False,
) -> Ask:
    """Record an ask and route it to the most local established group covering its place
    (aid.routing: among overlapping groups of one kind, the one with the most room).

    `consent_channel` says how consent was given (ConsentChannel); by default the form,
    or the phone when a volunteer records the ask. With `approve_helper`, whoever offers
    to come waits for the asker's yes before seeing any detail.

    No account is needed and nothing about need is asked. Raises InvalidInput, naming
    the field, for anything that cannot be saved; nothing is saved in that case. Raises
    DuplicateAsk when the same contact asked for something similar within a day, unless
    `allow_duplicate` (a hotline volunteer who checked with the caller that it is new).
    """
    draft = _checked(
        AskDraft(
            what=what,
            category=category,
            lat=lat,
            lon=lon,
            consent=consent,
            urgency=urgency,
            language=language,
            address=address,
            contact_name=contact_name,
            contact_phone=contact_phone,
            contact_email=contact_email,
        ),
        has_account=asker is not None,
    )
    now = timezone.now()
    if not allow_duplicate:
        existing = duplicates.find_duplicate(
            what=draft.what,
            phone=draft.contact_phone,
            email=draft.contact_email,
            asker=asker,
            now=now,
        )
        if existing is not None:
            raise DuplicateAsk(existing)
    ask = _unsaved_ask(
        draft,
        group=route(lat, lon),
        asker=asker,
        recorded_by=recorded_by,
        now=now,
        channel=consent_channel,
    )
    ask.approve_helper = approve_helper is True
    ask.save()
    events.announce(
        AskEvent.objects.create(ask=ask, kind=AskEvent.Kind.CREATED, actor=recorded_by or asker)
    )
    return ask


class AsksRefused(InvalidInput):
    """Some drafts given to create_asks were refused; `problems` maps each one's position
    in the list to the reason. The message is the first one's."""

    def __init__(self, problems: dict[int, InvalidInput]) -> None:
        first = problems[min(problems)]
        super().__init__(first.message, field=first.field)
        self.problems = problems


@transaction.atomic
def create_asks(*, drafts: Sequence[AskDraft], recorded_by: User | None = None) -> list[Ask]:
    """Record many asks at once (an import), all or none, with create_ask's checks.

    Every draft is checked before anything is written, so AsksRefused names all the bad
    ones. Routing reads the groups' areas once instead of once per ask, and the rows go
    in as batches: ten thousand asks take seconds, not minutes.
    """
    checked: list[AskDraft] = []
    problems: dict[int, InvalidInput] = {}
    for position, draft in enumerate(drafts):
        try:
            checked.append(_checked(draft, has_account=False))
        except InvalidInput as exc:
            problems[position] = exc
    if problems:
        raise AsksRefused(problems)
    router = GroupRouter()
    now = timezone.now()
    asks = Ask.objects.bulk_create(
        [
            _unsaved_ask(
                d,
                group=router.smallest_covering(d.lat, d.lon),
                asker=None,
                recorded_by=recorded_by,
                now=now,
                channel=ConsentChannel.IMPORT,
            )
            for d in checked
        ],
        batch_size=_BATCH_SIZE,
    )
    created = AskEvent.objects.bulk_create(
        [AskEvent(ask=ask, kind=AskEvent.Kind.CREATED, actor=recorded_by) for ask in asks],
        batch_size=_BATCH_SIZE,
    )
    for event in created:
        events.announce(event)
    return asks
