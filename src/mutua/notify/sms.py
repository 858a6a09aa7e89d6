"""Reading a text message as a command: a pure function, no database.

Commands are one keyword, in English or in one of the site's languages, then what it
needs: `HELP <what> <where>`, `YES <ref>`, `NO <ref>`, `DONE <ref>`, `RELEASE <ref>`,
`CHOOSE <ref>` (the asker says yes to their helper first), `LIST`, `LINK <code>`, and
the carriers' `STOP` / `START` / `HELP` words. A text that starts with an ask's
reference, `#A12 on my way`, is a message for that ask's conversation (mutua.relay); one
that starts with a callout's, `#C5 YES` or `#C5 NO`, answers that callout. A message that
is no command becomes free text (an ask for the hotline to complete) once it is long
enough to say something; a word or two that is no command is `unknown`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from mutua.core.phones import e164_or_empty

ASK = "ask"  # HELP <text>: an ask
YES = "yes"
NO = "no"
DONE = "done"
RELEASE = "release"
CHOOSE = "choose"  # CHOOSE <ref>: the asker says yes to whoever offers before they come
LIST = "list"
LINK = "link"
RELAY = "relay"  # #A<ref> <text>: a message for the other side of the ask's conversation
CALLOUT = "callout"  # #C<ref> YES|NO: coming to a callout, or not
STOP = "stop"
START = "start"
INFO = "info"  # bare HELP or INFO: how to use the number
TEXT = "text"  # free text for the hotline
UNKNOWN = "unknown"

# Whole-message keywords, as carriers (and Twilio) read them: the message is only the word.
CARRIER_STOP = {"stop", "stopall", "unsubscribe", "cancel", "end", "quit"}
CARRIER_START = {"start", "unstop"}
CARRIER_INFO = {"help", "info"}

# Keyword -> (command, language it tells of, or "" when it does not tell). Written without
# accents: the message is compared with its accents removed.
KEYWORDS: dict[str, tuple[str, str]] = {
    "help": (ASK, ""),
    "ayuda": (ASK, "es"),
    "aide": (ASK, "fr"),
    "pomoc": (ASK, "pl"),
    "مساعدة": (ASK, "ar"),
    "yes": (YES, ""),
    "si": (YES, "es"),
    "oui": (YES, "fr"),
    "tak": (YES, "pl"),
    "نعم": (YES, "ar"),
    "no": (NO, ""),
    "non": (NO, "fr"),
    "nie": (NO, "pl"),
    "لا": (NO, "ar"),
    "done": (DONE, ""),
    "hecho": (DONE, "es"),
    "fait": (DONE, "fr"),
    "zrobione": (DONE, "pl"),
    "تم": (DONE, "ar"),
    "release": (RELEASE, ""),
    "liberar": (RELEASE, "es"),
    "liberer": (RELEASE, "fr"),
    "oddaj": (RELEASE, "pl"),
    "اترك": (RELEASE, "ar"),
    "list": (LIST, ""),
    "lista": (LIST, ""),  # Spanish and Polish alike
    "liste": (LIST, "fr"),
    "قائمة": (LIST, "ar"),
    "link": (LINK, ""),
    "choose": (CHOOSE, ""),
    "elijo": (CHOOSE, "es"),
    "choisir": (CHOOSE, "fr"),
    "wybieram": (CHOOSE, "pl"),
    "اختار": (CHOOSE, "ar"),
}
NEEDS_REF = {YES, NO, DONE, RELEASE, CHOOSE}
# Fewer words than this that are no command get a hint rather than going to the hotline.
FREE_TEXT_MIN_WORDS = 3
MAX_LENGTH = 1600  # the longest message Twilio delivers (ten segments)

_REF = re.compile(r"#?\s*(\d{1,12})")
_RELAY = re.compile(r"#\s*A\s*(\d{1,12})(?!\d)[\s:,.\-]*(.*)", re.IGNORECASE | re.DOTALL)
_CALLOUT = re.compile(r"#\s*C\s*(\d{1,12})(?!\d)[\s:,.\-]*(.*)", re.IGNORECASE | re.DOTALL)
# Answers to a callout beyond the YES and NO keywords of every language.
COMING_WORDS = {"coming", "come", "omw"}
CANT_WORDS = {"cant", "can't", "cannot", "busy"}
_CODE = re.compile(r"[0-9]{4,12}")
_TRAILING = ".,:;!?¡¿"


@dataclass(frozen=True)
class Parsed:
    """What a text asks for. `problem` says what is wrong with a malformed command."""

    command: str
    ref: int | None = None
    text: str = ""
    language: str = ""
    problem: str = ""


def _fold(word: str) -> str:
    """Lower case without accents, so "SÍ", "Sí" and "si" are the same word."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip(_TRAILING)


