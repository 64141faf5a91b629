from django.db import migrations


def load(apps, schema_editor):
    """The shipped learning-citizen set (criteria.defaults): the loader creates only the sets not there yet."""
    from criteria.defaults import load_default_sets

    load_default_sets(
        apps.get_model("criteria", "CriteriaSet"),
        apps.get_model("criteria", "Node"),
        apps.get_model("criteria", "RatingBand"),
    )


class Migration(migrations.Migration):
    dependencies = [("criteria", "0004_sets_by_province")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
