"""Fixtures of the tests of the apps whose records are imported, for the imports' own tests."""

from evaluations.tests.conftest import household_set

__all__ = ["household_set"]
