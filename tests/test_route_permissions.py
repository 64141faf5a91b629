"""Every route, every persona: who may read and who may write (issue 16).

The routes are not listed by hand: they are discovered from Django's URL resolver (pages and the API
router alike), and `test_every_route_has_its_row` fails when a route has no row in ROUTES — a new
route cannot escape the matrix — or when a row names a route that no longer exists. The rows are in
tests/route_expectations/, one module per Django app.

Each row says, per persona (in the order of PERSONAS), what a request answers:
  ok     2xx or 3xx (a write: also 400 or 409, refused by validation or as stale, never by permission)
  login  the login page (302 to it) or the API's 401 / 403 for a caller without credentials
  403    inside the persona's area but not for their role
  404    outside the persona's area (its existence is not confirmed)
  405    the method is not offered
Its targets are records of the persona world: `own` lies in Phường Bắc Kạn (the commune officer's
commune, the village officer's village), `other` in Xã Đức Xuân (another commune of the same
province) and `far` in another province. A method a row does not name must not be accepted by any
persona. A refused write leaves no new audit entry, and no request anywhere answers 500.
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts import tokens
from accounts.models import User
from accounts.roles import Role
from areas import services as area_services
from areas.models import AdministrativeUnit, AreaClass, AreaClassMembership, Tree
from audit.models import AuditEntry
from conftest import PASSWORD, unit
from criteria.tests.helpers import completed_household_set
from documents.models import Document
from documents.template_models import DocumentTemplate
from evaluations import rules
from evaluations import services as evaluation_services
from evaluations.models import ApproverRule
from imports.models import ImportJob
from registry import network, network_units
from registry import services as registry_services
from registry.citizens import citizen_create
from stats import reports
from stats import services as stats_services
from stats import targets as stats_targets
from stats.tests.conftest import approved, published

from .route_expectations import ROUTES

PERSONAS = [
    "province_officer",
    "other_province_officer",
    "district_officer",
    "commune_officer",
    "other_commune_officer",
    "village_officer",
    "viewer",
    "anonymous",
]
API_WRITES = ("post", "put", "patch", "delete")
PAGE_WRITES = ("post",)
OTHER_PROVINCE = "04"  # Cao Bằng on the 2025 tree
pytestmark = pytest.mark.django_db


def discovered_routes(resolver=None, namespace="", prefix=""):
    """(name, pattern) of every route the project answers, namespaces included; an unnamed route is
    named by its pattern."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from discovered_routes(entry, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            yield (f"{namespace}{entry.name}" if entry.name else f"/{pattern}", pattern)


# ---------------------------------------------------------------------------------------------------------
# The persona world, made once for the module and rolled back at its end.


def _account(username, role, *, tree=None, code=None, village=None):
    return User.objects.create_user(
        username,
        password=PASSWORD,
        role=role,
        unit=unit(tree, code) if code else None,
        village=village,
        full_name=username,
    )


