"""The page walk of test_page_walk.py at 1366 px, in a file of its own: `make test` gives whole files to
its worker processes, and the walk is the suite's longest test."""

from .test_page_walk import pytestmark, walk, walk_world  # noqa: F401 (the marks and the fixture)


def test_every_page_for_every_role_on_an_office_screen(browser, live_server, walk_world):  # noqa: F811
    walk(browser, live_server, walk_world, "office")
