"""Every page, as each role sees it, on a phone and on an office screen, in Vietnamese (issue 14).

The pages are not listed by hand: they are the page routes (not the API) that the URL resolver
knows, filled with the records of the route matrix's world (tests/test_route_permissions.py), and
each role walks those it may open (a 403, 404 or 405 is the matrix's business, not this walk's).
On each page, at 360 px and at 1366 px:
- no HTTP 500;
- no sideways scrolling (the document is no wider than the window);
- no English sentence of the catalogue: a msgid of three words or more whose Vietnamese translation
  differs from it, found whole in the visible text;
- no raw field name of a model (a snake_case name such as ``from_year``) in the visible text;
- no list whose empty choice reads as Django's "---------" (it says what to pick, or that none is);
- no table of fields to fill in that scrolls sideways inside its frame (on a phone such a table is one card
  per row), but the village meeting's grid, whose household column stays in view as its marks scroll;
- no serious or critical violation found by axe-core (the npm package, pinned in package.json,
  injected from node_modules by this test, not served by the site).
Each page's screenshot is kept under $KHUYENHOC_WALK_SCREENSHOTS (by default a new temporary folder,
printed at the end) for a person to look through, with report-<screen>.txt listing every problem found.
The walk runs on SQLite only. The office screen is walked from test_page_walk_office.py: a file of its
own, so that a second worker process walks it while this one walks the phone's.

Pages that fail for reasons outside this walk's owners are listed in EXPECTED_FAILURES with the
reason; an entry that no longer fails fails the walk too, so that the list only shrinks.
"""

import os
import re
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from accounts.models import User
from areas.loader import load_administrative_units
from conftest import put_back_what_migrations_bring
from criteria.models import CriteriaSet
from tests.route_expectations import ROUTES
from tests.test_route_permissions import PERSONAS, _build_world, targets

from .helpers import sideways_overflow

pytestmark = [
    pytest.mark.journey,
    pytest.mark.django_db(transaction=True),
    # CI runs the suite on SQLite and again on PostgreSQL; the pages are the same, so they are walked once.
    pytest.mark.skipif(
        "sqlite" not in settings.DATABASES["default"]["ENGINE"], reason="the page walk runs on SQLite only"
    ),
]

ROLES = ["system_admin", "province_officer", "district_officer", "commune_officer", "village_officer", "viewer"]
# KHUYENHOC_WALK_ROLES="commune_officer viewer" walks those roles only (while fixing their pages).
ROLES = os.environ.get("KHUYENHOC_WALK_ROLES", "").split() or ROLES
SCREENS = {"phone": {"width": 360, "height": 740}, "office": {"width": 1366, "height": 768}}
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"

# Routes that answer a file or a fragment of a page, not a page, or only act on a POST.
# (Files: exports, import templates and a document template's files, evidence, temporary passwords, a
# chart's CSV; fragments: a picker's or a search's list. The document templates' own pages are walked.)
NOT_PAGES = re.compile(
    r"export|imports:template$|template_(file|shipped|activate|deactivate)$|evidence|passwords|_csv$|_search$"
    r"|logout|set_language|token_revoke|_delete$|_remove$|commit$"
)
# A page no route names: the answer to an address that names nothing.
MISSING_PAGE = "/trang-khong-co/"

# (route name or address, check, screen) → why it fails today. Checks: "500", "scroll", "english",
# "field", "dashes", "fields", "axe". Kept as short as the others' work allows; the walk fails when an entry passes.
EXPECTED_FAILURES: dict[tuple[str, str, str], str] = {}


def english_sentences() -> list[str]:
    """The catalogue's English sentences (three words or more, no placeholder) whose Vietnamese differs."""
    catalogue = trans_real.translation("vi")._catalog
    sentences = set()
    for msgid, msgstr in catalogue.items():
        if not isinstance(msgid, str) or not msgstr or msgstr == msgid:
            continue
        if "%" in msgid or "{" in msgid or len(msgid.split()) < 3 or not msgid.isascii():
            continue
        sentences.add(msgid.strip())
    return sorted(sentences, key=len, reverse=True)


