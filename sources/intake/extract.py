"""The article text and metadata of a fetched document: an HTML page, a PDF or plain text.

HTML: the main text by trafilatura (the page furniture left out), the metadata from
the page's JSON-LD first, then its OpenGraph and meta tags, then htmldate (the date
only), then trafilatura's own metadata. The text keeps the characters as published.
"""

import copy
import datetime
import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import extruct  # type: ignore[import-untyped]
import htmldate
import py3langid  # type: ignore[import-untyped]
import pypdf
import trafilatura
from lxml.html import HtmlElement, tostring  # type: ignore[import-untyped]
from trafilatura.utils import decode_file, load_html

from sources.models import normalize_url

logger = logging.getLogger(__name__)


class ExtractionError(Exception):
    """A document from which no text could be read; str() is a message for the editor."""


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str
    authors: list[str]
    published_at: datetime.datetime | None
    site_name: str
    canonical_url: str
    language: str


def canonical_url(url: str) -> str:
    """``url`` as sources store it (``normalize_url``: tracking parameters removed), or ""
    when it is not an http(s) address."""
    url = normalize_url(url)
    return url if urlsplit(url).scheme in {"http", "https"} else ""


def extract(
    body: bytes, *, content_type: str, url: str = "", charset: str | None = None
) -> Extracted:
    kind = content_type.split(";")[0].strip().lower()
    if kind in {"text/html", "application/xhtml+xml"}:
        return extract_html(body, url=url, charset=charset)
    if kind == "application/pdf":
        return extract_pdf(body, url=url)
    if kind == "text/plain":
        return extract_text(body, charset=charset)
    raise ExtractionError(
        f"Cannot read a document of type {kind or 'unknown'}: give an HTML page, a PDF "
        "or plain text."
    )


# --- HTML -----------------------------------------------------------------------

# trafilatura's options, chosen on the article-extraction benchmark (bench/extraction.py,
# bench/README.md): the precision focus scored the best F1 (0.964, against 0.960
# balanced and 0.959 favouring recall), and leaving tables out lost recall.
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "output_format": "txt",
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_formatting": False,
    "include_links": False,
    "favor_precision": True,
    "deduplicate": False,
}

# Furniture trafilatura may keep (it removes navigation, footers, share bars, comments
# and most ads itself): the boxes that ask the reader to subscribe, sign up or accept
# cookies. Small boxes only: on some sites a "subscriber" class wraps the whole page.
FURNITURE_XPATH = [
    f"//*[{condition}][string-length(normalize-space(.)) < 600]"
    f"[not(self::article or self::main or self::body)]"
    for condition in (
        "contains(@class, 'paywall') or contains(@id, 'paywall')",
        "contains(@class, 'subscribe') or contains(@id, 'subscribe')",
        "contains(@class, 'newsletter') or contains(@id, 'newsletter')",
        "contains(@class, 'cookie') or contains(@id, 'cookie')",
        "contains(@class, 'consent') or contains(@id, 'consent')",
    )
]

# trafilatura collapses every Unicode space (its trim()) and drops control and
# private-use characters, so while it runs a non-breaking space is written as a
# visible symbol no news page uses (U+237D, the open box that shows one) and put back
# after; on a page that holds that symbol, non-breaking spaces become plain spaces.
NBSP, NBSP_STAND_IN = "\u00a0", "\u237d"

# Fewer words than this is what trafilatura falls back on when a page has no article
# (a menu, a video's caption, "Home"), not an article.
MIN_WORDS = 10

ARTICLE_TYPES = {
    "Article",
    "NewsArticle",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "LiveBlogPosting",
    "BlogPosting",
    "Report",
}


def extract_html(body: bytes | str, *, url: str = "", charset: str | None = None) -> Extracted:
    html = _decode_html(body, charset)
    tree = load_html(html)
    if tree is None:
        raise ExtractionError(_no_text_message(url))
    article = _json_ld_article(tree)
    meta = _meta_tags(html, tree)
    text = _article_text(tree)
    if len(text.split()) < MIN_WORDS:
        raise ExtractionError(_no_text_message(url))
    fallback = _trafilatura_metadata(tree, url)
    published_at = (
        _parse_datetime(_first_text(article.get("datePublished"), article.get("dateCreated")))
        or _parse_datetime(meta.get("published"))
        or _htmldate(tree)
        or _parse_datetime(fallback.get("date"))
    )
    title = _first_text(article.get("headline"), article.get("name"), meta.get("title"))
    title = title or fallback.get("title", "")
    return Extracted(
        text=_without_headline(text, title),
        title=title,
        authors=_names(article.get("author"))
        or _names(meta.get("authors"))
        or _names(fallback.get("author")),
        published_at=published_at,
        site_name=_first_text(_name_of(article.get("publisher")), meta.get("site_name"))
        or fallback.get("sitename", ""),
        canonical_url=_page_url(tree, meta, article, url),
        language=_language_tag(
            tree.get("lang"), article.get("inLanguage"), meta.get("locale"), meta.get("lang")
        )
        or _detected_language(text),
    )


