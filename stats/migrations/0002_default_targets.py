from decimal import Decimal

from django.db import migrations

# The national targets public sources give (rules.md §3). QĐ 281 sets lower 2020 targets for
# mountainous, remote and especially disadvantaged areas, but none for learning units there; neither
# decision sets one for commune learning communities. Those cells are "—" in the sources: no row.
QD_281 = "QĐ 281/QĐ-TTg (2014)"
QD_387 = "QĐ 387/QĐ-TTg (2022)"
AREA_CLASSES = ["mountainous", "remote", "especially_disadvantaged"]

NATIONAL = [
    # (year, title, percent, source, note)
    (2020, "household", 70, QD_281, ""),
    (2020, "clan", 50, QD_281, ""),
    (2020, "village", 60, QD_281, ""),
    (2020, "unit", 50, QD_281, ""),
    (2025, "household", 70, QD_387, ""),
    (2025, "clan", 65, QD_387, ""),
    (2025, "village", 65, QD_387, ""),
    (2025, "unit", 80, QD_387, "in the commune"),
]
FOR_AREA_CLASSES = [
    (2020, "household", 60, QD_281, ""),
    (2020, "clan", 40, QD_281, ""),
    (2020, "village", 50, QD_281, ""),
]


def _rows(apps):
    AreaClass = apps.get_model("areas", "AreaClass")
    classes = {area_class.code: area_class for area_class in AreaClass.objects.filter(code__in=AREA_CLASSES)}
    for row in NATIONAL:
        yield None, row
    for code in AREA_CLASSES:
        for row in FOR_AREA_CLASSES:
            yield classes[code], row


def add_default_targets(apps, schema_editor):
    Target = apps.get_model("stats", "Target")
    for area_class, (year, title, percent, source, note) in _rows(apps):
        Target.objects.update_or_create(
            title=title,
            year=year,
            area=None,
            area_class=area_class,
            defaults={"percent": Decimal(percent), "source": source, "note": note},
        )


def remove_default_targets(apps, schema_editor):
    Target = apps.get_model("stats", "Target")
    for area_class, (year, title, _percent, source, _note) in _rows(apps):
        Target.objects.filter(title=title, year=year, area=None, area_class=area_class, source=source).delete()


class Migration(migrations.Migration):
    dependencies = [("stats", "0001_initial"), ("areas", "0002_area_classes")]
    operations = [migrations.RunPython(add_default_targets, remove_default_targets)]
