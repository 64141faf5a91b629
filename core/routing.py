"""Reads that may go to a streaming replica of PostgreSQL (DATABASE_REPLICA_URL).

The figures, the dashboards and the public portal are read far more than they are written, and a
province's conference week or a national report day is when they are read most. With a replica
configured, `khuyenhoc.replica.ReplicaReadsMiddleware` marks the reads of such a request (and only
such a request) for the replica; this router sends them there and every write to the primary. A
user who has just saved something reads from the primary for a while (read-your-writes), since the
replica is a moment behind."""

from contextvars import ContextVar

PRIMARY = "default"
REPLICA = "replica"

# Set for the duration of one request by the middleware: may this request's reads use the replica?
replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if replica_reads.get() else PRIMARY

    def db_for_write(self, model, **hints):
        # Always named: left to Django, a record read from the replica would be saved back to it.
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both; a record read from either may point to one from the other

    def allow_migrate(self, db, app_label, **hints):
        return db == PRIMARY
