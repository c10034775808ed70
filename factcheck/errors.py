"""Exceptions the apps raise and the shared layers (the API's error handler) understand.

They live here so that factcheck/ can translate them without importing an app.
"""


class ConcurrentEditError(Exception):
    """The record changed since the editor loaded it; saving would lose that change."""