def parse(body: str) -> Parsed:
    """Read one text message. Never raises: anything unreadable is UNKNOWN or TEXT."""
    relayed = _RELAY.fullmatch(body.replace("\x00", "").strip()[:MAX_LENGTH])
    if relayed is not None:
        said = relayed.group(2).strip()
        return Parsed(RELAY, ref=int(relayed.group(1)), text=said, problem="" if said else "text")
    called = _CALLOUT.fullmatch(body.replace("\x00", "").strip()[:MAX_LENGTH])
    if called is not None:
        return _callout_answer(int(called.group(1)), called.group(2))
    text = " ".join(body.replace("\x00", "").split())[:MAX_LENGTH]
    if not text:
        return Parsed(INFO)
    whole = _fold(text)
    if whole in CARRIER_STOP:
        return Parsed(STOP)
    if whole in CARRIER_START:
        return Parsed(START)
    if whole in CARRIER_INFO:
        return Parsed(INFO)
    first, _sep, rest = text.partition(" ")
    rest = rest.strip()
    command, language = KEYWORDS.get(_fold(first), ("", ""))
    if command == YES and not rest:
        # A bare YES is the carriers' word for START; it takes no ask.
        return Parsed(START, language=language)
    if command in NEEDS_REF:
        match = _REF.fullmatch(rest)
        if match is not None:
            return Parsed(command, ref=int(match.group(1)), language=language)
        # "No food in the house since Monday" is a sentence, not a NO without its number.
        if len(rest.split()) < FREE_TEXT_MIN_WORDS:
            return Parsed(command, language=language, problem="ref")
        return Parsed(TEXT, text=text)
    if command == ASK:
        return Parsed(ASK, text=rest, language=language) if rest else Parsed(INFO)
    if command == LIST:
        return Parsed(LIST, language=language)
    if command == LINK:
        code = rest.replace(" ", "")
        if _CODE.fullmatch(code) is None:
            return Parsed(LINK, problem="code")
        return Parsed(LINK, text=code)
    if len(text.split()) < FREE_TEXT_MIN_WORDS:
        return Parsed(UNKNOWN, text=text)
    return Parsed(TEXT, text=text)


def _callout_answer(ref: int, said: str) -> Parsed:
    """`#C5 YES`: text is "coming" or "cant", or the problem is "answer"."""
    word = _fold(said.split()[0]) if said.split() else ""
    command, language = KEYWORDS.get(word, ("", ""))
    if command == YES or word in COMING_WORDS:
        return Parsed(CALLOUT, ref=ref, text="coming", language=language)
    if command == NO or word in CANT_WORDS:
        return Parsed(CALLOUT, ref=ref, text="cant", language=language)
    return Parsed(CALLOUT, ref=ref, problem="answer")


# Words that split "what" from "where" in `HELP shopping in Hackney`, in the site's languages.
PLACE_SEPARATORS = (" in ", " at ", " near ", " en ", " à ", " w ", " في ", " / ", ", ", " - ")


def split_place(text: str) -> list[tuple[str, str]]:
    """Ways to read `text` as (what, where), the likeliest first: before and after its last
    separator, then the whole text as both (the place named somewhere inside it)."""
    lowered = text.lower()
    readings = []
    cut = max(
        ((lowered.rfind(sep), sep) for sep in PLACE_SEPARATORS if lowered.rfind(sep) > 0),
        default=None,
    )
    if cut is not None:
        at, sep = cut
        what, where = text[:at].strip(), text[at + len(sep) :].strip()
        if what and where:
            readings.append((what, where))
    readings.append((text, text))
    return readings


# First match wins; the words are compared whole, with accents removed.
CATEGORY_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("prescriptions", ("prescription", "pharmacy", "chemist", "medicine", "meds", "receta")),
    ("groceries", ("shopping", "groceries", "grocery", "food", "bread", "milk", "compra")),
    ("meals", ("meal", "meals", "dinner", "lunch", "cook", "cooked", "comida", "repas")),
    ("transport", ("lift", "ride", "drive", "taxi", "appointment", "hospital", "transport")),
    ("childcare", ("childcare", "child", "children", "kids", "babysit", "babysitting")),
    ("pets", ("dog", "cat", "pet", "pets", "walk")),
    ("check-in", ("lonely", "chat", "talk", "company", "call")),
    ("repairs", ("repair", "fix", "broken", "leak", "boiler")),
    ("clean-up", ("flood", "storm", "clean", "cleanup", "tarp")),
    ("housing", ("evicted", "eviction", "housing", "homeless", "landlord")),
    ("money", ("money", "cash", "rent", "bill", "bills")),
)


def guess_category(text: str) -> str:
    """The kind of help a free sentence most likely asks for; "other" when nothing says."""
    words = {_fold(w) for w in re.split(r"[\s,;/]+", text) if w}
    for category, cues in CATEGORY_WORDS:
        if words.intersection(cues):
            return category
    return "other"


def normalise_phone(value: str) -> str:
    """A sender's number in E.164 ("+447700900123"; "whatsapp:+44..." keeps its "+"), or
    "" when it is not a phone number."""
    return e164_or_empty(value)
