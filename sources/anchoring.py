"""Locate a quote in a source's stored text: W3C Web Annotation selectors.

An anchor is the pair of selectors the Web Annotation model defines:
TextQuoteSelector (exact, prefix, suffix) and TextPositionSelector (start, end,
end exclusive). Offsets count Unicode code points of the stored text, which is
what Python's str indexing counts, so ``text[start:end] == exact`` always holds.

Editors type quotes with straight quotes and plain spaces while articles use
curly quotes and non-breaking spaces. When a quote is not in the text as typed,
it is looked for again with such look-alike characters folded together; the
anchor then records the text's own characters, never the typed ones.
"""

from dataclasses import dataclass

# How much context is stored on each side of a quote. Enough to tell repeated
# phrases apart and to re-find the quote after the text is edited.
CONTEXT_LENGTH = 32

# Each character maps to exactly one character, so offsets found in the folded
# text are offsets in the original.
_LOOKALIKES = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark / apostrophe
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',  # left double quotation mark
        "\u201d": '"',  # right double quotation mark
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00a0": " ",  # no-break space
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2212": "-",
    }
)


class AnchorError(ValueError):
    """The quote or offsets do not pick out exactly one span of the text.

    ``field`` names the input at fault (exact, start or end) so that forms and
    the API can show the message next to it.
    """

    def __init__(self, message: str, *, field: str = "exact"):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Anchor:
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


def as_stored(sent: str, *, text: str = "") -> str:
    """``sent`` from a browser form with the line breaks of the stored ``text``.

    Browsers send every line break of a form as CRLF; stored texts have LF, and a
    CR left in would shift every offset after it and change the text's hash. A
    ``text`` that itself holds a CR is left to compare as it is.
    """
    return sent if "\r" in text else sent.replace("\r\n", "\n")


def fold(text: str) -> str:
    """Fold look-alike quotes, spaces and dashes; keeps the length."""
    return text.translate(_LOOKALIKES)


def anchor_at(text: str, start: int, end: int) -> Anchor:
    return Anchor(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_LENGTH) : start],
        suffix=text[end : end + CONTEXT_LENGTH],
        start=start,
        end=end,
    )


def _occurrences(haystack: str, needle: str) -> list[int]:
    found = []
    position = haystack.find(needle)
    while position != -1:
        found.append(position)
        position = haystack.find(needle, position + 1)
    return found


def _describe(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"


def resolve_anchor(
    text: str,
    *,
    exact: str | None = None,
    prefix: str | None = None,
    suffix: str | None = None,
    start: int | None = None,
    end: int | None = None,
) -> Anchor:
    """Return the one anchor that the given quote and/or offsets describe.

    Give the exact quote (with prefix/suffix if it occurs more than once), or
    start and end offsets, or both (they must agree). Raises AnchorError with a
    message for a person otherwise.
    """
    if not text:
        raise AnchorError(
            "This source has no stored text, so a quote cannot be anchored in it. "
            "Leave the quote and offsets empty."
        )
    exact = exact or None
    if start is not None or end is not None:
        return _resolve_offsets(text, exact=exact, start=start, end=end)
    if exact is None:
        raise AnchorError("Give the exact quote, or its start and end offsets.")
    return _resolve_quote(text, exact=exact, prefix=prefix or "", suffix=suffix or "")


def _resolve_offsets(text: str, *, exact: str | None, start: int | None, end: int | None) -> Anchor:
    if start is None:
        raise AnchorError("Give the start offset as well as the end.", field="start")
    if end is None:
        raise AnchorError("Give the end offset as well as the start.", field="end")
    if start < 0:
        raise AnchorError("The start offset cannot be negative.", field="start")
    if end > len(text):
        raise AnchorError(
            f"The end offset {end} is past the end of the text ({len(text)} characters).",
            field="end",
        )
    if end <= start:
        raise AnchorError(
            f"The end offset ({end}) must be greater than the start offset ({start}).",
            field="end",
        )
    anchor = anchor_at(text, start, end)
    if exact is not None and fold(exact) != fold(anchor.exact):
        raise AnchorError(
            f"The quote does not match the text at offsets {start}–{end}, which reads "
            f"“{_describe(anchor.exact)}”. Correct the quote or the offsets, or leave "
            "the offsets empty to find the quote."
        )
    return anchor


def _resolve_quote(text: str, *, exact: str, prefix: str, suffix: str) -> Anchor:
    if not exact.strip():
        raise AnchorError("The quote is only white space; select some words of the text.")
    haystack, needle = text, exact
    starts = _occurrences(haystack, needle)
    if not starts:
        haystack, needle = fold(text), fold(exact)
        starts = _occurrences(haystack, needle)
    if not starts:
        raise AnchorError(f"The quote “{_describe(exact)}” is not in the source text.")

    if prefix or suffix:
        folded_prefix, folded_suffix = fold(prefix), fold(suffix)
        folded_text = fold(text)
        starts = [
            s
            for s in starts
            if folded_text[:s].endswith(folded_prefix)
            and folded_text[s + len(needle) :].startswith(folded_suffix)
        ]
        if not starts:
            raise AnchorError(
                f"The quote “{_describe(exact)}” is in the text, but not with that prefix "
                "and suffix around it."
            )
    if len(starts) > 1:
        places = ", ".join(str(s) for s in starts[:10])
        raise AnchorError(
            f"The quote “{_describe(exact)}” occurs {len(starts)} times in the text "
            f"(at offsets {places}). Give a prefix or suffix (the words just before or "
            "after it), or the offsets, to say which one is meant."
        )
    return anchor_at(text, starts[0], starts[0] + len(needle))
