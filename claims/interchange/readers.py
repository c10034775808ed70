"""Other fact-checkers' schema.org ClaimReviews, read from whatever they publish: JSON-LD
(one object, an array or an ``@graph``), an HTML page (JSON-LD, microdata or RDFa),
Google's DataFeed, or a Fact Check Tools API ``claims:search`` response.

``read_reviews`` yields one ``ReviewRecord`` per review, or a ``Skipped`` saying why a
review cannot be used; one bad review never stops the others. A JSON file larger than
``WHOLE_JSON_BYTES`` is read as a stream (ijson), one value at a time, so a feed of any
size takes constant memory; a smaller one, and a page, are read whole so that their nodes
may refer to one another by @id. Pure parsing: no model, no database.
"""

import codecs
import datetime
import io
import logging
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, BinaryIO
from urllib.parse import urljoin

import dateutil.parser  # type: ignore[import-untyped]
import extruct  # type: ignore[import-untyped]
import ijson  # type: ignore[import-untyped]
from extruct.utils import parse_xmldom_html  # type: ignore[import-untyped]

logger = logging.getLogger(__name__)

UTC = datetime.UTC


@dataclass(frozen=True)
class ReviewRecord:
    url: str
    title: str
    publisher_name: str
    publisher_url: str
    reviewed_at: datetime.datetime | None
    textual_rating: str
    rating_value: float | None
    best_rating: float | None
    worst_rating: float | None
    language: str
    claim_text: str
    claimant: str
    claimant_same_as: tuple[str, ...]
    claim_date: datetime.date | None
    appearances: tuple[str, ...]


@dataclass(frozen=True)
class Skipped:
    where: str
    reason: str


class NotClaimReview(Exception):
    """The input is not JSON or HTML, or holds no ClaimReview at all; str() says which, for a
    person."""


def read_reviews(
    stream: BinaryIO, *, content_type: str = "", url: str = ""
) -> Iterator[ReviewRecord | Skipped]:
    """The reviews in ``stream``, in the order published. ``url`` is where the input came
    from (relative addresses are read against it); ``content_type`` helps when the first
    bytes do not tell JSON from HTML. NotClaimReview is raised while iterating."""
    if not _seekable(stream):
        stream = io.BytesIO(stream.read())
    start, first = _first_byte(stream)
    kind = content_type.split(";")[0].strip().lower()
    if first in (b"{", b"["):
        candidates = _json_reviews(stream, start, base=url)
    elif first == b"<" or (first and "html" in kind):
        stream.seek(start)
        candidates = _html_reviews(stream.read(), content_type=content_type, base=url)
    elif not first:
        raise NotClaimReview("The file is empty.")
    else:
        raise NotClaimReview("This is neither JSON nor an HTML page.")
    found = False
    for number, review in enumerate(candidates, start=1):
        found = True
        if not review.url:
            yield Skipped(f"review {number}", "no review URL")
        elif not review.claim_text:
            yield Skipped(f"review {number} ({review.url})", "no claim text")
        else:
            yield review
    if not found:
        raise NotClaimReview("There is no ClaimReview in it.")


def _seekable(stream: BinaryIO) -> bool:
    try:
        return stream.seekable()
    except (AttributeError, ValueError):
        return False


def _first_byte(stream: BinaryIO) -> tuple[int, bytes]:
    """Where the content starts (past a UTF-8 byte order mark) and its first byte that is
    not white space (b"" when there is none)."""
    start = stream.tell()
    if stream.read(3) == codecs.BOM_UTF8:
        start += 3
    stream.seek(start)
    while chunk := stream.read(4096):
        content = chunk.lstrip()
        if content:
            return start, content[:1]
    return start, b""


# JSON ------------------------------------------------------------------------------------

# A JSON file up to this size is read whole, so that its nodes may refer to one another by
# @id (an @graph written by a page's SEO plugin); a larger one is read as a stream.
WHOLE_JSON_BYTES = 2_000_000

# Keys of a top-level object whose array a stream reads one value at a time.
STREAMED_KEYS = ("dataFeedElement", "claims", "@graph")