def _build_world():
    from django.conf import settings

    year = settings.KHUYENHOC_REFORM_YEAR
    admin = User.objects.create_user("sysadmin.matrix", password=PASSWORD, role=Role.SYSTEM_ADMIN)
    song_cau = unit(Tree.PRE_2025, "01837")
    backan, ducxuan = unit(Tree.Y2025, "01843"), unit(Tree.Y2025, "01840")
    far_commune = AdministrativeUnit.objects.filter(tree=Tree.Y2025, parent__code=OTHER_PROVINCE).order_by("code")[0]
    own_v = area_services.village_create(
        actor=admin, commune=song_cau, name="Tổ dân phố 1", kind="residential_group", from_year=2016
    )
    own_v2 = area_services.village_create(
        actor=admin, commune=song_cau, name="Tổ dân phố 2", kind="residential_group", from_year=2016
    )
    area_services.villages_move(actor=admin, villages=[own_v, own_v2], commune=backan, from_year=year)
    other_v = area_services.village_create(
        actor=admin, commune=ducxuan, name="Thôn Khác", kind="village", from_year=year
    )
    far_v = area_services.village_create(actor=admin, commune=far_commune, name="Bản Xa", kind="hamlet", from_year=year)
    personas = {
        "province_officer": _account("m.p.thainguyen", Role.PROVINCE_OFFICER, tree=Tree.Y2025, code="19"),
        "other_province_officer": _account("m.p.caobang", Role.PROVINCE_OFFICER, tree=Tree.Y2025, code=OTHER_PROVINCE),
        "district_officer": _account("m.d.bachthong", Role.DISTRICT_OFFICER, tree=Tree.PRE_2025, code="058"),
        "commune_officer": _account("m.c.backan", Role.COMMUNE_OFFICER, tree=Tree.Y2025, code="01843"),
        "other_commune_officer": _account("m.c.ducxuan", Role.COMMUNE_OFFICER, tree=Tree.Y2025, code="01840"),
        "village_officer": _account("m.v.songcau1", Role.VILLAGE_OFFICER, village=own_v),
        "viewer": _account("m.viewer.thainguyen", Role.VIEWER, tree=Tree.Y2025, code="19"),
        "anonymous": None,
    }
    officer = personas["commune_officer"]
    households = {
        place: registry_services.household_create(actor=admin, village=v, head_name=f"Chủ hộ {place}", members=4)
        for place, v in (("own", own_v), ("other", other_v), ("far", far_v))
    }
    citizens = {
        place: citizen_create(actor=admin, village=v, full_name=f"Công dân {place}", birth_year=1980, sex="Nữ")
        for place, v in (("own", own_v), ("other", other_v), ("far", far_v))
    }
    clans = {
        place: registry_services.clan_save(
            actor=admin,
            clan=None,
            commune=commune,
            name=f"Dòng họ {place}",
            head_name="",
            member_households=5,
            has_board=False,
            villages=[],
        )
        for place, commune in (("own", backan), ("other", ducxuan), ("far", far_commune))
    }
    organisations = {
        place: registry_services.organisation_save(
            actor=admin, organisation=None, name=f"Trường {place}", kind="school", managing_level="commune", area=c
        )
        for place, c in (("own", backan), ("other", ducxuan), ("far", far_commune))
    }
    household_set = completed_household_set(admin)
    evaluation = approved(officer, household_set, households["own"], year)
    decision = published(officer, [evaluation], year=year, area=("2025", "01843"))
    draft = evaluation_services.evaluation_register(
        actor=officer, title="household", year=year + 1, subject=households["own"], criteria_set=household_set
    )
    node = household_set.nodes.filter(kind="criterion").order_by("pk").first() or household_set.nodes.first()
    evidence = evaluation_services.evidence_add(
        actor=officer,
        evaluation=draft,
        version=draft.version,
        node=node,
        file=SimpleUploadedFile("minh-chung.pdf", b"%PDF-1.4 minh chung"),
    )
    association = network.association_create(actor=admin, level="commune", area=backan, name="Hội Khuyến học")
    association_year = network.association_year_save(
        actor=admin, association=association, year=year, **dict.fromkeys(network.ASSOCIATION_YEAR_FIELDS, 1)
    )
    network_unit = network_units.network_unit_save(
        actor=admin, association=association, kind="school_board", name="Ban khuyến học trường", opened_year=year
    )
    area_year = network.area_year_save(actor=admin, area=backan, year=year, population=1000)
    area_class = AreaClass.objects.order_by("pk").first()
    area_services.area_class_memberships_add(actor=admin, area_class=area_class, year=year, units=[backan])
    membership = AreaClassMembership.objects.get(area_class=area_class, unit=backan, year=year)
    rule = ApproverRule.objects.order_by("pk").first()  # the shipped rules
    deadline = rules.deadline_save(
        actor=admin, title="household", year=year, kind="registration", due=datetime.date(year, 12, 31)
    )
    entered = stats_services.aggregate_save(
        actor=officer, year=year, title="household", measure="registered", value=3, unit=backan
    )
    target = stats_targets.target_save(
        actor=personas["province_officer"], title="household", year=2030, percent=80, area=unit(Tree.Y2025, "19")
    )
    report = reports.year_report_submit(actor=officer, commune=backan, year=year)
    job = ImportJob.objects.create(
        kind="households", file=SimpleUploadedFile("ho.csv", b"a"), original_name="ho.csv", created_by=officer
    )
    token, _key = tokens.token_issue(actor=officer, account=officer, name="máy tính")
    award_nomination, award_decision = _award_world(officer, households["own"])
    document = Document.objects.create(
        kind="workbook", area=backan, tree="2025", first_year=year, last_year=year, requested_by=officer, status="done"
    )
    document.file.save("bao-cao.xlsx", ContentFile(b"PK"), save=True)
    doc_template = DocumentTemplate(
        province=unit(Tree.Y2025, "19"), kind="review", version=1, original_name="mau.docx", checksum="0" * 64
    )
    doc_template.file.save("mau.docx", ContentFile(b"PK"), save=True)
    return {
        "year": year,
        "far_commune": far_commune,
        "personas": personas,
        "villages": {"own": own_v, "other": other_v, "far": far_v},
        "households": households,
        "citizens": citizens,
        "clans": clans,
        "organisations": organisations,
        "criteria_set": household_set,
        "node": node,
        "band_pk": household_set.bands.order_by("pk").values_list("pk", flat=True).first() or 0,
        "evaluation": evaluation,
        "draft": draft,
        "evidence": evidence,
        "decision": decision,
        "association": association,
        "association_year": association_year,
        "network_unit": network_unit,
        "area_year": area_year,
        "membership": membership,
        "rule": rule,
        "deadline": deadline,
        "entered": entered,
        "target": target,
        "report": report,
        "job": job,
        "token": token,
        "document": document,
        "doc_template": doc_template,
        "award_nomination": award_nomination,
        "award_decision": award_decision,
    }


