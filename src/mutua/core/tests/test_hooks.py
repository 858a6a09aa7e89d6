"""Hooks: a lower app announces, the handlers higher apps registered hear it."""

from __future__ import annotations

import logging
import threading

from mutua.core.hooks import Hook


def test_each_handler_hears_each_announcement_once_even_if_registered_twice():
    hook: Hook[str] = Hook("test.news")
    heard: list[str] = []
    hook.register(heard.append)
    hook.register(heard.append)

    hook.call("ask 1 claimed")

    assert heard == ["ask 1 claimed"]


def test_a_failing_handler_is_logged_and_the_others_still_hear(caplog):
    hook: Hook[str] = Hook("test.news")
    heard: list[str] = []

    def mail_server_down(news: str) -> None:
        raise RuntimeError("mail server down")

    hook.register(mail_server_down)
    hook.register(heard.append)

    with caplog.at_level(logging.ERROR, logger="mutua.core.hooks"):
        hook.call("ask 1 done")

    assert heard == ["ask 1 done"]
    assert "test.news: the handler" in caplog.text and "mail_server_down" in caplog.text


def test_an_unregistered_handler_hears_nothing_more():
    hook: Hook[str] = Hook("test.news")
    heard: list[str] = []
    hook.register(heard.append)
    hook.unregister(heard.append)

    hook.call("ask 2 released")

    assert heard == []


def test_a_muted_hook_announces_nothing_in_that_thread_until_unmuted():
    hook: Hook[str] = Hook("test.news")
    heard: list[str] = []
    hook.register(heard.append)
    elsewhere = []

    with hook.muted():
        hook.call("made-up ask")
        assert hook.is_muted()
        other = threading.Thread(target=lambda: elsewhere.append(hook.is_muted()))
        other.start()
        other.join()
    hook.call("real ask")

    assert heard == ["real ask"]
    assert elsewhere == [False]
    assert not hook.is_muted()
