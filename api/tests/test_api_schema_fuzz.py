"""The API keeps its own schema, whatever a client sends: schemathesis, given only the schema the API
serves and the token of a province officer or of a commune officer, generates requests for every
operation (valid ones, and invalid ones the schema rules out) and each answer must be

- no server error (no 500),
- a status code, a content type and a body that the schema documents for that operation (errors too:
  400/401/403/404/405/409 with the error body), no field null where the schema says it cannot be,
- an error whose messages are in the caller's language: Vietnamese by default, English when the
  request says `Accept-Language: en`.

Requests also name real records (a household, a clan, an evaluation…) so that answers about existing
records are read too. Examples are bounded per operation and derandomised (the suite's Hypothesis
profile), so the run is the same each time."""

import datetime
import json
import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.tokens import token_issue
from conftest import unit
from evaluations import decisions
from evaluations import services as evaluation_services
from evaluations.tests.conftest import FULL_MARKS, household_set  # noqa: F401  (the completed household set)
from registry import network, services

from .clients import api_for

pytestmark = pytest.mark.django_db

EXAMPLES = 6  # per operation, persona and kind of request: the whole run stays within a minute or two
PERSONAS = ["province_officer", "commune_officer"]
LANGUAGES = [None, "vi", "en", "en-US,en;q=0.9", "vi-VN,vi;q=0.9,en;q=0.5"]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# Letters only Vietnamese writes (with their capitals): a Vietnamese sentence has some, an English one none.
VIETNAMESE_LETTERS = re.compile("[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE)
# What a message quotes from the request (the value refused) is the caller's, in any language.
QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|'[^']*'|«[^»]*»")


def live_schema() -> dict:
    """The schema as the API serves it at /api/v1/openapi.json (the same generator)."""
    return SchemaGenerator().get_schema(request=None, public=True)


SCHEMA = schemathesis.openapi.from_dict(json.loads(json.dumps(live_schema(), default=str)))
OPERATIONS = {f"{op.method.upper()} {op.path}": op for op in (result.ok() for result in SCHEMA.get_all_operations())}