def _json_reviews(stream: BinaryIO, start: int, *, base: str) -> Iterator[ReviewRecord]:
    try:
        size = stream.seek(0, io.SEEK_END) - start
        stream.seek(start)
        prefix = "" if size <= WHOLE_JSON_BYTES else _json_prefix(stream)
        stream.seek(start)
        for value in ijson.items(stream, prefix, use_float=True):
            if prefix.startswith("claims"):
                yield from _api_reviews(value)
            elif prefix == "" and isinstance(value, dict) and "claims" in value:
                for claim in _list(value["claims"]):
                    yield from _api_reviews(claim)
            else:
                yield from _reviews_in(value, base=base, language="")
    except (ijson.JSONError, UnicodeDecodeError) as error:
        raise NotClaimReview(f"This is not valid JSON ({error}).") from error


def _json_prefix(stream: BinaryIO) -> str:
    """The ijson prefix of the values to read one by one, found from the first events: the
    items of a top-level array or of a top-level object's feed, claims or graph, else the
    whole (single) object."""
    events = ijson.parse(stream)
    _, event, _ = next(events)
    if event == "start_array":
        return "item"
    for prefix, event, value in events:
        if prefix == "" and event == "map_key" and value in STREAMED_KEYS:
            _, following, _ = next(events)
            return f"{value}.item" if following == "start_array" else value
    return ""


def _api_reviews(claim: Any) -> Iterator[ReviewRecord]:
    """The reviews of one claim of a Fact Check Tools API ``claims:search`` response."""
    if not isinstance(claim, dict):
        return
    for review in _list(claim.get("claimReview")):
        if not isinstance(review, dict):
            continue
        publisher = review.get("publisher")
        publisher = publisher if isinstance(publisher, dict) else {}
        site = _text(publisher.get("site"))
        if site and "://" not in site:
            site = f"https://{site.strip('/')}/"
        yield ReviewRecord(
            url=_address(review.get("url"), base=""),
            title=_text(review.get("title")),
            publisher_name=_text(publisher.get("name")),
            publisher_url=_address(site, base=""),
            reviewed_at=_moment(review.get("reviewDate")),
            textual_rating=_rating_text(review.get("textualRating")),
            rating_value=None,
            best_rating=None,
            worst_rating=None,
            language=_language(review.get("languageCode")),
            claim_text=_text(claim.get("text")),
            claimant=_text(claim.get("claimant")),
            claimant_same_as=(),
            claim_date=_day(claim.get("claimDate")),
            appearances=(),
        )


# HTML ------------------------------------------------------------------------------------

CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


def _html_reviews(body: bytes, *, content_type: str, base: str) -> Iterator[ReviewRecord]:
    """The page's reviews from its JSON-LD blocks (each read on its own, so that a broken
    one is skipped), then its microdata and its RDFa; a review the page repeats in another
    syntax (same address and claim) is read once."""
    text = body.decode(_charset(body, content_type), errors="replace")
    try:
        tree = parse_xmldom_html(text.encode("utf-8"), encoding="utf-8")
    except Exception as error:  # lxml could not make a document of it
        raise NotClaimReview("This is not an HTML page that can be read.") from error
    language = _language(tree.get("lang") or tree.get("xml:lang"))
    documents: list[Any] = []
    json_ld = extruct.JsonLdExtractor()
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            documents.append(json_ld.extract_items(script, base_url=base or None))
        except Exception as error:  # a block extruct cannot read, whatever the reason
            logger.warning("Skipping a JSON-LD block that cannot be read: %s", error)
    for syntax in ("microdata", "rdfa"):
        try:
            found = extruct.extract(tree, base_url=base or None, syntaxes=[syntax], uniform=True)
        except Exception as error:  # broken markup of one syntax must not lose the others
            logger.warning("Skipping the page's %s, which cannot be read: %s", syntax, error)
            continue
        documents.append(_compact_rdfa(found[syntax]) if syntax == "rdfa" else found[syntax])
    seen: set[tuple[str, str]] = set()
    for document in documents:
        for review in _reviews_in(document, base=base, language=language):
            key = (review.url, review.claim_text)
            if review.url and key in seen:
                continue
            seen.add(key)
            yield review


def _charset(body: bytes, content_type: str) -> str:
    named = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    declared = named.group(1) if named else None
    if declared is None and (meta := CHARSET.search(body[:4096])):
        declared = meta.group(1).decode("ascii")
    try:
        return codecs.lookup(declared or "utf-8").name
    except LookupError:
        return "utf-8"


