"""Storing an imported document: the one place an import writes.

A document is the same source when its canonical URL or the address it was fetched
from matches a source's ``url`` or ``retrieved_from``: importing either again finds it,
never a duplicate. An unchanged text leaves it as it is; a changed text is stored
(the previous one stays in the source's history) and claims re-anchors every quote
of it (``claims.signals``), orphans flagged as on any edit.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from sources.intake.extract import Extracted
from sources.models import Outlet, Source, content_hash, normalize_url


class ImportRefused(Exception):
    """The document cannot be stored as given; the message says what to add."""


@dataclass(frozen=True)
class ImportOutcome:
    action: str  # "created", "unchanged" or "updated"
    source: Source
    reanchored: int = 0
    orphaned: int = 0

    def __str__(self) -> str:
        """The line import_sources prints for it."""
        if self.action == "created":
            return f"created {self.source.pk} {self.source.url or self.source.title}"
        if self.action == "updated":
            return (
                f"updated {self.source.pk} (re-anchored {self.reanchored}, "
                f"orphaned {self.orphaned})"
            )
        return f"unchanged {self.source.pk}"


def source_import(
    extracted: Extracted,
    *,
    retrieved_from: str = "",
    also_at: Sequence[str] = (),
    user=None,
    title: str = "",
    outlet: Outlet | None = None,
    kind: str = Source.Kind.ARTICLE,
) -> ImportOutcome:
    """Store ``extracted`` (fetched from ``retrieved_from``, if it was) as a source: a new
    one, or the one it already is, found by its addresses (and ``also_at``: where a
    redirect led). A document without any address is the same source as one without
    an address and the same text. ``title`` and ``outlet`` override what the page says
    (they must be given for a document that says neither)."""
    addresses = _addresses(extracted.canonical_url, retrieved_from)
    known_at = [*addresses, *(normalize_url(url) for url in also_at if url)]
    for attempt in range(2):
        try:
            with transaction.atomic():
                existing = _existing(known_at, extracted.text)
                if existing is not None:
                    return _reimport(existing, extracted, user=user, title=title)
                return _create(
                    extracted,
                    addresses,
                    user=user,
                    title=title,
                    outlet=outlet,
                    kind=kind,
                )
        except IntegrityError:
            # Imported by someone else at the same moment: the second time finds it.
            if attempt:
                raise
    raise AssertionError("unreachable")


def _addresses(canonical: str, retrieved_from: str) -> list[str]:
    """The source's url first (its canonical URL, else where it came from), then the
    address it came from if that differs."""
    urls = [normalize_url(url) for url in (canonical, retrieved_from)]
    return list(dict.fromkeys(url for url in urls if url))


def _existing(addresses: list[str], text: str) -> Source | None:
    if addresses:
        match = Q(url__in=addresses) | Q(retrieved_from__in=addresses)
    else:
        match = Q(url="", content_hash=content_hash(text))
    return Source.objects.select_for_update().filter(match).order_by("id").first()


def _reimport(source: Source, extracted: Extracted, *, user, title: str) -> ImportOutcome:
    if source.text == extracted.text:
        return ImportOutcome("unchanged", source)
    source.text = extracted.text
    source.retrieved_at = timezone.now()
    if user is not None and user.is_authenticated:
        source._history_user = user
    source._change_reason = "Imported again: the text changed"
    source.save()
    report = getattr(source, "reanchor_report", None)
    moved = (report.moved + report.restored) if report is not None else 0
    orphaned = len(report.orphaned) if report is not None else 0
    return ImportOutcome("updated", source, reanchored=moved, orphaned=orphaned)


def _create(
    extracted: Extracted,
    addresses: list[str],
    *,
    user,
    title: str,
    outlet: Outlet | None,
    kind: str,
) -> ImportOutcome:
    title = (title or extracted.title).strip()[:500]
    if not title:
        raise ImportRefused("The document has no title: type one.")
    if outlet is None:
        outlet = outlet_for(extracted.site_name, addresses[0] if addresses else "")
    if outlet is None:
        raise ImportRefused("The document names no outlet and has no address: choose one.")
    source = Source(
        url=addresses[0] if addresses else "",
        retrieved_from=addresses[1] if len(addresses) > 1 else "",
        title=title,
        outlet=outlet,
        authors=", ".join(extracted.authors)[:500],
        published_at=extracted.published_at,
        retrieved_at=timezone.now() if addresses else None,
        language=(extracted.language or "en")[:16],
        kind=kind,
        text=extracted.text,
    )
    if user is not None and user.is_authenticated:
        source._history_user = user
    source._change_reason = "Imported"
    source.full_clean(exclude=["outlet"], validate_unique=False)
    source.save()
    return ImportOutcome("created", source)


def outlet_for(site_name: str, url: str) -> Outlet | None:
    """The outlet of a page: the one whose homepage is on the page's domain, else the one
    of that name, else a new one with that name (or the domain) and homepage."""
    host = _domain(url)
    if host:
        for outlet in Outlet.objects.exclude(homepage="").filter(homepage__icontains=host):
            if _domain(outlet.homepage) == host:
                return outlet
    name = site_name.strip()[:200]
    if name:
        named = Outlet.objects.filter(name__iexact=name).order_by("id").first()
        if named is not None:
            return named
    if not (name or host):
        return None
    parts = urlsplit(url)
    homepage = f"{parts.scheme or 'https'}://{parts.netloc.rsplit('@', 1)[-1]}/" if host else ""
    return Outlet.objects.create(name=name or host, homepage=homepage, kind=Outlet.Kind.NEWS)


def _domain(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")