def field_keys() -> set[str]:
    """The models' field names that read as code (snake_case)."""
    return {
        field.name
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if "_" in field.name.strip("_") and not field.name.startswith("_")
    }


def pages(world) -> list[tuple[str, str, list[str]]]:
    """(name, address, the route matrix's answers per persona) of every page route, with the own
    target's arguments."""
    provided = targets(world)
    found = []
    for name, places in ROUTES.items():
        if ":" not in name or name.startswith("api") or NOT_PAGES.search(name):
            continue
        place = "own" if "own" in places else "-"
        answers = places.get(place, {}).get("get", "405").split()
        if set(answers) == {"405"}:
            continue
        found.append((name, reverse(name, kwargs=provided.get(name, {"-": {}})[place]), answers))
    found.append((MISSING_PAGE, MISSING_PAGE, ["404"] * len(PERSONAS)))
    return found


def opens(role: str, name: str, answers: list[str]) -> bool:
    """Whether the role opens the page: the matrix says so (the system administrator, who has no
    column there, tries every page); the missing page is opened by everyone."""
    if name == MISSING_PAGE or role not in PERSONAS:
        return True
    return answers[PERSONAS.index(role)] == "ok"


SPENT = Counter()  # seconds per step of the walk, printed at its end (the walk must stay under 8 minutes)


