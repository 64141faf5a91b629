"""Make a document from the command line, for scripts and tests: the same job as the pages run, in this
process, kept in the list like any other, and copied to --out."""

import shutil

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from areas.models import Tree
from areas.selectors import area_from_param
from documents import services
from documents.kinds import KINDS
from documents.models import DocumentStatus
from evaluations.models import RecognitionDecision


class Command(BaseCommand):
    help = (
        "Make a document of an area and years (workbook, review, final_review) or of a recognition decision "
        "(--decision), and write it to a file."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(KINDS))
        parser.add_argument("--area", default="", help="tree:code, e.g. pre2025:06; empty: the whole country.")
        parser.add_argument("--tree", choices=Tree.values, help="For the whole country: the tree to add up.")
        parser.add_argument("--years", default="", help="One year (2018) or a span (2016-2018).")
        parser.add_argument("--decision", type=int, help="The recognition decision's id, for the kinds made from one.")
        parser.add_argument("--out", required=True, help="The file to write.")

    def handle(self, *args, kind, area, tree, years, decision, out, **options):
        try:
            if decision is not None:
                found = RecognitionDecision.objects.select_related("issuing_area").filter(pk=decision).first()
                if found is None:
                    raise CommandError(_("There is no decision %(id)d.") % {"id": decision})
                document = services.document_for_command(kind=kind, decision=found)
            else:
                unit = area_from_param(area) if area else None
                period = services.parse_period(years)
                document = services.document_for_command(kind=kind, area=unit, period=period, tree=tree)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        services.run_document(document.pk)
        document.refresh_from_db()
        if document.status != DocumentStatus.DONE:
            raise CommandError(document.message or _("No file was made."))
        with document.file.open("rb") as made, open(out, "wb") as target:
            shutil.copyfileobj(made, target)
        self.stdout.write(_("%(name)s written to %(out)s.") % {"name": document.file_name, "out": out})
