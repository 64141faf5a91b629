"""Lượt reads its own figure (`granted`) from now on: until then every recognised figure counted the
year granted only, so each existing `recognised` fact row is also the `granted` one."""

from django.db import migrations

COLUMNS = ["unit_id", "village_id", "year", "title", "own", "computed", "entered", "value", "entered_count"]


def copy_recognised(apps, schema_editor):
    Fact = apps.get_model("stats", "Fact")
    existing = Fact.objects.filter(measure="granted")
    if existing.exists():
        return
    batch = []
    for row in Fact.objects.filter(measure="recognised").values(*COLUMNS).iterator(chunk_size=5000):
        batch.append(Fact(measure="granted", **row))
        if len(batch) >= 5000:
            Fact.objects.bulk_create(batch)
            batch = []
    Fact.objects.bulk_create(batch)


def drop_granted(apps, schema_editor):
    apps.get_model("stats", "Fact").objects.filter(measure="granted").delete()


class Migration(migrations.Migration):
    dependencies = [("stats", "0006_target_note_in_vietnamese")]

    operations = [migrations.RunPython(copy_recognised, drop_granted)]
