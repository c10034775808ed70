"""CSV cells a spreadsheet would run as a formula, neutralised (OWASP's rule).

Excel, LibreOffice and Google Sheets take a cell that starts with ``=``, ``+``,
``-`` or ``@`` (and, in some versions, a tab or a carriage return) for a formula:
a claim's text such as ``=HYPERLINK("http://evil", "click")`` would run when a
researcher opens the export. Such a text cell gets a ``'`` in front, which the
spreadsheet shows as text and hides; so does a cell that starts with ``'`` itself,
so that the rule reads back without doubt: to get the original value, strip one
leading ``'`` from a text cell that starts with one.

The rule is written twice, side by side, because the CSV is written by two
paths (claims/exports/table.py): ``neutralise`` for the Python path (SQLite), and
``Neutralised`` for PostgreSQL's COPY, where no row passes through Python.
tests/exports/test_csv_cells.py checks that both give the same cells.

Only text columns (free text and names an editor typed) are neutralised; numbers
(ids, counts, a rating's value such as -1) are written as numbers, which a
spreadsheet does not run, and enum values and addresses the product builds never
start with these characters.
"""

from django.db.models import Func, TextField, Value

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PREFIX = "'"
PREFIXED_STARTS = (*FORMULA_STARTS, PREFIX)
# The same rule as a PostgreSQL regular expression: one of PREFIXED_STARTS at the
# start ("-" last in the bracket, so literal; tab and CR as the characters).
_PATTERN = "^([=+@\t\r'-])"


def neutralise(value):
    """``value``, with PREFIX in front if it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(PREFIXED_STARTS):
        return PREFIX + value
    return value


class Neutralised(Func):
    """``neutralise`` in SQL (PostgreSQL): the expression evaluated once, NULL kept."""

    function = "regexp_replace"
    output_field = TextField()

    def __init__(self, expression, **extra):
        super().__init__(expression, Value(_PATTERN), Value(PREFIX + "\\1"), **extra)
