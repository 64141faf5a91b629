from django.db import migrations
from django.db.models import Q


def record(apps, schema_editor):
    """The facts the criteria sets now hold, from the evaluations made before they were recorded:
    the sets evaluations use, those an evaluation was approved with (an approval since unlocked
    included: approved_at stays), and the criteria that hold marks or evidence."""
    CriteriaSet = apps.get_model("criteria", "CriteriaSet")
    Node = apps.get_model("criteria", "Node")
    Evaluation = apps.get_model("evaluations", "Evaluation")
    Mark = apps.get_model("evaluations", "Mark")
    Evidence = apps.get_model("evaluations", "Evidence")
    CriteriaSet.objects.filter(pk__in=Evaluation.objects.values("criteria_set")).update(in_use=True)
    approved = Evaluation.objects.filter(Q(state="approved") | Q(approved_at__isnull=False))
    CriteriaSet.objects.filter(pk__in=approved.values("criteria_set")).update(frozen=True)
    Node.objects.filter(pk__in=Mark.objects.values("node")).update(marked=True)
    Node.objects.filter(pk__in=Evidence.objects.values("node"), marked=False).update(marked=True)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0004_evaluation_recognised"),
        ("criteria", "0003_facts_recorded_by_evaluations"),
    ]

    operations = [migrations.RunPython(record, migrations.RunPython.noop)]
