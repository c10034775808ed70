"""A source's text as HTML in which every piece knows its offsets.

The text is cut at every anchor boundary and every line break. Each piece
becomes an element carrying its start offset (``data-start``, in code points,
as anchors count them), so the browser turns a selection back into offsets
from the markup instead of counting characters itself. Pieces covered by
anchors are <mark> elements listing those anchors, innermost first; line breaks
are kept as hidden elements, so that the text can be rebuilt exactly.
"""

import itertools
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

LINE_BREAKS = re.compile(r"[\r\n]+")


@dataclass(frozen=True)
class Span:
    """One anchored quote to highlight."""

    key: str  # "a<id>" for an appearance, "e<id>" for an evidence quote
    start: int
    end: int
    colour: str
    is_evidence: bool = False


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    spans: tuple[Span, ...]  # covering the whole segment, innermost first
    is_break: bool = False


def segments(text: str, spans: list[Span]) -> list[Segment]:
    """Cut ``text`` into pieces that no anchor boundary or line break crosses."""
    breaks = [(m.start(), m.end()) for m in LINE_BREAKS.finditer(text)]
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted(
        {0, len(text)}
        | {s.start for s in spans}
        | {s.end for s in spans}
        | {edge for pair in breaks for edge in pair}
    )
    break_starts = {start for start, _ in breaks}
    pieces = []
    for start, end in itertools.pairwise(cuts):
        covering = sorted(
            (s for s in spans if s.start <= start and end <= s.end),
            key=lambda s: (s.end - s.start, s.start, s.key),
        )
        pieces.append(Segment(start, end, tuple(covering), is_break=start in break_starts))
    return pieces


def _piece(text: str, segment: Segment, first_of: list[str]) -> str:
    content = escape(text[segment.start : segment.end])
    if not segment.spans:
        return f'<span data-start="{segment.start}">{content}</span>'
    inner = segment.spans[0]
    classes = ["hl"]
    # The colours are data attributes that annotate.js makes the --hl and --hl2 CSS
    # variables: the Content-Security-Policy refuses style attributes.
    colours = f' data-hl="{escape(inner.colour)}"'
    if inner.is_evidence:
        classes.append("hl-evidence")
    if len(segment.spans) > 1:
        classes.append("hl-overlap")
        colours += f' data-hl2="{escape(segment.spans[1].colour)}"'
    attributes = ""
    if first_of:
        # One tab stop per anchor, where it begins; adjacent anchors show a border.
        classes.append("hl-start")
        attributes = f' tabindex="0" data-first="{" ".join(first_of)}"'
    keys = " ".join(s.key for s in segment.spans)
    return (
        f'<mark class="{" ".join(classes)}"{colours} data-start="{segment.start}"'
        f' data-anchors="{keys}"{attributes}>{content}</mark>'
    )


def render_text(text: str, spans: list[Span]) -> SafeString:
    """The text as paragraphs of offset-carrying pieces, anchors highlighted."""
    html: list[str] = []
    paragraph: list[str] = []
    begun = set()

    def close_paragraph():
        if paragraph:
            html.append('<p class="annotate-p">' + "".join(paragraph) + "</p>")
            paragraph.clear()

    for segment in segments(text, spans):
        if segment.is_break:
            close_paragraph()
            html.append(
                f'<span class="annotate-break" data-start="{segment.start}" hidden>'
                f"{escape(text[segment.start : segment.end])}</span>"
            )
            continue
        first_of = [s.key for s in segment.spans if s.key not in begun]
        begun.update(first_of)
        paragraph.append(_piece(text, segment, first_of))
    close_paragraph()
    return mark_safe("".join(html))  # every piece of text is escaped above
