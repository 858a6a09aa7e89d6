"""Reading an e-mail reply: where it was sent, and only the new text (notify.mail)."""

from __future__ import annotations

from email.message import EmailMessage

from mutua.notify.mail import new_text, read_reply


def test_the_quote_and_the_signature_are_left_out():
    body = "See you at six.\nThe gate sticks.\n\n-- \nAda\n> Coming at six"

    assert new_text(body) == "See you at six.\nThe gate sticks."
    assert new_text("Oui, merci\n\nLe lun. 7 déc. 2026, Sam a écrit :\n> À six heures") == (
        "Oui, merci"
    )
    assert new_text("Yes\r\n-----Original Message-----\r\nFrom: Sam") == "Yes"
    assert new_text("> only a quote") == ""


def test_recipients_and_the_plain_text_of_an_html_only_reply():
    mail = EmailMessage()
    mail["From"] = "Ada <ada@example.net>"
    mail["To"] = "Sam via mutua <relay-3h-abc@reply.example.org>"
    mail["Cc"] = "other@example.org"
    mail.set_content("<p>Six is fine &amp; thanks</p><div>On Sunday, Sam wrote:</div>", "html")

    reply = read_reply(bytes(mail))

    assert reply.recipients == ["relay-3h-abc@reply.example.org", "other@example.org"]
    assert reply.sender == "ada@example.net"
    assert reply.text == "Six is fine & thanks"


def test_bytes_without_headers_have_no_recipient_and_do_not_raise():
    reply = read_reply(b"\xff not an e-mail at all")

    assert (reply.recipients, reply.sender) == ([], "")
    assert reply.text == "\ufffd not an e-mail at all"
