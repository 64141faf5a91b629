from django.db import migrations

# The level above the evaluated subject (rules.md §1): the commune for households, clans, villages and
# the commune's units; for the commune learning community the district until the 2025 reform, then,
# with no districts and the approver not confirmed, the province. Provinces change these rows.
DEFAULTS = [
    *((title, "pre2025", 2015, None, 3) for title in ("household", "clan", "village", "unit")),
    *((title, "2025", 2025, None, 3) for title in ("household", "clan", "village", "unit")),
    ("commune", "pre2025", 2015, None, 2),
    ("commune", "2025", 2025, None, 1),
]


def load(apps, schema_editor):
    ApproverRule = apps.get_model("evaluations", "ApproverRule")
    for title, tree, from_year, to_year, level in DEFAULTS:
        ApproverRule.objects.get_or_create(
            title=title, tree=tree, from_year=from_year, defaults={"to_year": to_year, "level": level}
        )


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
