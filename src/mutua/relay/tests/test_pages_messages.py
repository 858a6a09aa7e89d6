"""The conversation page: reached from the ask's page and from the asker's private link,
plain forms, and refused to anyone who is not in the conversation."""

from __future__ import annotations

import pytest
from django.test import Client

from mutua.aid import services as aid_services
from mutua.aid.policy import Actor
from mutua.aid.selectors import asker_key
from mutua.core.tests.factories import make_ask
from mutua.relay.models import RelayMessage, Via

pytestmark = pytest.mark.django_db


@pytest.fixture
def taken(ward, helper):
    ask = make_ask(contact_phone="+44 20 7946 0000", address="12 Example Road, London E8")
    aid_services.claim_ask(ask=ask, helper=helper)
    return ask


def test_the_helper_writes_from_the_ask_page(client, taken, helper):
    client.force_login(helper)
    ask_page = client.get(f"/asks/{taken.pk}/").content.decode()
    assert f"/asks/{taken.pk}/messages/" in ask_page

    posted = client.post(
        f"/asks/{taken.pk}/messages/", {"body": "Leaving now, text me on 07700 900123"}
    )

    assert posted.status_code == 302
    page = client.get(f"/asks/{taken.pk}/messages/").content.decode()
    assert "Leaving now, text me on [contact removed]" in page
    assert "900123" not in page
    assert RelayMessage.objects.get().via == Via.PAGE


def test_the_asker_without_an_account_comes_by_the_private_link(taken, helper):
    browser = Client()
    link = f"/asks/{taken.pk}/?key={asker_key(taken)}"
    ask_page = browser.get(link).content.decode()
    assert "Write to your helper" in ask_page

    # The browser remembers the link: the conversation opens without the key in the URL.
    answered = browser.post(f"/asks/{taken.pk}/messages/", {"body": "The bell is broken"})

    assert answered.status_code == 302
    message = RelayMessage.objects.get()
    assert message.side == "asker" and message.author is None
    page = browser.get(f"/asks/{taken.pk}/messages/").content.decode()
    assert "The bell is broken" in page and helper.display_name not in page.split("<ol")[0]


def test_an_empty_message_shows_the_form_again(client, taken, helper):
    client.force_login(helper)

    response = client.post(f"/asks/{taken.pk}/messages/", {"body": ""})

    assert response.status_code == 400
    assert not RelayMessage.objects.exists()


def test_a_visitor_is_sent_to_log_in_and_an_outsider_is_refused(client, taken, outsider):
    visitor = Client().get(f"/asks/{taken.pk}/messages/")
    assert visitor.status_code == 302 and "/accounts/login/" in visitor["Location"]

    client.force_login(outsider)
    refused = client.get(f"/asks/{taken.pk}/messages/")
    assert refused.status_code == 403
    assert client.post(f"/asks/{taken.pk}/messages/", {"body": "hi"}).status_code == 403
    assert not RelayMessage.objects.exists()


def test_once_done_the_page_says_the_conversation_is_closed(client, taken, helper):
    client.force_login(helper)
    client.post(f"/asks/{taken.pk}/messages/", {"body": "All delivered"})
    aid_services.complete_ask(ask=taken, actor=Actor(user=helper))

    page = client.get(f"/asks/{taken.pk}/messages/").content.decode()

    assert "All delivered" in page
    assert "closed when the claim ended" in page
    assert 'name="body"' not in page
