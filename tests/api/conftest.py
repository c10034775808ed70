"""The API's tests share the fixtures of tests/conftest.py."""

# Test files written before tests/helpers.py import these from here.
from tests.helpers import JAN, publish, rating  # noqa: F401
