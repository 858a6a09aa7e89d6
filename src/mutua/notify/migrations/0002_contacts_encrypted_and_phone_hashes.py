"""Every contact value in the notify tables encrypted at rest; phone numbers found by a
keyed hash of their E.164 form instead of by the number itself; an SMS sender keeps only
that hash."""

from django.db import migrations, models
from django.db.models import Q

import mutua.core.fields

# model -> the columns whose values are encrypted
ENCRYPTED = {
    "preference": ["phone", "apprise_url"],
    "message": ["to", "subject", "body"],
    "inboundsms": ["phone", "body", "reply"],
    "intakedraft": ["phone", "text"],
}
HASHED = ["preference", "smssender", "inboundsms", "intakedraft"]


def _convert(apps, schema_editor, *, forward):
    from mutua.core import crypto
    from mutua.core.phones import lookup_hash

    change = crypto.encrypt if forward else crypto.decrypt
    for model_name, columns in [*ENCRYPTED.items(), ("smssender", [])]:
        model = apps.get_model("notify", model_name)
        seen_hashes = set()
        for row in model.objects.all().iterator():
            values = {c: getattr(row, c) for c in columns}
            if forward and model_name in HASHED:
                digest = lookup_hash(row.phone) if row.phone else ""
                if model_name == "smssender" and digest in seen_hashes:
                    # Two spellings of one number: one sender is enough.
                    row.delete()
                    continue
                seen_hashes.add(digest)
                values_to_save = {"phone_hash": digest}
            else:
                values_to_save = {}
            for column, value in values.items():
                values_to_save[column] = change(value) if value else value
            model.objects.filter(pk=row.pk).update(**values_to_save)


def encrypt(apps, schema_editor):
    _convert(apps, schema_editor, forward=True)


def decrypt(apps, schema_editor):
    _convert(apps, schema_editor, forward=False)


def _encrypted(model_name, column, **options):
    return migrations.AlterField(
        model_name=model_name,
        name=column,
        field=mutua.core.fields.EncryptedTextField(**options),
    )


class Migration(migrations.Migration):
    dependencies = [("notify", "0001_outbox_preferences_sms_intake_schedule")]

    operations = [
        migrations.RemoveConstraint(model_name="preference", name="notify_preference_phone_unique"),
        *[
            migrations.AddField(
                model_name=name,
                name="phone_hash",
                field=models.CharField(blank=True, default="", max_length=64),
                preserve_default=False,
            )
            for name in HASHED
        ],
        *[
            migrations.AlterField(model_name=name, name=column, field=models.TextField(blank=True))
            for name, columns in ENCRYPTED.items()
            for column in columns
        ],
        migrations.RunPython(encrypt, decrypt),
        _encrypted("preference", "phone", blank=True, max_length=20, verbose_name="phone"),
        _encrypted(
            "preference",
            "apprise_url",
            blank=True,
            max_length=500,
            verbose_name="Apprise address",
        ),
        migrations.RemoveField(model_name="smssender", name="phone"),
        _encrypted("message", "to", max_length=500),
        _encrypted("message", "subject", blank=True, max_length=200),
        _encrypted("message", "body"),
        _encrypted("inboundsms", "phone", max_length=20),
        _encrypted("inboundsms", "body", max_length=1600),
        _encrypted("inboundsms", "reply", blank=True),
        _encrypted("intakedraft", "phone", max_length=20),
        _encrypted("intakedraft", "text", max_length=1600),
        migrations.AlterField(
            model_name="preference",
            name="phone_hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="smssender",
            name="phone_hash",
            field=models.CharField(max_length=64, unique=True),
        ),
        migrations.AlterField(
            model_name="inboundsms",
            name="phone_hash",
            field=models.CharField(db_index=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="intakedraft",
            name="phone_hash",
            field=models.CharField(db_index=True, max_length=64),
        ),
        migrations.AddConstraint(
            model_name="preference",
            constraint=models.UniqueConstraint(
                condition=~Q(phone_hash=""),
                fields=("phone_hash",),
                name="notify_preference_phone_hash_unique",
            ),
        ),
    ]
