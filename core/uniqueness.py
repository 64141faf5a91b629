"""A record that two requests add at the same moment (a double click, two officers on one form): both
pass the service's test that nothing holds the name or key yet, and the database's unique rule refuses
the second. That one should hear what the test would have told it, not see an error page."""

from contextlib import contextmanager

from django.db import IntegrityError, transaction


@contextmanager
def refused_as_checked(check):
    """The block's write in a savepoint (the caller's transaction goes on). When a unique rule refuses
    it, `check()` — the test the service ran before writing — runs again and raises its own refusal,
    now that the other request's record can be seen; the database's error stands if it finds nothing."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        check()
        raise
