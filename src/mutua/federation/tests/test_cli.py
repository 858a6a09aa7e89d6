"""`mutua federation` on the command line: bad arguments give one clear line."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mutua.federation.models import Link


def test_an_empty_group_is_refused_rather_than_read_as_the_network(db):
    # `--group "$GROUP"` with the variable unset must not link the whole network.
    with pytest.raises(CommandError, match="--group needs a group's short name"):
        call_command("federation", "link", "https://south.example", "--group", "")
    with pytest.raises(CommandError, match="no group with the short name nowhere"):
        call_command("federation", "link", "https://south.example", "--group", "nowhere")
    assert not Link.objects.exists()