def _compact_rdfa(nodes: list[Any]) -> list[Any]:
    """RDFa as extruct gives it (expanded JSON-LD: full property IRIs, every value a list
    of ``{"@value"}`` or ``{"@id"}``) in the shape of compact JSON-LD; references are
    resolved by ``_reviews_in``."""

    def value(item: Any) -> Any:
        if isinstance(item, dict) and "@value" in item:
            return item["@value"]
        return item

    compact = []
    for node in nodes:
        if not isinstance(node, dict):
            continue
        out: dict[str, Any] = {}
        for key, values in node.items():
            values = [value(item) for item in _list(values)]
            out[key] = values[0] if len(values) == 1 and key != "@type" else values
        compact.append(out)
    return compact


# Reading ClaimReview nodes ---------------------------------------------------------------


def _reviews_in(document: Any, *, base: str, language: str) -> Iterator[ReviewRecord]:
    """The ClaimReview nodes anywhere in one JSON-LD document (in a DataFeed, an @graph,
    an array, another node), each with the references to other nodes of the document
    (``{"@id": …}``) replaced by those nodes."""
    index: dict[str, dict[str, Any]] = {}
    reviews: list[dict[str, Any]] = []
    plain = True  # no reference, literal object or prefixed key to rewrite

    def walk(value: Any, inside: bool) -> None:  # depth first, in the document's order
        nonlocal plain
        if isinstance(value, list):
            for item in value:
                walk(item, inside)
            return
        if not isinstance(value, dict):
            return
        ref = value.get("@id")
        if isinstance(ref, str):
            if len(value) > 1:
                index.setdefault(ref, value)
            else:
                plain = False
        is_review = not inside and _is_a(value, "ClaimReview")
        if is_review:
            reviews.append(value)
        for key, item in value.items():
            if ":" in key or key == "@value":
                plain = False
            if key != "@context" and isinstance(item, (dict, list)):
                walk(item, inside or is_review)

    walk(document, False)
    for node in reviews:
        resolved = node if plain else _resolved(node, index, ())
        yield _review(resolved, base=base, page_language=language)


def _resolved(value: Any, index: dict[str, dict[str, Any]], path: tuple[str, ...]) -> Any:
    """``value`` with ``{"@id": …}`` references replaced by their nodes, ``{"@value": …}``
    by the value, and keys written ``schema:name`` or ``http://schema.org/name`` as
    ``name``; a reference back to a node on the way (a cycle) is left as it is."""
    if isinstance(value, list):
        return [_resolved(item, index, path) for item in value]
    if not isinstance(value, dict):
        return value
    if "@value" in value:
        return value["@value"]
    ref = value.get("@id")
    if isinstance(ref, str) and len(value) == 1 and ref in index and ref not in path:
        value = index[ref]
    path = (*path, ref) if isinstance(ref, str) else path
    return {_key(key): _resolved(item, index, path) for key, item in value.items()}


SCHEMA_PREFIX = re.compile(r"^(?:schema:|https?://schema\.org/)")
TYPE_SEPARATOR = re.compile(r"[/:#]")
SPACES = re.compile(r"\s\s|[^\S ]")  # a run of white space, or any but a space
WEB_ADDRESS = re.compile(r"https?://[^/?#\s]", re.IGNORECASE)


def _key(key: str) -> str:
    return SCHEMA_PREFIX.sub("", key) if ":" in key else key


def _is_a(node: dict[str, Any], kind: str, *, ending: bool = False) -> bool:
    """Whether the node's @type is ``kind`` (or ends with it), written "ClaimReview",
    "schema:ClaimReview" or "http://schema.org/ClaimReview" alike."""
    types = node.get("@type")
    for written in types if isinstance(types, list) else [types]:
        if isinstance(written, str):
            name = TYPE_SEPARATOR.split(written)[-1] if TYPE_SEPARATOR.search(written) else written
            if name == kind or (ending and name.endswith(kind)):
                return True
    return False


