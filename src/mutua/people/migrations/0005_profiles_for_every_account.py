"""Every account has a profile: sign-up now creates one, and this gives one to the
accounts made before, so that no page has to create it on a GET."""

from __future__ import annotations

from typing import Any

from django.db import migrations

BATCH = 500


def create_missing_profiles(apps: Any, schema_editor: Any) -> None:
    User = apps.get_model("people", "User")
    Profile = apps.get_model("people", "Profile")
    missing = User.objects.filter(profile__isnull=True).values_list("pk", flat=True)
    Profile.objects.bulk_create(
        [Profile(user_id=pk) for pk in missing.iterator()], batch_size=BATCH
    )


class Migration(migrations.Migration):
    dependencies = [("people", "0004_profile_page_language")]

    operations = [migrations.RunPython(create_missing_profiles, migrations.RunPython.noop)]
