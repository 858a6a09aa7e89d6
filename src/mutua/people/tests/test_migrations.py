"""The data migration that gives every account made before sign-up created profiles one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("people", "0004_profile_page_language")]
AFTER = [("people", "0005_profiles_for_every_account")]


@pytest.mark.django_db(transaction=True)
def test_accounts_without_a_profile_get_an_empty_one_and_others_keep_theirs():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User, Profile = old.get_model("people", "User"), old.get_model("people", "Profile")
    bare = User.objects.create(email="bare@example.org", password="!")
    kept = User.objects.create(email="kept@example.org", password="!")
    Profile.objects.create(user=kept, display_name="Kept")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    new = executor.loader.project_state(AFTER).apps
    profiles = new.get_model("people", "Profile").objects
    assert profiles.get(user_id=bare.pk).display_name == ""
    assert profiles.get(user_id=kept.pk).display_name == "Kept"
    assert profiles.count() == 2
