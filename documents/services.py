"""Documents as jobs: a request is checked and queued (nothing is made from a bad request), the worker
makes the file, and only a finished file is kept and offered for download; a job that stops half-way
leaves no file behind."""

import logging
import os
import tempfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.scope import scope_for
from areas.models import Tree, tree_for_year
from audit.services import audit_record
from core.access import require_perm
from core.limits import Ending
from core.parsing import parse_year
from evaluations.models import DecisionStatus
from imports.services import ABANDONED_AFTER
from stats.facts import opened_years

from .kinds import KINDS, area_kinds, decision_kinds, kind_of, maker_of
from .models import Document, DocumentStatus

logger = logging.getLogger(__name__)

MAX_YEARS = 30


@dataclass(frozen=True)
class Period:
    first: int
    last: int

    @property
    def years(self) -> list[int]:
        return list(range(self.first, self.last + 1))


def parse_period(value) -> Period:
    """ "2016-2018" (also "2016–2018") or one year "2018", in plain digits."""
    text = str(value or "").strip().replace("–", "-").replace("—", "-")
    if not text:
        raise ValidationError(_("Give the year or the years, for example 2016-2018."), code="years")
    first, _sep, last = (part.strip() for part in text.partition("-"))
    try:
        first, last = parse_year(first), parse_year(last or first)
    except ValidationError as error:
        message = _("Write a year or a span of years, for example 2016-2018.")
        raise ValidationError([message, *error.messages], code="years") from error
    if first > last:
        raise ValidationError(_("Write the first year first, for example 2016-2018."), code="years")
    if last - first >= MAX_YEARS:
        raise ValidationError(_("Ask for at most %(count)d years.") % {"count": MAX_YEARS}, code="years")
    return Period(first, last)


def check_period(tree: str, period: Period) -> None:
    """Years on the tree that records them, and only years with data."""
    if tree == Tree.PRE_2025 and tree_for_year(period.last) != Tree.PRE_2025:
        raise ValidationError(
            _(
                "From %(year)d on, figures are recorded on the 2025 tree only: ask for years up to %(last)d on "
                "the pre-2025 tree, or choose the area on the 2025 tree."
            )
            % {"year": settings.KHUYENHOC_REFORM_YEAR, "last": settings.KHUYENHOC_REFORM_YEAR - 1},
            code="reform",
        )
    opened = set(opened_years(period.first, period.last))
    missing = [year for year in period.years if year not in opened]
    if missing:
        raise ValidationError(
            _("There are no figures for %(years)s yet: choose years that have data.")
            % {"years": ", ".join(str(year) for year in missing)},
            code="no_data",
        )


@transaction.atomic
def document_request(*, actor, kind: str, area, period: Period, tree: str | None = None) -> Document:
    """Queue a document of `area` (None: the whole country on `tree`, for those who see everything)
    for the period. `area` has been found within the actor's scope (`stats.access.visible_area`)."""
    if kind not in area_kinds():
        raise ValidationError(_("Choose a kind of document."), code="kind")
    require_perm(actor, kind_of(kind).perm)
    if area is None:
        if not scope_for(actor).everything:
            raise PermissionDenied
        tree = tree or tree_for_year(period.last)
        if tree not in Tree.values:
            raise ValidationError(_("Choose a tree."), code="tree")
    else:
        tree = area.tree
    return _create(actor, kind, area, tree, period, enqueue=True)


@transaction.atomic
def document_request_for_decision(*, actor, kind: str, decision) -> Document:
    """Queue a document made from one recognition decision (its annex, its certificates). `decision` has
    been found within the actor's scope (`evaluations.decisions.get_decision_for_user`)."""
    if kind not in decision_kinds():
        raise ValidationError(_("Choose a kind of document."), code="kind")
    require_perm(actor, kind_of(kind).perm)
    return _create_for_decision(actor, kind, decision, enqueue=True)


@transaction.atomic
def document_for_command(*, kind: str, area=None, period: Period | None = None, tree=None, decision=None) -> Document:
    """A document asked for from the command line (no account, no scope): made by the caller itself."""
    if kind not in KINDS:
        raise ValidationError(_("Choose a kind of document."), code="kind")
    if kind in decision_kinds():
        if decision is None:
            raise ValidationError(_("This kind of document is made from a decision: name the decision."))
        return _create_for_decision(None, kind, decision, enqueue=False)
    if period is None:
        raise ValidationError(_("Give the year or the years, for example 2016-2018."), code="years")
    tree = area.tree if area is not None else (tree or tree_for_year(period.last))
    return _create(None, kind, area, tree, period, enqueue=False)


def _create_for_decision(actor, kind, decision, *, enqueue: bool) -> Document:
    if not kind_of(kind).fits(decision):
        raise ValidationError(
            _("“%(kind)s” is not made from a decision recognising “%(title)s”.")
            % {"kind": kind_of(kind).label, "title": decision.get_title_display()},
            code="title",
        )
    if not decision.evaluations.exists():
        raise ValidationError(
            _("Decision %(number)s recognises no one yet: add the recognised evaluations to it first.")
            % {"number": decision.number},
            code="empty",
        )
    # The kind's own check first: it says why more precisely (revoked rather than "not published").
    if kind_of(kind).precheck:
        import_string(kind_of(kind).precheck)(decision)
    if kind_of(kind).published_only and decision.status != DecisionStatus.PUBLISHED:
        raise ValidationError(
            _("Decision %(number)s is not published: this document is made only from a published decision.")
            % {"number": decision.number},
            code="unpublished",
        )
    area = decision.issuing_area
    period = Period(decision.year, decision.year)
    return _create(actor, kind, area, area.tree, period, enqueue=enqueue, decision=decision)


