# The national 2025 target for learning units shipped with an English note ("in the commune"), which
# the targets page showed as it was to Vietnamese users: the note is the decision's own words.

from django.db import migrations

QD_387 = "QĐ 387/QĐ-TTg (2022)"


def note_in_vietnamese(apps, schema_editor):
    Target = apps.get_model("stats", "Target")
    national = Target.objects.filter(year=2025, title="unit", area=None, area_class=None, source=QD_387)
    national.filter(note="in the commune").update(note="trên địa bàn xã")


def note_in_english(apps, schema_editor):
    Target = apps.get_model("stats", "Target")
    national = Target.objects.filter(year=2025, title="unit", area=None, area_class=None, source=QD_387)
    national.filter(note="trên địa bàn xã").update(note="in the commune")


class Migration(migrations.Migration):
    dependencies = [("stats", "0005_record_versions")]
    operations = [migrations.RunPython(note_in_vietnamese, note_in_english)]