@pytest.fixture
def application():
    """Django's WSGI application answering in the test's transaction (as the test client does, the
    connection is not closed between requests)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def records(personas, villages, household_set, reform_year):  # noqa: F811
    """One record of each resource in Phường Bắc Kạn (the commune officer's commune), by the services."""
    officer = personas["commune_officer"]
    commune = unit("2025", "01843")
    household = services.household_create(
        actor=officer, village=villages["song_cau_1"], head_name="Hoàng Văn An", members=4
    )
    clan = services.clan_save(
        actor=officer,
        clan=None,
        commune=commune,
        name="Họ Hoàng",
        head_name="",
        member_households=42,
        has_board=False,
        villages=[villages["song_cau_1"]],
    )
    organisation = services.organisation_save(
        actor=officer, organisation=None, name="Công ty Chè", kind="enterprise", managing_level="commune", area=commune
    )
    association = network.association_create(actor=officer, level="commune", area=commune, name="Hội Khuyến học")
    association_year = network.association_year_save(
        actor=officer,
        association=association,
        year=reform_year,
        **dict.fromkeys(network.ASSOCIATION_YEAR_FIELDS, 3),
    )
    area_year = network.area_year_save(actor=officer, area=commune, year=reform_year, population=8000)
    register = evaluation_services.evaluation_register
    head = personas["village_officer"]
    evaluation = register(
        actor=head, title="household", year=reform_year, subject=household, criteria_set=household_set
    )
    neighbour = services.household_create(
        actor=officer, village=villages["song_cau_1"], head_name="Lục Thị Mai", members=3
    )
    approved = register(actor=head, title="household", year=reform_year, subject=neighbour, criteria_set=household_set)
    approved = evaluation_services.evaluation_marks_save(
        actor=personas["village_officer"], evaluation=approved, version=approved.version, marks=FULL_MARKS
    )
    approved = evaluation_services.evaluation_submit(
        actor=personas["village_officer"], evaluation=approved, version=approved.version
    )
    approved = evaluation_services.evaluation_approve(actor=officer, evaluation=approved, version=approved.version)
    return {
        "/api/v1/households/{code}/": {"code": household.code},
        "/api/v1/clans/{code}/": {"code": clan.code},
        "/api/v1/organisations/{code}/": {"code": organisation.code},
        "/api/v1/associations/{id}/": {"id": association.pk},
        "/api/v1/association-years/{id}/": {"id": association_year.pk},
        "/api/v1/area-years/{id}/": {"id": area_year.pk},
        "/api/v1/evaluations/{id}/": {"id": evaluation.pk},
        "/api/v1/criteria-sets/{id}/": {"id": household_set.pk},
        "/api/v1/units/{key}/": {"key": "2025:01843"},
        "/api/v1/villages/{code}/": {"code": villages["song_cau_1"].code},
        "/api/v1/decisions/{id}/": {"id": _decision(personas, approved, reform_year).pk},
    }


def _decision(personas, evaluation, year):
    """A draft decision of the commune recognising the approved evaluation."""
    return decisions.decision_create(
        actor=personas["commune_officer"],
        title="household",
        year=year,
        issuing_area=unit("2025", "01843"),
        number="12/QĐ-UBND",
        date=datetime.date(year, 11, 28),
        issuing_body="UBND phường Bắc Kạn",
        signer="Nguyễn Văn Bình",
        legal_basis="",
        evaluations=[evaluation],
    )


def known_path(records, path: str) -> dict | None:
    """The path parameters of a real record for an operation on one record (or one of its actions)."""
    for prefix, parameters in records.items():
        if path.startswith(prefix.rsplit("/", 2)[0] + "/{"):
            return parameters
    return None


def messages_of(body) -> list[str]:
    if isinstance(body, str):
        return [body]
    if isinstance(body, list):
        return [message for item in body for message in messages_of(item)]
    if isinstance(body, dict):
        return [message for item in body.values() for message in messages_of(item)]
    return []


def language_fault(language: str | None, response) -> str | None:
    """Why the error's messages are not in the language asked for (None when they are)."""
    if response.status_code < 400 or "json" not in response.headers.get("content-type", [""])[0]:
        return None
    english = language is not None and language.startswith("en")
    for message in messages_of(response.json()):
        own_words = QUOTED.sub("", message)
        if english and VIETNAMESE_LETTERS.search(own_words):
            return f"Vietnamese in an English answer: {message!r}"
        if not english and not VIETNAMESE_LETTERS.search(message):
            return f"not in Vietnamese: {message!r}"
    return None


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_every_operation_keeps_its_schema_for_two_roles(operation, personas, records, application):
    api_operation = OPERATIONS[operation]
    tokens = {name: token_issue(actor=personas[name], account=personas[name])[1] for name in PERSONAS}
    strategies = [
        api_operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        api_operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    ]
    known = known_path(records, api_operation.path)
    if known is not None:
        strategies.append(api_operation.as_strategy(generation_mode=GenerationMode.POSITIVE, path_parameters=known))
    faults = []

    for strategy in strategies:

        @settings(
            max_examples=EXAMPLES,
            phases=[Phase.explicit, Phase.generate],  # every fault is collected below, none is shrunk
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy, persona=st.sampled_from(PERSONAS), language=st.sampled_from(LANGUAGES))
        def run(case, persona, language):
            headers = {"Authorization": f"Token {tokens[persona]}"}
            if language is not None:
                headers["Accept-Language"] = language
            response = case.call(app=application, headers=headers)
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except FailureGroup as failure:
                faults.append(f"{persona}, {language}: {failure}")
            fault = language_fault(language, response)
            if fault is not None:
                faults.append(f"{persona}, {language}: {case.method} {case.formatted_path} {fault}")

        try:
            run()
        except Unsatisfiable:
            # Only a free string to send (a record's code in the path): no request the schema rules out.
            assert strategy is not strategies[0]

    assert not faults, "\n\n".join(faults[:10])


def test_the_fuzzed_schema_is_the_one_the_api_serves(personas):
    """The operations fuzzed above are those of /api/v1/openapi.json, with the same answers documented."""
    served = api_for(personas["commune_officer"]).get("/api/v1/openapi.json").json()
    fuzzed = json.loads(json.dumps(live_schema(), default=str))
    assert served["paths"].keys() == fuzzed["paths"].keys()
    for path, operations in served["paths"].items():
        for method, operation in operations.items():
            assert operation["responses"].keys() == fuzzed["paths"][path][method]["responses"].keys()
    assert served["components"]["schemas"].keys() == fuzzed["components"]["schemas"].keys()
