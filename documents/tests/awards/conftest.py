"""The award documents are read on the suite's own personas and villages (conftest.py at the root), not
on the demo province the other document tests build; the awards' fixtures make the decision."""

from awards.tests.conftest import (  # noqa: F401  (fixtures)
    association,
    ban_thi,
    ban_thi_officer,
    district_kind,
    family,
    nominate,
    published,
)
from conftest import personas  # noqa: F401  (the root personas, instead of the demo's)
