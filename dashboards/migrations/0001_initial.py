from decimal import Decimal

from django.db import migrations, models

# Shipped as an illustration: no rule sets these thresholds (rules.md names none).
ILLUSTRATION = [("green", Decimal("100")), ("amber", Decimal("80")), ("red", Decimal("0"))]


def ship_illustration(apps, schema_editor):
    LightBand = apps.get_model("dashboards", "LightBand")
    for light, from_share in ILLUSTRATION:
        LightBand.objects.get_or_create(light=light, defaults={"from_share": from_share, "illustration": True})


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []

    operations = [
        migrations.CreateModel(
            name="LightBand",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "light",
                    models.CharField(
                        choices=[("green", "On track"), ("amber", "Near the target"), ("red", "Behind")],
                        max_length=8,
                        unique=True,
                        verbose_name="light",
                    ),
                ),
                (
                    "from_share",
                    models.DecimalField(
                        decimal_places=2, max_digits=6, verbose_name="from (percentage of the target reached)"
                    ),
                ),
                ("illustration", models.BooleanField(default=True, verbose_name="illustration")),
                ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="version")),
            ],
            options={
                "verbose_name": "traffic light band",
                "verbose_name_plural": "traffic light bands",
                "ordering": ["-from_share"],
            },
        ),
        migrations.RunPython(ship_illustration, migrations.RunPython.noop),
    ]
