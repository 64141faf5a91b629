"""Two versions of a province's template put in use at the same moment (two officers, or one who
clicked twice on two versions): each activation waits for the other, the later one stays in use, and
neither meets an error page. Had each locked only the version it read in use, the second would wait
on it, find it taken out of use once the first committed, skip it and break the one-version-in-use
rule (an IntegrityError page): the province's row is what makes them wait for each other.

The first activation is held open inside a transaction while the second starts, so the window is met
every run. Threads on their own connections commit for real: the database is emptied afterwards."""

import io
import threading

import docx
import pytest
from django.db import connection, connections, transaction

from accounts.models import User
from accounts.roles import Role
from areas.loader import load_administrative_units
from areas.models import AdministrativeUnit, Tree
from documents import template_services
from documents.template_models import DocumentTemplate

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="writers in parallel need PostgreSQL's row locks"),
]


def _template_file() -> bytes:
    word = docx.Document()
    for text in ("HỘI KHUYẾN HỌC TỈNH THÁI NGUYÊN", "{{ place }}, {{ date }}", "BÁO CÁO {{ subject }}", "{{ body }}"):
        word.add_paragraph(text)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


@pytest.fixture
def versions(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    if not AdministrativeUnit.objects.exists():
        load_administrative_units()
    province = AdministrativeUnit.objects.get(tree=Tree.Y2025, code="19")
    officer = User.objects.create_user("p.thainguyen.race", password="x", role=Role.PROVINCE_OFFICER, unit=province)
    made = [
        template_services.template_upload(
            actor=officer, province=province, kind="review", name=f"mau-{n}.docx", data=_template_file()
        )
        for n in (1, 2, 3)
    ]
    template_services.template_activate(actor=officer, template=made[0])
    return officer, made


def test_two_versions_put_in_use_at_once_the_later_stays_in_use(versions):
    officer, (first, second, third) = versions
    held, outcome = threading.Event(), {}

    def activate(name, template, *, hold):
        try:
            with transaction.atomic():
                template_services.template_activate(actor=User.objects.get(pk=officer.pk), template=template)
                if hold:  # the first officer's request has not answered yet when the second's begins
                    held.set()
                    threading.Event().wait(0.5)
            outcome[name] = "in use"
        except Exception as error:  # reported by the assertion rather than lost in the thread
            outcome[name] = repr(error)
        finally:
            held.set()
            connections.close_all()

    earlier = threading.Thread(target=activate, args=("second", second), kwargs={"hold": True})
    earlier.start()
    held.wait(30)
    later = threading.Thread(target=activate, args=("third", third), kwargs={"hold": False})
    later.start()
    earlier.join(60)
    later.join(60)
    assert outcome == {"second": "in use", "third": "in use"}
    in_use = DocumentTemplate.objects.filter(province=first.province, kind="review", is_active=True)
    assert list(in_use.values_list("version", flat=True)) == [3]
