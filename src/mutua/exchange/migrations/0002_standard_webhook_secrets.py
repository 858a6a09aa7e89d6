from django.db import migrations, models


def to_standard_secrets(apps, schema_editor):
    # The same key bytes in the standard spelling: receivers holding the old hex secret
    # still check the deprecated X-Mutua-Signature (exchange.signing.from_legacy).
    from mutua.exchange.signing import SECRET_PREFIX, from_legacy

    Webhook = apps.get_model("exchange", "Webhook")
    for hook in Webhook.objects.exclude(secret__startswith=SECRET_PREFIX).only("pk", "secret"):
        Webhook.objects.filter(pk=hook.pk).update(secret=from_legacy(hook.secret))


class Migration(migrations.Migration):
    dependencies = [("exchange", "0001_webhooks")]

    operations = [
        migrations.AlterField(
            model_name="webhook", name="secret", field=models.CharField(max_length=100)
        ),
        migrations.AddField(
            model_name="webhook",
            name="previous_secret",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name="webhook",
            name="previous_secret_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="webhook",
            name="disabled_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(to_standard_secrets, migrations.RunPython.noop),
    ]
