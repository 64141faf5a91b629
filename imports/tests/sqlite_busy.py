"""Two users on one SQLite database file, as a server runs them: run by test_busy_database.py in a
process of its own (the suite's in-memory database cannot be shared by threads as a file is), with the
production settings (WAL, IMMEDIATE transactions, the busy timeout, the production password hashers).

    python -m imports.tests.sqlite_busy import <database file> <rows>
        An officer's import of <rows> accounts is checked, then saved in a process of its own (as the
        worker saves it) while another officer creates accounts one after the other through the page
        in this one; prints as
        JSON how long the save held the database and what each of the other officer's saves answered
        and took.
    python -m imports.tests.sqlite_busy locked <database file>
        One thread holds the write lock longer than the busy timeout while another officer saves
        through a page and through the API, and the worker beats for a job; prints what they answered
        and whether anything was written.

The database file is a copy of the suite's test database (units loaded); MEDIA_ROOT and
KHUYENHOC_DATABASE_BUSY_SECONDS come from the environment."""

import io
import json
import multiprocessing
import os
import sys
import threading
import time


def _setup(database: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyenhoc.settings_test")
    import django

    django.setup()


def _officers():
    from accounts.models import User
    from accounts.roles import Role
    from areas.models import AdministrativeUnit, Tree

    province = AdministrativeUnit.objects.get(tree=Tree.Y2025, code="19")
    commune = AdministrativeUnit.objects.get(tree=Tree.Y2025, code="01843")
    importer = User.objects.create_user("p.busy", password="busy-password-1", role=Role.PROVINCE_OFFICER, unit=province)
    other = User.objects.create_user("c.busy", password="busy-password-1", role=Role.COMMUNE_OFFICER, unit=commune)
    return importer, other, commune


def _accounts_file(rows: int) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet("Tài khoản")
    sheet.write_row(0, 0, ["Tên đăng nhập", "Họ và tên", "Vai trò", "Mã đơn vị hành chính", "Cây đơn vị", "Mã thôn"])
    for n in range(1, rows + 1):
        sheet.write_row(n, 0, [f"xem.{n:05d}", f"Người Xem {n}", "Người xem", "19", "2025", ""])
    book.close()
    return buffer.getvalue()


def _logged_in(user):
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(user)
    client.get(reverse("accounts:create"))  # the process's first page loads the site: not a save's time
    return client


def _create_account(client, username: str, unit_code: str):
    """One save of the other officer: an account through the page. (status, seconds, busy message shown)."""
    from django.urls import reverse

    form = {"username": username, "full_name": "", "role": "viewer", "tree": "2025", "unit_code": unit_code}
    started = time.monotonic()
    response = client.post(reverse("accounts:create"), form)
    took = time.monotonic() - started
    busy = "Hệ thống đang bận, vui lòng thử lại sau giây lát" in response.content.decode()
    return {"status": response.status_code, "seconds": round(took, 3), "busy": busy, "at": started}


def _save_in_child(job_id: int, times) -> None:
    from imports.models import ImportJob
    from imports.services import run_commit

    times.put(time.monotonic())
    run_commit(ImportJob.objects.select_related("created_by").get(pk=job_id))
    times.put(time.monotonic())


def import_while_saving(rows: int) -> dict:
    from django.core.files.base import ContentFile
    from django.db import connections

    from accounts.models import User
    from audit.models import AuditEntry
    from imports.models import ImportJob, JobStatus
    from imports.services import run_preview

    importer, other, commune = _officers()
    job = ImportJob.objects.create(
        kind="accounts", file=ContentFile(_accounts_file(rows), "tk.xlsx"), original_name="tk.xlsx", created_by=importer
    )
    started = time.monotonic()
    run_preview(job)
    job.refresh_from_db()
    check_seconds = time.monotonic() - started
    assert job.status == JobStatus.PREVIEWED, (job.status, job.message, job.errors[:3])
    job.status = JobStatus.COMMITTING
    job.save(update_fields=["status"])
    client = _logged_in(other)

    # The save runs in a process of its own, as the worker runs it (a forked child, core.limits), while
    # this process is the other officer's web server.
    connections.close_all()
    times = multiprocessing.get_context("fork").Queue()
    saver = multiprocessing.get_context("fork").Process(target=_save_in_child, args=(job.pk, times))
    saver.start()
    started = times.get(timeout=60)
    others = []
    n = 0
    while saver.is_alive() or n == 0:
        n += 1
        others.append(_create_account(client, f"khac.{n:03d}", commune.code))
        time.sleep(0.05)
    saver.join()
    save = {"start": started, "end": times.get(timeout=60)}
    job.refresh_from_db()
    during = [o for o in others if save["start"] <= o["at"] <= save["end"]]
    return {
        "rows": rows,
        "check_seconds": round(check_seconds, 2),
        "save_seconds": round(save["end"] - save["start"], 2),
        "job_status": job.status,
        "job_message": job.message,
        "created": User.objects.filter(username__startswith="xem.").count(),
        "create_entries": AuditEntry.objects.filter(action="account.create", source=job.audit_source).count(),
        "others": [{k: v for k, v in o.items() if k != "at"} for o in others],
        "others_during_save": len(during),
        "others_saved": User.objects.filter(username__startswith="khac.").count(),
    }


def locked_past_the_timeout() -> dict:
    from django.conf import settings
    from django.db import connections, transaction
    from django.urls import reverse

    from accounts.models import ApiToken, User
    from imports.models import ImportJob
    from imports.services import import_job_heartbeat

    importer, other, commune = _officers()
    job = ImportJob.objects.create(kind="accounts", file="tk.xlsx", original_name="tk.xlsx", created_by=importer)
    client = _logged_in(other)
    holding, done = threading.Event(), threading.Event()

    def hold_the_lock():
        try:
            with transaction.atomic():  # BEGIN IMMEDIATE: the write lock, until the block ends
                holding.set()
                done.wait(timeout=60)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    holding.wait()
    page = _create_account(client, "khac.khoa", commune.code)
    page_response = client.post(reverse("accounts:create"), {"username": "khac.khoa2", "role": "viewer"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.post(reverse("accounts:create"), {"username": "khac.khoa3", "role": "viewer"})
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    token = client.post(reverse("api-token"), {"username": "c.busy", "password": "busy-password-1"})
    import_job_heartbeat(job.pk)  # the worker beating for a job whose save holds the lock: skipped, not fatal
    done.set()
    holder.join()
    connections.close_all()
    return {
        "busy_seconds": settings.DATABASES["default"]["OPTIONS"]["timeout"],
        "page": {k: v for k, v in page.items() if k != "at"},
        "page_retry_after": page_response.get("Retry-After"),
        "page_has_way_back": 'href="/' in page_response.content.decode(),
        "english": english.content.decode(),
        "english_status": english.status_code,
        "api_status": token.status_code,
        "api_type": token.get("Content-Type"),
        "api_body": token.content.decode(),
        "written": User.objects.filter(username__startswith="khac.").count() + ApiToken.objects.count(),
        "heartbeat_written": ImportJob.objects.get(pk=job.pk).heartbeat_at is not None,
    }


if __name__ == "__main__":
    mode, database = sys.argv[1], sys.argv[2]
    _setup(database)
    if mode == "import":
        result = import_while_saving(int(sys.argv[3]))
    else:
        result = locked_past_the_timeout()
    print(json.dumps(result, ensure_ascii=False))