def _create(actor, kind, area, tree, period, *, enqueue: bool, decision=None) -> Document:
    if decision is None:
        check_period(tree, period)
    document = Document.objects.create(
        kind=kind,
        area=area,
        tree=tree,
        first_year=period.first,
        last_year=period.last,
        decision=decision,
        requested_by=actor,
        template_version=kind_of(kind).template_version,
    )
    audit_record(actor=actor, action="document.request", obj=document, after=_snapshot(document))
    if enqueue:
        from .tasks import make_document

        transaction.on_commit(lambda: make_document.enqueue(document.pk))
    return document


def _snapshot(document: Document) -> dict:
    area = document.area
    return {
        "kind": document.kind,
        "area": f"{area.tree}:{area.code}" if area else None,
        "tree": document.tree,
        "years": [document.first_year, document.last_year],
        "template": document.template_version,
        **({"decision": document.decision.number} if document.decision_id else {}),
    }


def file_stem(text: str) -> str:
    """A number and symbol as a file name: “12/QĐ-UBND” gives “12-qd-ubnd”. Đ is a letter of its own,
    not a D with a mark, so it is turned into D by hand before the marks are dropped."""
    return slugify(text.replace("Đ", "D").replace("đ", "d").replace("/", "-"))


def file_name(document: Document) -> str:
    kind = kind_of(document.kind)
    where = document.area.code if document.area else "toan-quoc"
    if document.decision_id:
        number = file_stem(document.decision.number) or str(document.decision_id)
        return f"{kind.stem}-{where}-{number}.{kind.extension}"
    return f"{kind.stem}-{where}-{document.first_year}-{document.last_year}.{kind.extension}"


class _Progress:
    """The share done, written to the row when it moves on by a whole percent."""

    def __init__(self, document_id: int):
        self.document_id = document_id
        self.written = 0

    def __call__(self, share: float) -> None:
        percent = max(0, min(99, int(share * 100)))
        if percent > self.written:
            Document.objects.filter(pk=self.document_id).update(progress=percent, heartbeat_at=timezone.now())
            self.written = percent


def run_document(document_id: int) -> None:
    """Make the file of a queued document. A file is kept only once it is whole."""
    claimed = Document.objects.filter(pk=document_id, status=DocumentStatus.QUEUED).update(
        status=DocumentStatus.RUNNING, data_as_of=timezone.now(), heartbeat_at=timezone.now()
    )
    if not claimed:
        return
    document = Document.objects.select_related("area", "requested_by", "decision").get(pk=document_id)
    handle, path = tempfile.mkstemp(suffix="." + kind_of(document.kind).extension)
    os.close(handle)
    try:
        maker_of(document.kind)(document, path, _Progress(document.pk))
        name = file_name(document)
        with open(path, "rb") as made:
            document.file.save(name, File(made), save=False)
        document.file_name, document.file_size = name, os.path.getsize(path)
        document.status, document.progress, document.finished_at = DocumentStatus.DONE, 100, timezone.now()
        document.save(update_fields=["file", "file_name", "file_size", "status", "progress", "finished_at"])
    except MemoryError:
        raise  # the job's runner says what stopped it (document_stopped)
    except ValidationError as error:
        _failed(document_id, " ".join(error.messages))
    except Exception:
        logger.exception("Document %s could not be made.", document_id)
        _failed(document_id, _("An unexpected error stopped the document; no file was made."))
    finally:
        os.unlink(path)


def _failed(document_id: int, message: str) -> None:
    Document.objects.filter(pk=document_id).update(
        status=DocumentStatus.FAILED, message=message, heartbeat_at=None, finished_at=timezone.now()
    )


def document_heartbeat(document_id: int) -> None:
    Document.objects.filter(pk=document_id).update(heartbeat_at=timezone.now())


def document_jobs_sweep(*, older_than=ABANDONED_AFTER) -> int:
    """Mark failed every document a worker started and stopped beating for (killed, machine restarted);
    cheap when there are none, so pages and the worker call it as they go."""
    cutoff = timezone.now() - older_than
    return Document.objects.filter(status=DocumentStatus.RUNNING, heartbeat_at__lt=cutoff).update(
        status=DocumentStatus.FAILED,
        message=_("The worker stopped while making this document; no file was made. Ask for it again."),
        heartbeat_at=None,
    )


def document_stopped(document_id: int, ending: Ending) -> None:
    """A job whose child process ended without finishing: marked failed with what stopped it."""
    if ending is Ending.MEMORY:
        message = _(
            "The document needed more than %(megabytes)d MB of memory and was stopped; no file was made. "
            "Ask for a smaller area or fewer years."
        ) % {"megabytes": settings.KHUYENHOC_JOB_MEMORY_MB}
    elif ending is Ending.TIME:
        message = _(
            "The document took longer than %(seconds)d seconds and was stopped; no file was made. "
            "Ask for a smaller area or fewer years."
        ) % {"seconds": settings.KHUYENHOC_JOB_SECONDS}
    elif ending is Ending.STOPPED:
        message = _("The worker stopped while making this document; no file was made. Ask for it again.")
    else:
        message = _("An unexpected error stopped the document; no file was made.")
    running = (DocumentStatus.QUEUED, DocumentStatus.RUNNING)
    Document.objects.filter(pk=document_id, status__in=running).update(
        status=DocumentStatus.FAILED, message=message, heartbeat_at=None, finished_at=timezone.now()
    )
