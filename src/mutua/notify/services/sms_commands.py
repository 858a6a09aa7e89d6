"""Texts received: each is read as a command (notify.sms parses it) and answered; the work
itself is done by the services of aid (asks, claims), matching (suggestions) and this app
(hotline drafts, phone links)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mutua.aid import services as aid_services
from mutua.aid.disclosure import Channel
from mutua.aid.models import Approval, Ask, AskStatus, ConsentChannel
from mutua.aid.policy import Actor, is_asker
from mutua.aid.selectors import active_claim, active_helper_id, board_near_member
from mutua.core.errors import DomainError, InvalidInput
from mutua.core.phones import lookup_hash
from mutua.groups.selectors.places import understand
from mutua.matching import selectors as matching_selectors
from mutua.matching import services as matching_services
from mutua.notify import selectors, sms
from mutua.notify.models import InboundSms, SmsSender
from mutua.notify.services.hotline import draft_from_text
from mutua.notify.services.preferences import link_phone
from mutua.people.models import User
from mutua.privacy.services import reveal
from mutua.relay import services as relay_services
from mutua.relay.models import Via
from mutua.relay.shapes import sms_reference
from mutua.resources.models import AnsweredVia, Callout
from mutua.resources.services import callouts as callout_services


@dataclass(frozen=True)
class _Text:
    phone: str
    parsed: sms.Parsed
    first_word: str
    member: User | None
    sender: SmsSender


@transaction.atomic
def receive_sms(*, message_sid: str, phone: str, body: str) -> str:
    """Act on one text and return the reply. The same MessageSid again (a retried delivery)
    changes nothing and gets the same reply."""
    phone = sms.normalise_phone(phone)
    if not message_sid or not phone:
        raise InvalidInput(_("A text needs its MessageSid and the sender's number."))
    body = body.replace("\x00", "")[: sms.MAX_LENGTH]
    try:
        with transaction.atomic():
            inbound = InboundSms.objects.create(
                message_sid=message_sid, phone=phone, phone_hash=lookup_hash(phone), body=body
            )
    except IntegrityError:
        # Delivered before (or at this very moment, and that delivery has committed).
        return str(InboundSms.objects.get(message_sid=message_sid).reply)
    parsed = sms.parse(body)
    sender, _created = SmsSender.objects.get_or_create(phone_hash=lookup_hash(phone))
    if parsed.language and sender.language != parsed.language:
        sender.language = parsed.language
        sender.save(update_fields=["language", "updated_at"])
    member = selectors.member_by_phone(phone)
    language = (
        parsed.language
        or (selectors.language_of(member) if member else "")
        or sender.language
        or str(settings.LANGUAGE_CODE)
    )
    text = _Text(phone, parsed, body.split()[0].upper() if body.split() else "", member, sender)
    with translation.override(language):
        try:
            reply = _answer(text, language)
        except DomainError as exc:
            # The service refused and wrote nothing; its reason is the reply.
            reply = exc.message
    inbound.command = parsed.command
    inbound.reply = reply
    inbound.save(update_fields=["command", "reply"])
    return reply


def _usage() -> str:
    return _(
        "To ask for help, text HELP, what you need and where, for example: HELP shopping in "
        "Hackney. Members: YES 12 takes ask 12, NO 12 passes, DONE 12, RELEASE 12, LIST. "
        "STOP stops all texts."
    )


def _answer(text: _Text, language: str) -> str:
    parsed = text.parsed
    command = parsed.command
    if command == sms.STOP:
        text.sender.opted_out_at = timezone.now()
        text.sender.save(update_fields=["opted_out_at", "updated_at"])
        return _("You will get no more texts from %(site)s. Text START to get them again.") % {
            "site": settings.MUTUA_SITE_NAME
        }
    if command == sms.START:
        text.sender.opted_out_at = None
        text.sender.save(update_fields=["opted_out_at", "updated_at"])
        return _("You will get texts from %(site)s again. Text HELP to see what you can send.") % {
            "site": settings.MUTUA_SITE_NAME
        }
    if command == sms.INFO:
        return _usage()
    if command == sms.UNKNOWN:
        return _("Sorry, we did not understand that.") + " " + _usage()
    if command == sms.ASK:
        return _ask_by_text(text, language)
    if command == sms.TEXT:
        draft_from_text(phone=text.phone, what=parsed.text, language=language)
        return _(
            "Thank you, we got your message. A volunteer will call you back on this number. "
            "To ask straight away, text HELP, what you need and where, for example: HELP "
            "shopping in Hackney"
        )
    if command == sms.LINK:
        user = link_phone(phone=text.phone, code=parsed.text) if not parsed.problem else None
        if user is None:
            return _(
                "That code is not right or has expired. Get a new one on your notifications page."
            )
        return _(
            "This number is now linked to %(name)s. You can answer with YES, NO, DONE, "
            "RELEASE and LIST."
        ) % {"name": user.display_name}
    if command == sms.RELAY:
        return _relay_by_text(text)
    if command == sms.CALLOUT:
        return _callout_by_text(text)
    if parsed.problem:
        return _("Please send %(word)s and the ask's number, for example: %(word)s 12") % {
            "word": text.first_word
        }
    if command == sms.DONE:
        return _done_by_text(text)
    if command == sms.CHOOSE:
        return _choose_by_text(text)
    answered = _asker_answers(text) if command in (sms.YES, sms.NO) else None
    if answered is not None:
        return answered
    member = text.member
    if member is None:
        return _(
            "This number is not linked to a member. To link it, open your notifications "
            "page on the website and text the code it shows."
        )
    if command == sms.LIST:
        return _list_by_text(member)
    assert parsed.ref is not None  # every other command has its ask's number
    ask = Ask.objects.filter(pk=parsed.ref).first()
    if ask is None:
        return _("There is no ask #%(ref)d.") % {"ref": parsed.ref}
    if command == sms.YES:
        return _yes_by_text(member, ask)
    if command == sms.NO:
        suggestion = matching_selectors.pending_suggestion(ask=ask, helper=member)
        if suggestion is None:
            return _("There is no suggestion waiting for you on ask #%(ref)d.") % {"ref": ask.pk}
        matching_services.decline_suggestion(suggestion=suggestion, helper=member)
        return _("Thank you for answering. Ask #%(ref)d will go to someone else.") % {"ref": ask.pk}
    aid_services.release_ask(ask=ask, helper=member)
    return _("Ask #%(ref)d is back on the board for someone else. Thank you for telling us.") % {
        "ref": ask.pk
    }


def _ask_by_text(text: _Text, language: str) -> str:
    found = next(
        (
            (what, point)
            for what, where in sms.split_place(text.parsed.text)
            if (place := understand(where).chosen) is not None and (point := place.point)
        ),
        None,
    )
    if found is None:
        draft_from_text(phone=text.phone, what=text.parsed.text, language=language)
        return _(
            "Thank you. We could not tell where you are, so a volunteer will call you back on "
            "this number. Or text HELP again with your town or district, for example: HELP "
            "shopping in Hackney"
        )
    what, point = found
    # Texting HELP to the group's number is the asker's agreement; the reply says what
    # happens to the number, as the web form's consent box does.
    try:
        ask = aid_services.create_ask(
            what=what,
            category=sms.guess_category(what),
            lat=point[0],
            lon=point[1],
            consent=True,
            consent_channel=ConsentChannel.SMS,
            language=language,
            contact_phone=text.phone,
            asker=text.member,
        )
    except aid_services.DuplicateAsk as exc:
        # The number it came from is the one the ask keeps: telling its number is safe.
        return _(
            "We have this ask already from this number: it is #%(ref)d, sent in the last "
            "24 hours, so we did not add it twice. A neighbour will contact you on this number."
        ) % {"ref": exc.existing.pk}
    if ask.group is None:
        return _(
            "Thank you. Your ask is #%(ref)d. No group covers that place yet; we have passed "
            "it on. Only the person who helps sees your number. Text STOP to stop texts."
        ) % {"ref": ask.pk}
    return _(
        "Thank you. Your ask #%(ref)d is on the board of %(area)s. A neighbour will contact "
        "you on this number; only they see it. To say yes to them first, text CHOOSE "
        "%(ref)d. Text STOP to stop texts."
    ) % {"ref": ask.pk, "area": ask.group.name}


def _relay_by_text(text: _Text) -> str:
    """`#A12 on my way`: a message for the other side of ask 12's conversation, from the
    person who asked (the number they asked from) or its helper (their linked phone)."""
    ref = text.parsed.ref
    assert ref is not None  # parse() gives RELAY its number
    ask = Ask.objects.filter(pk=ref).first()
    if ask is None:
        return _("There is no ask #%(ref)d.") % {"ref": ref}
    if text.parsed.problem:
        return _("Write your message after %(ref)s, for example: %(ref)s on my way") % {
            "ref": sms_reference(ask.pk)
        }
    relay_services.post_message(
        ask=ask, actor=Actor(user=text.member, phone=text.phone), body=text.parsed.text, via=Via.SMS
    )
    return _("Sent: your message about ask #%(ref)d is passed on.") % {"ref": ask.pk}


def _callout_by_text(text: _Text) -> str:
    """`#C5 YES` or `#C5 NO`: a member answers callout 5 from their linked phone."""
    ref = text.parsed.ref
    assert ref is not None  # parse() gives CALLOUT its number
    if text.parsed.problem:
        return _("Answer %(ref)s YES if you are coming, or %(ref)s NO if you cannot.") % {
            "ref": f"#C{ref}"
        }
    if text.member is None:
        return _(
            "This number is not linked to a member. To link it, open your notifications "
            "page on the website and text the code it shows."
        )
    callout = Callout.objects.select_related("group").filter(pk=ref).first()
    if callout is None:
        return _("There is no callout #C%(ref)d.") % {"ref": ref}
    coming = text.parsed.text == "coming"
    callout_services.answer_callout(
        group=callout.group,
        callout_id=callout.pk,
        member=text.member,
        coming=coming,
        via=AnsweredVia.SMS,
    )
    if coming:
        return _("Thank you! We count you in for %(place)s.") % {"place": callout.place}
    return _("Thank you for telling us. We count you out this time.")


def _choose_by_text(text: _Text) -> str:
    ref = text.parsed.ref
    ask = Ask.objects.filter(pk=ref).first() if ref is not None else None
    if ask is None:
        return _("There is no ask #%(ref)d.") % {"ref": ref}
    aid_services.ask_to_approve(ask=ask, actor=Actor(user=text.member, phone=text.phone))
    return _(
        "Done: whoever offers to help with ask #%(ref)d will wait for your yes. We will "
        "text you; answer YES %(ref)d or NO %(ref)d."
    ) % {"ref": ask.pk}


def _asker_answers(text: _Text) -> str | None:
    """YES or NO from the person who asked, to a helper waiting for their yes; None if
    the text is not that (a member taking or passing an ask)."""
    ref = text.parsed.ref
    ask = Ask.objects.filter(pk=ref).first() if ref is not None else None
    if ask is None or ask.status != AskStatus.CLAIMED:
        return None
    claim = active_claim(ask)
    actor = Actor(user=text.member, phone=text.phone)
    if claim is None or claim.approval != Approval.WAITING or not is_asker(ask, actor):
        return None
    if text.parsed.command == sms.YES:
        aid_services.approve_helper(ask=ask, actor=actor)
        return _(
            "Thank you. %(name)s can now see how to reach you and will be in touch about "
            "ask #%(ref)d."
        ) % {"name": claim.helper.display_name, "ref": ask.pk}
    aid_services.decline_helper(ask=ask, actor=actor)
    return _("Understood: %(name)s will not come. Ask #%(ref)d is open for someone else.") % {
        "name": claim.helper.display_name,
        "ref": ask.pk,
    }


def _yes_by_text(member: User, ask: Ask) -> str:
    matching_services.take_ask(ask=ask, helper=member)
    ask.refresh_from_db()
    if ask.approve_helper:
        return _(
            "Thank you for offering to help with ask #%(ref)d. The person asked to say yes "
            "first; we will text you their contact when they do."
        ) % {"ref": ask.pk}
    shown = reveal(viewer=Actor(user=member), ask=ask, channel=Channel.SMS)
    contact = ""
    if shown.allowed:
        contact = ", ".join(x for x in (ask.contact_name, ask.contact_phone, ask.address) if x)
    return _(
        "You have ask #%(ref)d: %(what)s. Contact: %(contact)s. Text DONE %(ref)d when it is "
        "done, or RELEASE %(ref)d to give it back."
    ) % {
        "ref": ask.pk,
        "what": ask.what[:300],
        "contact": contact or _("see the ask on the website"),
    }


def _done_by_text(text: _Text) -> str:
    ref = text.parsed.ref
    assert ref is not None  # parse() gives DONE its number or a problem
    ask = Ask.objects.filter(pk=ref).first()
    if ask is None:
        return _("There is no ask #%(ref)d.") % {"ref": ref}
    member = text.member
    # Only the wording of the reply depends on who texted; the service decides who may.
    by_helper = member is not None and active_helper_id(ask) == member.pk
    # The person who asked by text is known by the number the gateway vouches for.
    aid_services.complete_ask(ask=ask, actor=Actor(user=member, phone=text.phone))
    if not by_helper:
        return _("Thank you for telling us. Ask #%(ref)d is closed.") % {"ref": ask.pk}
    return _("Thank you! Ask #%(ref)d is done.") % {"ref": ask.pk}


def _list_by_text(member: User) -> str:
    items = board_near_member(member, limit=5)
    if not items:
        return _("There are no open asks near you right now.")
    lines = [
        f"#{i.ask.pk} {i.ask.get_category_display()}, {i.ask.area_name or '?'} "
        f"({i.ask.get_urgency_display()})"
        for i in items
    ]
    return _("Open asks near you: %(asks)s. Text YES and a number to take one.") % {
        "asks": "; ".join(lines)
    }
