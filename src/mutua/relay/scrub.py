"""Taking contact details out of a relayed message: a pure function, no database.

A message between the person who asked and their helper never carries a phone number,
an e-mail address or the ask's street address: swapping those is exactly what the relay
is there to make unnecessary, and the asker's details are shown to the helper only
through the logged reveal (privacy.services.reveal). Scrubbing errs towards removing:
seven digits or more in a row (separators allowed) read as a phone number, even when
they were a date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

EMAIL = re.compile(r"[\w.+-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\s*\.\s*[\w-]+)+", re.IGNORECASE)
# Seven digits or more, each after at most three separators ("+44 (0)20 7946-0000").
PHONE = re.compile(r"(?<![\w#])\+?\d(?:[\s().\-/]{0,3}\d){6,}")
# Parts of an address shorter than this ("E8", "Flat 2") would take out ordinary words.
_MIN_PART = 6


def _address_parts(address: str) -> list[str]:
    """The address whole and each of its comma- or line-separated parts."""
    parts = [address, *re.split(r"[,\n;]", address)]
    return [p.strip() for p in parts if len(p.strip()) >= _MIN_PART]


def scrub(text: str, *, known: Iterable[str] = (), addresses: Iterable[str] = (), mark: str) -> str:
    """`text` with e-mail addresses, phone numbers, the `known` values (the people's own
    numbers and addresses, as they gave them) and the `addresses` (or any part of one)
    replaced by `mark`."""
    values = [v.strip() for v in known if v and len(v.strip()) >= 3]
    for address in addresses:
        if address:
            values.extend(_address_parts(address))
    # Longest first, so a whole address goes before the parts inside it.
    for value in sorted(set(values), key=len, reverse=True):
        pattern = r"\s*".join(re.escape(word) for word in value.split())
        text = re.sub(pattern, mark, text, flags=re.IGNORECASE)
    text = EMAIL.sub(mark, text)
    return PHONE.sub(mark, text)