def _review(node: dict[str, Any], *, base: str, page_language: str) -> ReviewRecord:
    claim = _object(node.get("itemReviewed"))
    author = _object(claim.get("author")) or {"name": _first(claim.get("author"))}
    first_appearance = claim.get("firstAppearance")
    rating = _object(node.get("reviewRating"))
    publisher = _publisher(node)
    return ReviewRecord(
        url=_address(node.get("url"), base=base) or _address(node.get("@id"), base=base),
        title=_text(node.get("name")) or _text(node.get("headline")),
        publisher_name=_name(publisher),
        publisher_url=_address(_object(publisher).get("url"), base=base),
        reviewed_at=_moment(node.get("datePublished")) or _moment(node.get("dateModified")),
        textual_rating=(
            _rating_text(rating.get("alternateName")) or _rating_text(rating.get("name"))
        ),
        rating_value=_number(rating.get("ratingValue")),
        best_rating=_number(rating.get("bestRating")),
        worst_rating=_number(rating.get("worstRating")),
        language=_language(node.get("inLanguage")) or page_language,
        claim_text=_text(node.get("claimReviewed"))
        or _text(claim.get("name"))
        or _text(claim.get("text")),
        claimant=_name(author),
        claimant_same_as=_addresses(author.get("sameAs"), base=""),
        claim_date=_day(claim.get("datePublished"))
        or _day(_object(first_appearance).get("datePublished")),
        appearances=_addresses([first_appearance, claim.get("appearance")], base=base),
    )


def _publisher(node: dict[str, Any]) -> Any:
    """The organisation that published the review: the first author that is an
    organisation, else the publisher when it is one, else the first author or publisher."""
    authors = _list(node.get("author"))
    publishers = _list(node.get("publisher"))
    for candidate in [*authors, *publishers]:
        if isinstance(candidate, dict) and _is_a(candidate, "Organization", ending=True):
            return candidate
    return next(iter([*authors, *publishers]), None)


# Values ----------------------------------------------------------------------------------


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _first(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _object(value: Any) -> dict[str, Any]:
    """The first node of ``value`` (a node, or a list holding some), else {}."""
    if isinstance(value, dict):
        return value
    if isinstance(value, list):
        return next((item for item in value if isinstance(item, dict)), {})
    return {}


def _text(value: Any) -> str:
    """Text with its runs of white space (line breaks of markup) made one space."""
    value = _first(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return ""
    value = value.strip()
    return " ".join(value.split()) if SPACES.search(value) else value


def _rating_text(value: Any) -> str:
    value = _first(value)
    return value.strip() if isinstance(value, str) else ""


def _name(value: Any) -> str:
    """The name of an organisation or person given as a string or a node."""
    value = _first(value)
    return _text(value.get("name")) if isinstance(value, dict) else _text(value)


def _address(value: Any, *, base: str) -> str:
    """An http(s) address given as a string, an IRI (``{"@id": …}``) or a node's url,
    else ""."""
    value = _first(value)
    if isinstance(value, dict):
        return _address(value.get("@id") if set(value) == {"@id"} else value.get("url"), base=base)
    if not isinstance(value, str) or not value.strip():
        return ""
    address = urljoin(base, value.strip()) if base else value.strip()
    return address if WEB_ADDRESS.match(address) else ""


def _addresses(values: Iterable[Any] | Any, *, base: str) -> tuple[str, ...]:
    """The addresses in ``values`` (strings, nodes, lists of either, nested), each once, in
    order."""
    found: dict[str, None] = {}

    def collect(value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                collect(item)
        elif address := _address(value, base=base):
            found.setdefault(address)

    collect(values)
    return tuple(found)


def _number(value: Any) -> float | None:
    """A number given as a number or as text ("2", "2.5", "2,5")."""
    value = _first(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip().replace(",", ".")
    if not isinstance(value, (str, int, float, Decimal)):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _language(value: Any) -> str:
    """The primary subtag of a BCP 47 language tag ("pt-BR" → "pt"), lower case; the tag
    may be given as a node's alternateName or name. "" when it is not a tag."""
    value = _first(value)
    if isinstance(value, dict):
        return _language(value.get("alternateName")) or _language(value.get("name"))
    if not isinstance(value, str):
        return ""
    primary = re.split(r"[-_]", value.strip())[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else ""


def _parsed(value: Any) -> datetime.datetime | None:
    value = _first(value)
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        pass
    try:  # "January 8, 2020", "8 Jan 2020 10:00 GMT"; what a date leaves out is its start
        return dateutil.parser.parse(value, default=datetime.datetime(2000, 1, 1))
    except (ValueError, OverflowError):
        return None


def _moment(value: Any) -> datetime.datetime | None:
    """A date and time in UTC; one without a zone is taken as UTC, a date alone as its
    midnight in UTC."""
    moment = _parsed(value)
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _day(value: Any) -> datetime.date | None:
    """The day a date (with or without a time) names, where it was written."""
    moment = _parsed(value)
    return moment.date() if moment else None