def _award_world(officer, household):
    """A nomination of the own household for the commune's certificate of merit, selected and listed in a
    draft award decision of the commune."""
    from awards import decisions as award_decisions
    from awards import services as award_services
    from awards.models import AwardKind

    kind = AwardKind.objects.get(issuer_level=3)
    nomination = award_services.nomination_create(
        actor=officer,
        area=officer.unit,
        kind=kind,
        recipient="household",
        record=household,
        person_name="",
        person_village=None,
        first_year=2025,
        last_year=2025,
        reason="Gương mẫu",
        achievements="Gia đình học tập",
    )
    award_services.nomination_submit(nomination=nomination, actor=officer)
    award_services.nomination_select(nomination=nomination, actor=officer)
    decision = award_decisions.award_decision_create(
        actor=officer,
        kind=kind,
        issuing_area=officer.unit,
        nominations=[nomination],
        number="1/QĐ-HKH",
        date=datetime.date(2025, 12, 1),
        issuing_body="Hội Khuyến học phường Bắc Kạn",
        signer="Nguyễn Văn A",
        signer_title="Chủ tịch",
    )
    return nomination, decision


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            built = _build_world()
            yield built
            transaction.set_rollback(True)


def _places(make):
    return {place: make(place) for place in ("own", "other", "far")}


