"""Asks' contact numbers rewritten in E.164 ("+447700900123"), the form new asks are
kept in, so that one number written two ways is one number everywhere.

The numbers are encrypted, so the database cannot rewrite them: each is read through the
field (which decrypts it), parsed in the site's region (MUTUA_PHONE_REGION) and written
back through the field (which encrypts it). A number that cannot be parsed is left as it
was rather than lost: it may still be the only way to reach the person.
"""

from django.db import migrations


def to_e164(apps, schema_editor):
    from mutua.core.phones import e164_or_empty

    Ask = apps.get_model("aid", "Ask")
    rows = Ask.objects.exclude(contact_phone="").only("pk", "contact_phone")
    for ask in rows.iterator(chunk_size=500):
        number = e164_or_empty(ask.contact_phone)
        if number and number != ask.contact_phone:
            Ask.objects.filter(pk=ask.pk).update(contact_phone=number)


class Migration(migrations.Migration):
    dependencies = [("aid", "0005_board_reads_by_urgency_and_place")]

    # Backwards there is nothing to undo: an E.164 number is a correct way to write it.
    operations = [migrations.RunPython(to_e164, migrations.RunPython.noop)]
