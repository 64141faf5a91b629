"""Which requests read from the replica (core.routing), and read-your-writes for whoever just saved."""

import time

from django.conf import settings

from core.routing import replica_reads

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
PIN_COOKIE = "khuyenhoc_primary_until"


def _pinned(request) -> bool:
    try:
        return int(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
    except ValueError:
        return False


class ReplicaReadsMiddleware:
    """A safe request to a path of KHUYENHOC_REPLICA_PATHS reads from the replica, unless its user saved
    something within KHUYENHOC_REPLICA_PIN_SECONDS: every successful write sets a cookie that keeps
    that browser's reads on the primary until the replica has caught up. Without a replica configured
    (KHUYENHOC_READ_REPLICA off) nothing changes."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.paths = tuple(settings.KHUYENHOC_REPLICA_PATHS)

    def __call__(self, request):
        use_replica = (
            settings.KHUYENHOC_READ_REPLICA
            and request.method in SAFE_METHODS
            and request.path.startswith(self.paths)
            and not _pinned(request)
        )
        token = replica_reads.set(bool(use_replica))
        try:
            response = self.get_response(request)
        finally:
            replica_reads.reset(token)
        if settings.KHUYENHOC_READ_REPLICA and request.method not in SAFE_METHODS and response.status_code < 400:
            seconds = settings.KHUYENHOC_REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                str(int(time.time()) + seconds),
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
