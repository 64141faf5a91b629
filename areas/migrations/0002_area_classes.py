from django.db import migrations

# The area classes that national targets name (QĐ 281/QĐ-TTg: lower targets for mountainous,
# remote and especially disadvantaged areas). Membership per year is entered by provinces.
AREA_CLASSES = [
    ("mountainous", "Miền núi", "Mountainous"),
    ("remote", "Vùng sâu, vùng xa", "Remote"),
    ("especially_disadvantaged", "Đặc biệt khó khăn", "Especially disadvantaged"),
]


def add_area_classes(apps, schema_editor):
    AreaClass = apps.get_model("areas", "AreaClass")
    for code, name, name_en in AREA_CLASSES:
        AreaClass.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("areas", "0001_initial")]
    operations = [migrations.RunPython(add_area_classes, migrations.RunPython.noop)]
