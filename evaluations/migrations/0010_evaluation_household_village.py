"""Household evaluations hold their household's village (statistics group by it without a join)."""

import django.db.models.deletion
from django.db import migrations, models

FILL = (
    "UPDATE evaluations_evaluation SET household_village_id = h.village_id FROM registry_household h "
    "WHERE h.id = evaluations_evaluation.household_id"
)


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0004_divided_shares"),
        ("registry", "0007_association_last_year"),
        ("evaluations", "0009_certificates"),
    ]

    operations = [
        migrations.AddField(
            model_name="evaluation",
            name="household_village",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="areas.village",
            ),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop, elidable=False),
    ]