def _without_headline(text: str, title: str) -> str:
    """The body without its first paragraph when that is the headline (the title is
    stored apart), however its spaces and capitals differ."""
    first, separator, rest = text.partition("\n\n")
    if separator and rest and _same_words(first, title):
        return rest
    return text


def _same_words(one: str, other: str) -> bool:
    return " ".join(one.split()).casefold() == " ".join(other.split()).casefold()


def _decode_html(body: bytes | str, charset: str | None) -> str:
    if isinstance(body, str):
        return body
    if charset:
        try:
            return body.decode(charset, errors="replace")
        except LookupError:
            logger.warning("Unknown charset %r; guessing the page's encoding.", charset)
    return decode_file(body)


def _no_text_message(url: str) -> str:
    return f"No article text found at {url}." if url else "No article text found in the page."


def _article_text(tree: HtmlElement) -> str:
    tree = copy.deepcopy(tree)
    if NBSP_STAND_IN not in tree.text_content():
        for element in tree.iter():
            element.text = _stand_in(element.text)
            element.tail = _stand_in(element.tail)
    text = trafilatura.extract(tree, prune_xpath=FURNITURE_XPATH, **TRAFILATURA_OPTIONS) or ""
    return _paragraphs(text.replace(NBSP_STAND_IN, NBSP).split("\n"))


def _stand_in(text: str | None) -> str | None:
    """``text`` with its non-breaking spaces written as NBSP_STAND_IN, unless it is only
    white space (an empty ``<p>&nbsp;</p>`` must stay empty)."""
    if text and NBSP in text and text.strip():
        return text.replace(NBSP, NBSP_STAND_IN)
    return text


def _paragraphs(lines: list[str]) -> str:
    """One paragraph a non-empty line, separated by one blank line."""
    return "\n\n".join(line.rstrip() for line in lines if line.strip())


