"""The health route for load balancers, monitors and the deploy units: is the database answering, and is a
background worker alive (its heartbeat recent)? Anonymous by design, so it says nothing but that."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .models import WorkerHeartbeat


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def _last_worker_beat():
    try:
        return WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    except DatabaseError:
        return None


@never_cache
@require_GET
def health(request):
    """200 when the database answers and a worker beat within KHUYENHOC_WORKER_STALE_SECONDS, else 503.

    The body names which part failed (`database`, `worker`) so an operator knows where to look."""
    database_ok = _database_answers()
    last_beat = _last_worker_beat() if database_ok else None
    age = (timezone.now() - last_beat).total_seconds() if last_beat else None
    worker_ok = age is not None and age <= settings.KHUYENHOC_WORKER_STALE_SECONDS
    body = {
        "status": "ok" if database_ok and worker_ok else "unavailable",
        "database": "ok" if database_ok else "unavailable",
        "worker": "ok" if worker_ok else "unavailable",
        "worker_last_beat": last_beat.isoformat() if last_beat else None,
        "worker_beat_age_seconds": round(age, 1) if age is not None else None,
    }
    return JsonResponse(body, status=200 if database_ok and worker_ok else 503)
