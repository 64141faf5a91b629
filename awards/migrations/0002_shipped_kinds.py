from django.db import migrations

# rules.md states neither the kinds of award nor who issues or proposes them: these rows are
# illustrations ("minh hoạ") of common practice in the study promotion associations, for a system
# administrator to confirm or change. (name, certificate heading, issuing level, nominating levels, order)
SHIPPED = [
    ("Giấy khen của Hội Khuyến học cấp xã", "GIẤY KHEN", 3, [3], 1),
    ("Giấy khen của Hội Khuyến học cấp huyện", "GIẤY KHEN", 2, [2, 3], 2),
    ("Bằng khen của Hội Khuyến học cấp tỉnh", "BẰNG KHEN", 1, [1, 2, 3], 3),
]


def load(apps, schema_editor):
    AwardKind = apps.get_model("awards", "AwardKind")
    for name, heading, level, nominators, order in SHIPPED:
        AwardKind.objects.get_or_create(
            name=name,
            defaults={
                "heading": heading,
                "issuer_level": level,
                "nominator_levels": nominators,
                "is_illustration": True,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