def _json_ld_nodes(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _json_ld_nodes(item)
    elif isinstance(data, dict):
        yield data
        yield from _json_ld_nodes(data.get("@graph"))


def _json_ld_types(node: dict[str, Any]) -> set[str]:
    types = node.get("@type", [])
    types = types if isinstance(types, list) else [types]
    # "NewsArticle", "schema:NewsArticle" and "https://schema.org/NewsArticle" alike.
    return {re.split(r"[/:#]", kind)[-1] for kind in types if isinstance(kind, str)}


def _json_ld_article(tree: HtmlElement) -> dict[str, Any]:
    """The page's first JSON-LD node that is an article; each block read on its own, so
    that a broken one is skipped."""
    parser = extruct.JsonLdExtractor()
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = parser.extract(tostring(script, encoding="unicode"))
        except Exception as error:  # a block extruct cannot read, whatever the reason
            logger.warning("Skipping a JSON-LD block that cannot be read: %s", error)
            continue
        for node in _json_ld_nodes(data):
            if _json_ld_types(node) & ARTICLE_TYPES:
                return node
    return {}


def _meta_tags(html: str, tree: HtmlElement) -> dict[str, Any]:
    """The OpenGraph properties (by extruct) and the meta tags that say the same."""
    properties: dict[str, list[str]] = {}
    try:
        for item in extruct.extract(html, syntaxes=["opengraph"], uniform=True)["opengraph"]:
            for key, value in item.items():
                values = value if isinstance(value, list) else [value]
                properties.setdefault(key, []).extend(str(v) for v in values)
    except Exception as error:  # broken OpenGraph markup must not lose the page
        logger.warning("Skipping the page's OpenGraph tags, which cannot be read: %s", error)

    def named(name: str) -> list[str]:
        return [
            value.strip()
            for value in tree.xpath(
                f"//meta[translate(@name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
                f"'abcdefghijklmnopqrstuvwxyz') = '{name}']/@content"
            )
            if value.strip()
        ]

    def first(*values: list[str]) -> str:
        return next((value[0] for value in values if value), "")

    return {
        "title": first(properties.get("og:title", []), named("twitter:title")),
        "authors": named("author") or properties.get("article:author", []),
        "published": first(
            properties.get("article:published_time", []),
            named("article:published_time"),
            named("date"),
            named("pubdate"),
        ),
        "site_name": first(properties.get("og:site_name", []), named("application-name")),
        "url": first(properties.get("og:url", [])),
        "locale": first(properties.get("og:locale", [])),
        "lang": first(
            tree.xpath(
                "//meta[translate(@http-equiv, 'CONTENTLAGU', 'contentlagu') = "
                "'content-language']/@content"
            )
        ),
    }


def _trafilatura_metadata(tree: HtmlElement, url: str) -> dict[str, str]:
    # Not extensive: its free-text date search takes a copyright year for a date.
    document = trafilatura.extract_metadata(
        copy.deepcopy(tree), default_url=url or None, extensive=False
    )
    if document is None:
        return {}
    return {
        key: value
        for key in ("title", "author", "date", "sitename")
        if isinstance(value := getattr(document, key, None), str) and value
    }


def _htmldate(tree: HtmlElement) -> datetime.datetime | None:
    # Markup only (time elements, meta tags, the URL): the free-text search takes a
    # footer's copyright year for a publication date.
    found = htmldate.find_date(
        tree, original_date=True, extensive_search=False, outputformat="%Y-%m-%dT%H:%M:%S%z"
    )
    return _parse_datetime(found)


def _parse_datetime(value: Any) -> datetime.datetime | None:
    """An ISO 8601 date or date and time, made timezone-aware (UTC when it has no offset)."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = datetime.datetime.fromisoformat(value[:10])
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _first_text(*values: Any) -> str:
    for value in values:
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return ""


def _name_of(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return value if isinstance(value, str) else ""


def _names(value: Any) -> list[str]:
    """Authors' names from a string, an object with a name, or a list of them; links to
    author pages are not names."""
    values = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in values:
        name = _name_of(item)
        for part in re.split(r",|;| and | & ", name):
            part = re.sub(r"^by\s+", "", " ".join(part.split()), flags=re.IGNORECASE)
            if part and not re.match(r"https?://", part) and part not in names:
                names.append(part)
    return names


def _page_url(tree: HtmlElement, meta: dict[str, Any], article: dict[str, Any], url: str) -> str:
    """The page's own address: <link rel=canonical>, og:url, the JSON-LD url, else the
    address it was fetched from."""
    candidates = [
        *tree.xpath("//link[translate(@rel, 'CANONIL', 'canonil') = 'canonical']/@href"),
        meta.get("url", ""),
        _first_text(article.get("url"), _url_of(article.get("mainEntityOfPage"))),
        url,
    ]
    for candidate in candidates:
        if not isinstance(candidate, str) or not candidate.strip():
            continue  # an empty og:url must not stand for the fetched address
        if found := canonical_url(urljoin(url, candidate.strip())):
            return found
    return ""


def _url_of(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    return value if isinstance(value, str) else ""


def _language_tag(*values: Any) -> str:
    """The primary subtag of the first BCP 47 tag or locale given ("en-GB", "en_GB" → "en")."""
    for value in values:
        if isinstance(value, str) and (
            match := re.match(r"\s*([A-Za-z]{2,3})(?:[-_]|\s*$)", value)
        ):
            return match.group(1).lower()
    return ""


def _detected_language(text: str) -> str:
    language, _ = py3langid.classify(text)
    return str(language)


# --- PDF and plain text ---------------------------------------------------------


def extract_pdf(body: bytes, *, url: str = "") -> Extracted:
    try:
        reader = pypdf.PdfReader(io.BytesIO(body))
        pages = [page.extract_text(extraction_mode="layout") for page in reader.pages]
        metadata = reader.metadata
    except Exception as error:  # pypdf raises many kinds of error on a damaged file
        raise ExtractionError(f"This PDF cannot be read: it seems damaged ({error}).") from error
    paragraphs = [paragraph for page in pages for paragraph in _pdf_paragraphs(page)]
    if not paragraphs:
        raise ExtractionError(
            "Scanned PDF: no text layer to read (the pages are images). Paste its text "
            "instead, or run it through OCR first."
        )
    text = "\n\n".join(paragraphs)
    title = _first_text(metadata.title if metadata else None) or paragraphs[0].split("\n")[0]
    author = metadata.author if metadata else None
    created = metadata.creation_date if metadata else None
    return Extracted(
        text=text,
        title=title[:500],
        authors=_names(author),
        published_at=(created if created.tzinfo else created.replace(tzinfo=datetime.UTC))
        if created
        else None,
        site_name="",
        canonical_url=canonical_url(url) if url else "",
        language=_detected_language(text),
    )


def _pdf_paragraphs(page_text: str) -> list[str]:
    """A page's paragraphs: runs of lines between blank lines (layout mode writes a
    vertical gap as blank lines), each line's layout indentation removed, its lines
    joined by spaces."""
    paragraphs, lines = [], []
    for line in [*page_text.split("\n"), ""]:
        if line.strip():
            lines.append(re.sub(r" {2,}", " ", line.strip()))
        elif lines:
            paragraphs.append(" ".join(lines))
            lines = []
    return paragraphs


def extract_text(body: bytes | str, *, charset: str | None = None) -> Extracted:
    if isinstance(body, bytes):
        try:
            body = body.decode(charset or "utf-8")
        except (LookupError, UnicodeDecodeError):
            body = decode_file(body)
    text = body.replace("\r\n", "\n").replace("\r", "\n").rstrip()
    if not text.strip():
        raise ExtractionError("The text is empty.")
    title = next(line.strip() for line in text.split("\n") if line.strip())
    return Extracted(
        text=text,
        title=title[:500],
        authors=[],
        published_at=None,
        site_name="",
        canonical_url="",
        language=_detected_language(text),
    )
