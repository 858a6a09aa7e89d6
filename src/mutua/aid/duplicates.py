"""The same ask twice: the same contact with a similar text within a day (issue 21).

A person whose page did not seem to answer, or who asks again from another phone's
browser, should not put two asks on the board for one need. Contacts are stored
encrypted, so they are compared through keyed hashes kept beside them (`Ask.phone_lookup`,
`Ask.email_lookup`, made with MUTUA_LOOKUP_KEY): nothing is decrypted to compare.

"Similar" is `difflib.SequenceMatcher.ratio()` of the two texts once normalised (lower
case, accents and punctuation dropped, spaces collapsed) at SIMILARITY or above: "Bread
and milk please" and "bread & milk, please!" are one ask; "Bread and milk" and "A lift to
the clinic" are two. The README ("The same ask twice") says the same for people.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from datetime import datetime, timedelta

from mutua.aid.models import Ask, AskStatus
from mutua.core.hashing import keyed_hash
from mutua.core.phones import lookup_hash
from mutua.people.models import User

WINDOW = timedelta(hours=24)
SIMILARITY = 0.8
# An ask still being dealt with; a done, cancelled or expired one may be asked again.
_LIVE = (AskStatus.OPEN, AskStatus.CLAIMED)
_NOT_WORD = re.compile(r"[\W_]+")


def normalised(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", bare).strip()


def similar(first: str, second: str) -> bool:
    a, b = normalised(first), normalised(second)
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= SIMILARITY


def phone_lookup(phone: str) -> str:
    """The keyed hash the ask keeps of its phone ("" for none); the same as notify's."""
    return lookup_hash(phone) if phone.strip() else ""


def email_lookup(email: str) -> str:
    return keyed_hash(email.strip().lower(), purpose="email") if email.strip() else ""


def find_duplicate(
    *, what: str, phone: str, email: str, asker: User | None, now: datetime
) -> Ask | None:
    """The newest live ask of the last WINDOW with the same phone, e-mail or account and a
    similar text, or None. `phone` and `email` as the ask would store them (cleaned)."""
    same_contact = [
        ("phone_lookup", phone_lookup(phone)),
        ("email_lookup", email_lookup(email)),
        ("asker", asker.pk if asker is not None else None),
    ]
    recent = Ask.objects.filter(created_at__gte=now - WINDOW, status__in=_LIVE)
    found: dict[int, Ask] = {}
    for column, value in same_contact:
        if value:
            for ask in recent.filter(**{column: value}).only("pk", "what", "created_at")[:20]:
                found[ask.pk] = ask
    for ask in sorted(found.values(), key=lambda a: a.created_at, reverse=True):
        if similar(ask.what, what):
            return ask
    return None