def walk_page(page, url) -> dict:
    """What the page shows: status, sideways overflow, visible text, axe's serious violations."""
    started = time.perf_counter()
    response = page.goto(url, wait_until="load")
    SPENT["open"] += time.perf_counter() - started
    seen = {"status": response.status if response else 0}
    if seen["status"] in (403, 404) and not url.endswith(MISSING_PAGE):
        return seen  # not this role's page after all (the system administrator tries them all)
    if response is not None and "text/html" not in response.headers.get("content-type", ""):
        return seen  # a document for machines (the portal's sitemap), not a page
    seen["overflow"] = sideways_overflow(page)
    seen["text"] = page.evaluate("document.body ? document.body.innerText : ''")
    seen["dashes"] = page.evaluate(
        "[...document.querySelectorAll('select')].filter(s => [...s.options].some(o => /^-{3,}$/.test(o.text.trim())))"
        ".map(s => s.name)"
    )
    seen["fields"] = page.evaluate(
        """[...document.querySelectorAll('table:not(.grid)')].filter(table => {
            const frame = table.parentElement;
            return frame.scrollWidth - frame.clientWidth > 1
                && table.querySelector(
                    'input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea');
        }).map(table => table.querySelector('th') ? table.querySelector('th').innerText.trim() : table.className)"""
    )
    started = time.perf_counter()
    seen["axe"] = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations
                .filter(v => v.impact === "serious" || v.impact === "critical")
                .map(v => v.id + ": " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
        }"""
    )
    SPENT["axe"] += time.perf_counter() - started
    return seen


def problems_of(seen, sentences, keys) -> dict[str, str]:
    found = {}
    if seen["status"] >= 500:
        found["500"] = f"HTTP {seen['status']}"
    if seen["overflow"] > 0:
        found["scroll"] = f"{seen['overflow']} px wider than the screen"
    text = seen["text"]
    # A plain search first: most of some 2,000 sentences are not on the page, and compiling a pattern
    # for each of them on every page took minutes of the walk.
    english = [s for s in sentences if s in text and re.search(rf"(?<![\w]){re.escape(s)}(?![\w])", text)]
    if english:
        found["english"] = "; ".join(english[:5])
    # A field written as {{ name }} is what an officer types into a Word template (documents' templates
    # pages list them), not a key that leaked.
    shown = re.sub(r"\{\{\s*[a-z0-9_]+\s*\}\}", " ", text)
    raw = sorted({word for word in re.findall(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", shown) if word in keys})
    if raw:
        found["field"] = ", ".join(raw[:10])
    if seen["dashes"]:
        found["dashes"] = ", ".join(seen["dashes"])
    if seen["fields"]:
        found["fields"] = "tables scrolling sideways with fields to fill in, first heading: " + ", ".join(
            seen["fields"]
        )
    if seen["axe"]:
        found["axe"] = "; ".join(seen["axe"])
    return found


def logged_in_context(browser, live_server, account, screen):
    client = Client()
    client.force_login(account)
    context = browser.new_context(viewport=SCREENS[screen], locale="vi-VN")
    # axe-core is added to every page by the browser's debugging protocol, which the page's content
    # security policy does not govern: the site itself never serves it.
    context.add_init_script(path=str(AXE))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context


@pytest.fixture
def walk_world():
    # A transactional test meets what the tests before it left: the trees, and what the data migrations
    # bring, are put back when an earlier transactional test emptied the database.
    load_administrative_units()
    if not CriteriaSet.objects.filter(is_default=True).exists():
        put_back_what_migrations_bring()
    world = _build_world()
    world["personas"]["system_admin"] = User.objects.get(username="sysadmin.matrix")
    return world


def walk(browser, live_server, world, screen):
    """Every role walks every page it may open on `screen`; fails with the problems found."""
    folder = Path(os.environ.get("KHUYENHOC_WALK_SCREENSHOTS") or tempfile.mkdtemp(prefix="khuyenhoc-walk-"))
    with translation.override("vi"):
        sentences = english_sentences()
    keys = field_keys()
    routes = pages(world)
    failures = {}  # (route, check) → [(role, screen, detail)]
    walked = 0
    for role in ROLES:
        context = logged_in_context(browser, live_server, world["personas"][role], screen)
        page = context.new_page()
        for name, url, answers in routes:
            if not opens(role, name, answers):
                continue  # the route matrix holds who may open what
            try:
                seen = walk_page(page, live_server.url + url)
            except Exception as error:
                # A file instead of a page, or an empty refusal the browser shows no page for
                # (the system administrator tries routes the matrix does not list for them).
                if "Download is starting" not in str(error) and "ERR_HTTP_RESPONSE_CODE" not in str(error):
                    raise
                page.close()
                page = context.new_page()
                continue
            if "overflow" not in seen:
                if seen["status"] >= 500:
                    failures.setdefault((name, "500"), []).append((role, screen, f"HTTP {seen['status']}"))
                continue
            walked += 1
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            started = time.perf_counter()
            page.screenshot(path=str(folder / role / screen / f"{slug}.jpeg"), full_page=True, quality=70)
            SPENT["screenshot"] += time.perf_counter() - started
            for check, detail in problems_of(seen, sentences, keys).items():
                failures.setdefault((name, check), []).append((role, screen, detail))
        context.close()
    expected = {(name, check) for name, check, on in EXPECTED_FAILURES if on == screen}
    unexpected = {key: seen for key, seen in failures.items() if key not in expected}
    passing = sorted(expected - set(failures))
    report = "\n".join(
        f"{name} [{check}] {role}/{screen}: {detail}"
        for (name, check), rows in sorted(unexpected.items())
        for role, screen, detail in rows[:3]
    )
    everything = "\n".join(
        f"{name} [{check}] {role}/{screen}: {detail}"
        for (name, check), rows in sorted(failures.items())
        for role, screen, detail in rows
    )
    (folder / f"report-{screen}.txt").write_text(everything + "\n", encoding="utf-8")
    spent = ", ".join(f"{step} {seconds:.0f} s" for step, seconds in SPENT.items())
    print(f"\nThe walk opened {walked} pages ({spent}); screenshots and report-{screen}.txt in {folder}")
    assert not unexpected, f"pages that fail the walk:\n{report}"
    assert not passing, f"these pages pass now; remove them from EXPECTED_FAILURES: {passing}"


def test_every_page_for_every_role_on_a_phone(browser, live_server, walk_world):
    walk(browser, live_server, walk_world, "phone")