def targets(w) -> dict:
    """The URL keyword arguments of each route, per target; a route missing here takes none."""
    year = w["year"]
    units = {"own": ("2025", "01843"), "other": ("2025", "01840"), "far": ("2025", w["far_commune"].code)}
    unit_kwargs = {p: {"tree": t, "code": c} for p, (t, c) in units.items()}
    criteria = {"pk": w["criteria_set"].pk}
    commune = w["personas"]["commune_officer"].pk
    return {
        "accounts:token_revoke": {"own": {"token_pk": w["token"].pk}},
        "accounts:import_credentials": {"own": {"job": w["job"].pk}},
        "accounts:edit": {"own": {"pk": commune}},
        "accounts:reset_password": {"own": {"pk": commune}},
        "accounts:account_tokens": {"own": {"pk": commune}},
        "accounts:account_token_revoke": {"own": {"pk": commune, "token_pk": w["token"].pk}},
        "areas:area_class_remove": {"own": {"pk": w["membership"].pk}},
        "areas:village": _places(lambda p: {"code": w["villages"][p].code}),
        "areas:village_edit": _places(lambda p: {"code": w["villages"][p].code}),
        "areas:unit": unit_kwargs,
        "areas:share": {"far": {"code": "00007"}},
        "areas:share_clear": {"far": {"code": "00007"}},
        "areas:village_create": unit_kwargs,
        "areas:villages_move": unit_kwargs,
        "registry:household_export": {"own": {"file_format": "csv"}},
        "registry:household": _places(lambda p: {"code": w["households"][p].code}),
        "registry:citizen_export": {"own": {"file_format": "csv"}},
        "registry:citizen": _places(lambda p: {"code": w["citizens"][p].code}),
        "registry:clan_export": {"own": {"file_format": "csv"}},
        "registry:clan": _places(lambda p: {"code": w["clans"][p].code}),
        "registry:organisation_export": {"own": {"file_format": "csv"}},
        "registry:organisation": _places(lambda p: {"code": w["organisations"][p].code}),
        "registry:network": unit_kwargs,
        "registry:bring_over": unit_kwargs,
        "registry:network_units": {"own": {"association_pk": w["association"].pk}},
        "registry:network_unit_create": {"own": {"association_pk": w["association"].pk}},
        "registry:network_unit": {"own": {"pk": w["network_unit"].pk}},
        "registry:network_export": {
            p: {**k, "what": "area-years", "file_format": "csv"} for p, k in unit_kwargs.items()
        },
        "criteria:detail": {"own": criteria},
        "criteria:copy": {"own": criteria},
        "criteria:export_yaml": {"own": criteria},
        "criteria:export_xlsx": {"own": criteria},
        "criteria:edit": {"own": criteria},
        "criteria:node_create": {"own": criteria},
        "criteria:node": {"own": {**criteria, "node_pk": w["node"].pk}},
        "criteria:node_delete": {"own": {**criteria, "node_pk": w["node"].pk}},
        "criteria:node_move": {"own": {**criteria, "node_pk": w["node"].pk}},
        "criteria:band_create": {"own": criteria},
        "criteria:band": {"own": {**criteria, "band_pk": w["band_pk"]}},
        "criteria:band_delete": {"own": {**criteria, "band_pk": w["band_pk"]}},
        "evaluations:grid": _places(lambda p: {"village_code": w["villages"][p].code, "year": year}),
        "evaluations:detail": {"own": {"pk": w["evaluation"].pk}},
        "evaluations:subject_recognitions": {"own": {"title": "household", "code": w["households"]["own"].code}},
        "evaluations:evidence": {"own": {"pk": w["draft"].pk, "evidence_pk": w["evidence"].pk}},
        "evaluations:decision": {"own": {"pk": w["decision"].pk}},
        "documents:for_decision": {"own": {"pk": w["decision"].pk}},
        "evaluations:decision_edit": {"own": {"pk": w["decision"].pk}},
        "evaluations:decision_publish": {"own": {"pk": w["decision"].pk}},
        "evaluations:decision_revoke": {"own": {"pk": w["decision"].pk}},
        "evaluations:approver_rule": {"own": {"pk": w["rule"].pk}},
        "evaluations:approver_rule_delete": {"own": {"pk": w["rule"].pk}},
        "evaluations:deadline": {"own": {"pk": w["deadline"].pk}},
        "evaluations:deadline_delete": {"own": {"pk": w["deadline"].pk}},
        "stats:entered_delete": {"own": {"pk": w["entered"].pk}},
        "stats:target_delete": {"own": {"pk": w["target"].pk}},
        "stats:report_accept": {"own": {"pk": w["report"].pk}},
        "stats:report_return": {"own": {"pk": w["report"].pk}},
        "imports:job": {"own": {"pk": w["job"].pk}},
        "imports:commit": {"own": {"pk": w["job"].pk}},
        "imports:new": {"own": {"kind": "households"}},
        "imports:template": {"own": {"kind": "households"}},
        "unit-detail": {p: {"key": f"{t}:{c}"} for p, (t, c) in units.items()},
        **{f"village-{a}": _places(lambda p: {"code": w["villages"][p].code}) for a in ("detail", "history", "move")},
        **{
            f"{kind}-{action}": _places(lambda p, kind=kind: {"code": w[f"{kind}s"][p].code})
            for kind in ("household", "citizen", "clan", "organisation")
            for action in ("detail", "history")
        },
        **{
            f"{kind}-merge": _places(lambda p, kind=kind: {"code": w[f"{kind}s"][p].code})
            for kind in ("household", "clan")
        },
        **{f"association-{a}": {"own": {"pk": w["association"].pk}} for a in ("detail", "history", "close")},
        **{f"association-year-{a}": {"own": {"pk": w["association_year"].pk}} for a in ("detail", "history")},
        **{f"area-year-{a}": {"own": {"pk": w["area_year"].pk}} for a in ("detail", "history")},
        "criteria-set-detail": {"own": criteria},
        **{
            f"evaluation-{a}": {"own": {"pk": w["evaluation"].pk}}
            for a in ("detail", "adjust", "approve", "history", "marks", "return", "submit", "unlock")
        },
        **{f"decision-{a}": {"own": {"pk": w["decision"].pk}} for a in ("detail", "history", "publish", "revoke")},
        **{f"document-{a}": {"own": {"pk": w["document"].pk}} for a in ("detail", "download")},
        **{
            f"awards:nomination{a}": {"own": {"pk": w["award_nomination"].pk}}
            for a in ("", "_edit", "_submit", "_return", "_select", "_reject")
        },
        **{
            f"awards:decision{a}": {"own": {"pk": w["award_decision"].pk}} for a in ("", "_edit", "_publish", "_revoke")
        },
        "awards:kind": {"own": {"pk": w["award_decision"].kind_id}},
        "documents:award_print": {"own": {"pk": w["award_decision"].pk}},
        **{
            f"award-nomination-{a}": {"own": {"pk": w["award_nomination"].pk}}
            for a in ("detail", "history", "submit", "return", "select", "reject")
        },
        **{
            f"award-decision-{a}": {"own": {"pk": w["award_decision"].pk}}
            for a in ("detail", "history", "publish", "revoke")
        },
        **{f"documents:{a}": {"own": {"pk": w["document"].pk}} for a in ("detail", "download")},
        "documents:templates_province": {"own": {"tree": "2025", "code": "19"}},
        "documents:template_upload": {"own": {"tree": "2025", "code": "19", "kind": "review"}},
        "documents:template_shipped": {"own": {"tree": "2025", "code": "19", "kind": "review"}},
        **{
            f"documents:{a}": {"own": {"pk": w["doc_template"].pk}}
            for a in ("template", "template_file", "template_activate", "template_deactivate")
        },
        # A certificate's public check, with a code no certificate holds (the page itself: portal/tests).
        "portal:certificate": {"own": {"token": "AAAAAAAAAAAAAAAAAAAAAA"}},
    }


