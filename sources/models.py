import hashlib
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from factcheck.history import TrackedQuerySet
from factcheck.limits import validate_reason_length

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    if TYPE_CHECKING:
        # Set on an instance before save() or delete(), django-simple-history reads
        # them into the history row: who made the change and why.
        _history_user: AbstractBaseUser
        _change_reason: str

    class Meta:
        abstract = True


# Query parameters that only track the reader; two URLs differing in them are
# the same document.
TRACKING_PARAMETERS = {"fbclid", "gclid", "dclid", "mc_cid", "mc_eid", "igshid", "ref_src"}
DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_url(url: str) -> str:
    """The canonical form under which a source URL is stored and compared.

    Lower-cases the scheme and host, drops default ports, the #fragment and
    tracking parameters (utm_*, fbclid, …), and gives an empty path "/".
    """
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    netloc = host
    if parts.port and parts.port != DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{parts.port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = urlencode(
        [
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if not key.lower().startswith("utm_") and key.lower() not in TRACKING_PARAMETERS
        ]
    )
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Outlet(TimeStampedModel):
    class Kind(models.TextChoices):
        NEWS = "news", "News outlet"
        BROADCASTER = "broadcaster", "Broadcaster"
        GOVERNMENT = "government", "Government"
        MILITARY = "military", "Military"
        AGENCY = "agency", "News agency"
        INTERNATIONAL = "international", "International organisation"
        NGO = "ngo", "NGO"
        SOCIAL = "social", "Social platform"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    homepage = models.URLField(max_length=500, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NEWS)
    reliability_note = models.TextField(blank=True, validators=[validate_reason_length])

    history = HistoricalRecords()
    objects = TrackedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="outlet_name_unique_ci",
                violation_error_message="An outlet with this name already exists.",
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="outlet_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class SourceQuerySet(TrackedQuerySet):
    def with_text(self):
        return self.exclude(text="")


class Source(TimeStampedModel):
    """One document: an article, a statement, a transcript, a broadcast…"""

    class Kind(models.TextChoices):
        ARTICLE = "article", "Article"
        STATEMENT = "statement", "Official statement"
        TRANSCRIPT = "transcript", "Transcript"
        REPORT = "report", "Report"
        SOCIAL_POST = "social_post", "Social post"
        BROADCAST = "broadcast", "Broadcast"
        OTHER = "other", "Other"

    url = models.URLField(
        "URL",
        max_length=2000,
        blank=True,
        help_text="Canonical URL; stored normalised. Leave empty when the document has none.",
    )
    retrieved_from = models.URLField(
        "retrieved from",
        max_length=2000,
        blank=True,
        help_text="The address the text was fetched from, when it is not the canonical URL "
        "(a link with tracking parameters, a redirect, an AMP page). Stored normalised.",
    )
    title = models.CharField(max_length=500)
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="sources")
    authors = models.CharField(
        max_length=500, blank=True, help_text="Names separated by commas, as credited."
    )
    published_at = models.DateTimeField(null=True, blank=True)
    retrieved_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=16, default="en", help_text="BCP 47 tag, e.g. en, fr.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ARTICLE)
    text = models.TextField(
        blank=True,
        help_text="The full text as stored. Anchors count its characters; leave empty for "
        "a document known only by its metadata.",
    )
    content_hash = models.CharField(
        max_length=64, editable=False, help_text="SHA-256 of the text, to detect any change."
    )

    history = HistoricalRecords()

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"],
                condition=~models.Q(url=""),
                name="source_url_unique_when_present",
                violation_error_message="A source with this URL already exists.",
            ),
            models.CheckConstraint(condition=~models.Q(title=""), name="source_title_not_empty"),
        ]
        indexes = [
            # Source lists and filters by publication date, newest first.
            models.Index(fields=["-published_at"], name="source_published_at_idx"),
            # Filtering sources by kind within an outlet.
            models.Index(fields=["outlet", "kind"], name="source_outlet_kind_idx"),
            # An import of a file without an address finds the source it already is by its
            # text.
            models.Index(
                fields=["content_hash"],
                condition=models.Q(url=""),
                name="source_unaddressed_hash_idx",
            ),
            # An import finds the source it already is by the address it came from.
            models.Index(
                fields=["retrieved_from"],
                condition=~models.Q(retrieved_from=""),
                name="source_retrieved_from_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.url = normalize_url(self.url)
        self.retrieved_from = normalize_url(self.retrieved_from)
        self.content_hash = content_hash(self.text)
        # One transaction with what post_save receivers write: claims re-anchors
        # its quotes when the text changes, and a half-done re-anchoring must not
        # outlive a failed save (or the other way round).
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        self.url = normalize_url(self.url)
        if self.url and urlsplit(self.url).scheme not in {"http", "https"}:
            raise ValidationError({"url": "Give an http or https address."})

    @property
    def author_list(self) -> list[str]:
        return [name.strip() for name in self.authors.split(",") if name.strip()]
