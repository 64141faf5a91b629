"""No request answers 500, whatever a person types into the address or a form (the guide: bad input
gets a clear error and changes nothing; no input crashes a page).

The routes are the permission matrix's (tests/route_expectations), with its world and targets. Three
probes, the first two as each persona who may open the page:
- every query parameter a page reads — found by recording what the view asks of `request.GET` — sent
  alone with each strange value, and twice over;
- every form the page shows, sent back as shown (selected options, hidden ids, filled values) but for
  one field replaced by each strange value, its writes rolled back;
- every route whose address holds a record's key or code, with each strange value in its place (as
  far as the route's pattern takes it), read and posted to, as an officer and anonymously.

The values are those a real address bar or a hand-edited form brings: words where numbers belong,
negative and fractional numbers, a number past every database integer, digits of another script,
impossible dates, markup, a very long text, nothing.
"""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.http import QueryDict
from django.urls import NoReverseMatch, reverse

from .route_expectations import ROUTES
from .test_route_permissions import PERSONAS, targets, world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

STRANGE = ["x", "-1", "1.5", "99999999999999999999", "２０２４", "2024-13-45", "31/02/2024", "'\"<>", "a" * 3000, ""]
# Who opens the pages: one persona per kind of area, and anonymous for the public ones.
PROBED = ["province_officer", "commune_officer", "village_officer", "anonymous"]
SKIPPED_ACTIONS = ("logout", "i18n")  # leaving the session or switching the language is not a page's form


def _cases():
    """(route, target, persona) for every page the persona may open."""
    cases = []
    for name, places in ROUTES.items():
        for place, expected in places.items():
            opened = expected.get("get", "").split()
            for persona in PROBED:
                if ":" in name and opened and opened[PERSONAS.index(persona)] == "ok":
                    cases.append(pytest.param(name, place, persona, id=f"{name}-{place}-{persona}"))
    return cases


def _send(client, method, url, data):
    with transaction.atomic():
        response = getattr(client, method)(url, data)
        transaction.set_rollback(True)
    return response.status_code


def _parameters_read(client, url, monkeypatch) -> set[str]:
    """The query parameters a page asks about when opened plainly."""
    asked = set()
    for method in ("get", "__getitem__", "getlist", "__contains__"):
        original = getattr(QueryDict, method)

        def recording(self, key, *args, _original=original, **kwargs):
            asked.add(key)
            return _original(self, key, *args, **kwargs)

        monkeypatch.setattr(QueryDict, method, recording)
    client.get(url)
    monkeypatch.undo()
    return {key for key in asked if isinstance(key, str) and key != "csrfmiddlewaretoken"}


class FormsShown(HTMLParser):
    """The forms of a page as a browser would send them untouched: [method, action, [(name, value)]],
    a value None for a box not ticked."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = [(attrs.get("method") or "get").lower(), attrs.get("action") or "", []]
            self.forms.append(self._form)
        elif self._form is None or (tag != "option" and not attrs.get("name")):
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                self._form[2].append([attrs["name"], None])
            elif kind not in ("submit", "button", "file", "image"):
                self._form[2].append([attrs["name"], attrs.get("value") or ""])
        elif tag == "select":
            self._select = [attrs["name"], None, None]  # name, selected, first
            self._form[2].append(self._select)
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            self._select[2] = value if self._select[2] is None else self._select[2]
            self._select[1] = value if "selected" in attrs else self._select[1]
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
            self._form[2].append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            self._select[1] = self._select[1] if self._select[1] is not None else self._select[2]
            self._select = None
        elif tag == "textarea":
            self._textarea = None


@pytest.fixture
def probe_client(client):
    client.raise_request_exception = False  # a 500 is counted, not raised, so that every case is seen
    return client


@pytest.mark.parametrize("name, place, persona", _cases())
def test_no_address_or_form_however_strange_answers_500(world, probe_client, monkeypatch, name, place, persona):  # noqa: F811
    client = probe_client
    if world["personas"][persona] is not None:
        client.force_login(world["personas"][persona])
    url = reverse(name, kwargs=targets(world).get(name, {"-": {}})[place])
    failed = []
    for parameter in sorted(_parameters_read(client, url, monkeypatch)):
        for value in STRANGE:
            if _send(client, "get", url, {parameter: value}) >= 500:
                failed.append(("address", parameter, value[:20]))
        if _send(client, "get", url, {parameter: ["1", "2"]}) >= 500:
            failed.append(("address", parameter, "twice"))
    page = client.get(url)
    shown = FormsShown()
    if page.status_code == 200 and "html" in page.get("Content-Type", ""):
        shown.feed(page.content.decode())
    for method, action, fields in shown.forms:
        target = urlsplit(urljoin(url, action))._replace(scheme="", netloc="").geturl() if action else url
        if any(skipped in target for skipped in SKIPPED_ACTIONS):
            continue
        as_shown = {}
        for field, value, *_first in fields:
            if value is not None:
                as_shown.setdefault(field, []).append(value)
        if _send(client, method, target, as_shown) >= 500:
            failed.append((target, "as shown", ""))
        for field in sorted({field for field, *_value in fields} - {"csrfmiddlewaretoken"}):
            for value in STRANGE:
                if _send(client, method, target, {**as_shown, field: value}) >= 500:
                    failed.append((target, field, value[:20]))
    assert failed == []


def _keyed_cases():
    return [
        pytest.param(name, place, id=f"{name}-{place}")
        for name, places in ROUTES.items()
        for place in places
        if not name.startswith("/")
    ]


@pytest.mark.parametrize("name, place", _keyed_cases())
def test_no_strange_key_in_an_address_answers_500(world, probe_client, name, place):  # noqa: F811
    client = probe_client
    keys = targets(world).get(name, {"-": {}})[place]
    failed = []
    for persona in ("province_officer", "anonymous"):
        client.logout()
        if world["personas"][persona] is not None:
            client.force_login(world["personas"][persona])
        for key in keys:
            for value in [*STRANGE, "2025:01843:9", "..", "Hà Nội"]:
                try:
                    url = reverse(name, kwargs={**keys, key: value})
                except NoReverseMatch:  # the pattern itself refuses it (a number where digits belong)
                    continue
                for method in ("get", "post"):
                    if _send(client, method, url, {}) >= 500:
                        failed.append((persona, method, key, value[:20]))
    assert failed == []
