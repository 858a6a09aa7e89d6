from django.db import migrations, models
from django.db.models import F


def existing_groups_keep_their_asks(apps, schema_editor):
    # Groups that already received routed asks keep receiving them: only groups founded
    # from now on wait to be established.
    Group = apps.get_model("groups", "Group")
    Group.objects.filter(established_at__isnull=True).update(established_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0002_memberships"),
    ]

    operations = [
        migrations.AddField(
            model_name="group",
            name="established_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(existing_groups_keep_their_asks, migrations.RunPython.noop),
    ]