def outcome(response, write: bool) -> str:
    code = response.status_code
    if code == 500:
        return "500"
    location = response.get("Location", "")
    if code == 302 and reverse("accounts:login") in location.split("?")[0]:
        return "login"
    if code < 400 or (write and code in (400, 409)):
        return "ok"
    return str(code)


def ask(client, method, url, *, api):
    """One request, its changes rolled back so that the next persona meets the same world."""
    with transaction.atomic():
        before = AuditEntry.objects.count()
        kwargs = {"content_type": "application/json", "data": "{}"} if api and method != "get" else {}
        response = getattr(client, method)(url, **kwargs)
        written = AuditEntry.objects.count() - before
        transaction.set_rollback(True)
    return response, written


def probe(client, w, name, kwargs):
    api = ":" not in name and not name.startswith("/") and name not in ("set_language",)
    url = name if name.startswith("/") else reverse(name, kwargs=kwargs)
    result = {}
    for method in ("get", *(API_WRITES if api else PAGE_WRITES)):
        row = []
        for persona in PERSONAS:
            client.logout()
            if w["personas"][persona] is not None:
                client.force_login(w["personas"][persona])
            response, written = ask(client, method, url, api=api)
            row.append((outcome(response, method != "get"), written))
        result[method] = row
    return result


def _cases():
    return [pytest.param(name, place, id=f"{name}-{place}") for name, places in ROUTES.items() for place in places]


def test_every_route_has_its_row():
    """A route added without a row in the matrix fails here, and so does a row whose route is gone."""
    discovered = {name for name, _pattern in discovered_routes()}
    assert sorted(discovered - ROUTES.keys()) == [], "routes without a row in ROUTES"
    assert sorted(ROUTES.keys() - discovered) == [], "rows in ROUTES for routes that no longer exist"


def test_every_target_has_its_arguments(world):
    """Each row's targets are the targets the world provides for that route."""
    provided = targets(world)
    for name, places in ROUTES.items():
        assert set(places) == set(provided.get(name, {"-": {}})), name


@pytest.mark.parametrize("name, place", _cases())
def test_who_may_read_and_write(world, client, name, place):
    kwargs = targets(world).get(name, {"-": {}})[place]
    observed = probe(client, world, name, kwargs)
    expected = ROUTES[name][place]
    wrong = []
    for method, row in observed.items():
        outcomes = [o for o, _written in row]
        assert "500" not in outcomes, (
            f"{method.upper()} answered 500 for {[PERSONAS[i] for i, o in enumerate(outcomes) if o == '500']}"
        )
        if method in expected:
            if " ".join(outcomes) != expected[method]:
                wrong.append((method, expected[method], " ".join(outcomes)))
        else:
            accepted = [PERSONAS[i] for i, o in enumerate(outcomes) if o == "ok"]
            assert accepted == [], f"{method.upper()} is not in the matrix but {accepted} had it accepted"
        if method != "get":
            changed = [PERSONAS[i] for i, (o, written) in enumerate(row) if o != "ok" and written]
            assert changed == [], f"a refused {method.upper()} still wrote an audit entry for {changed}"
    assert wrong == [], f"(method, expected, observed) in the order of {PERSONAS}"
