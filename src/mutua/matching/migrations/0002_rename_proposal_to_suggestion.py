"""The dispatch engine's Proposal becomes Suggestion: governance has proposals too, and a
helper is suggested for an ask, not asked to vote on it. Data is kept as it is."""

from __future__ import annotations

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0001_dispatch_runs_and_proposals"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="proposal", name="one_pending_proposal_per_ask"),
        migrations.RenameModel(old_name="Proposal", new_name="Suggestion"),
        migrations.RenameIndex(
            model_name="suggestion",
            new_name="suggestion_helper_status",
            old_name="proposal_helper_status",
        ),
        migrations.RenameIndex(
            model_name="suggestion",
            new_name="suggestion_status_expiry",
            old_name="proposal_status_expiry",
        ),
        migrations.AddConstraint(
            model_name="suggestion",
            constraint=models.UniqueConstraint(
                condition=Q(status="pending"),
                fields=("ask",),
                name="one_pending_suggestion_per_ask",
            ),
        ),
        migrations.AlterField(
            model_name="suggestion",
            name="run",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="suggestions",
                to="matching.dispatchrun",
            ),
        ),
        migrations.AlterField(
            model_name="suggestion",
            name="group",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="suggestions",
                to="groups.group",
            ),
        ),
        migrations.AlterField(
            model_name="suggestion",
            name="ask",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="suggestions",
                to="aid.ask",
            ),
        ),
        migrations.AlterField(
            model_name="suggestion",
            name="helper",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="suggestions",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
