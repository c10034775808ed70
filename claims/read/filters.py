from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from claims.models import Appearance, Claim, Evidence, Rating, Speaker, Tag
from claims.read.search import search_claims
from claims.read.verdicts import verdict_condition
from claims.read.visibility import review_state_condition, sees_unpublished
from factcheck.api.filters import (
    DayFilter,
    LanguageFilter,
    MomentFilter,
    SlugsFilter,
    StrictBooleanFilter,
    StrictFilterSet,
    choices_filter,
    ids_filter,
    ids_or_names_filter,
)
from sources.models import Outlet, Source


def _none_chosen(chosen) -> bool:
    """Whether a parameter of records (ids, slugs) is absent.

    An absent one arrives as an empty QuerySet, and asking that whether it is
    empty compiles it: five of them took a millisecond of every filtered list.
    Given values arrive as a QuerySet already fetched while validating them.
    """
    if isinstance(chosen, QuerySet):
        return chosen.query.is_empty()
    return not chosen


def _ids(queryset, label: str):
    return ids_filter(queryset, label, method="filter_related")


def _slugs(queryset, label: str, method: str):
    schema = {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$", "description": label}
    return extend_schema_field(schema)(
        SlugsFilter(queryset=queryset, to_field_name="slug", label=label, method=method)
    )


SEARCH = (
    "Search text, label and speaker names, as a web search reads them (words, "
    '"a phrase", or, -word). On PostgreSQL results come most relevant first; a '
    f"search matching many claims ranks about {settings.SEARCH_RANK_WINDOW} of its "
    "most recently changed matches (add ordering=-updated_at to list them all)."
)


class ClaimFilter(StrictFilterSet):
    """Repeat a parameter for several values (?tag=a&tag=b): a claim matching any
    of them is kept. Different parameters must all match."""

    review_state = choices_filter(
        Claim.ReviewState.choices,
        method="filter_review_state",
        label="Review state the client sees (the public: published or retracted).",
    )
    verdict = _slugs(
        Rating.objects.all(), "Verdict (rating slug) the client sees.", "filter_verdict"
    )
    speaker = ids_or_names_filter(
        Speaker.objects.all(),
        "Speaker id, or name (exact, without regard to case).",
        noun="speaker",
        method="filter_related",
    )
    speaker_kind = choices_filter(Speaker.Kind.choices, field_name="speaker__kind")
    # How the claim is attributed: direct_quote, paraphrase, reported, anonymous, or
    # outlet (the outlet's own reporting).
    attribution = choices_filter(Claim.Attribution.choices, field_name="attribution")
    outlet = ids_or_names_filter(
        Outlet.objects.all(),
        "Outlet id, or name (exact, without regard to case): claims appearing in its sources.",
        noun="outlet",
        method="filter_related",
    )
    source = _ids(Source.objects.all(), "Source id: claims appearing in it.")
    tag = _slugs(Tag.objects.all(), "Tag slug.", "filter_tag")
    language = LanguageFilter()
    stated_on_after = DayFilter(field_name="stated_on", lookup_expr="gte")
    stated_on_before = DayFilter(field_name="stated_on", lookup_expr="lte")
    updated_since = MomentFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="Claims changed at or after this moment, for incremental sync.",
    )
    has_evidence = StrictBooleanFilter(method="filter_has_evidence")
    recheck_due = StrictBooleanFilter(
        method="filter_recheck_due",
        label="true: claims whose re-check date has come (recheck_on on or before today).",
    )
    recheck_on_before = DayFilter(field_name="recheck_on", lookup_expr="lte")
    q = extend_schema_field({"type": "string", "pattern": "^[^\\x00]*$", "description": SEARCH})(
        filters.CharFilter(method="filter_search", label=SEARCH)
    )

    class Meta:
        model = Claim
        fields: list[str] = []

    def filter_related(self, queryset, name, values):
        if _none_chosen(values):
            return queryset
        if name == "speaker":
            return queryset.filter(speaker__in=values)
        appears = Appearance.objects.filter(claim=OuterRef("pk"))
        if name == "outlet":
            appears = appears.filter(source__outlet__in=values)
        else:
            appears = appears.filter(source__in=values)
        return queryset.filter(Exists(appears))

    def filter_tag(self, queryset, name, tags):
        if _none_chosen(tags):
            return queryset
        tagged = Claim.tags.through.objects.filter(claim=OuterRef("pk"), tag__in=tags)
        return queryset.filter(Exists(tagged))

    def filter_verdict(self, queryset, name, ratings):
        if _none_chosen(ratings):
            return queryset
        public = not sees_unpublished(self.request.user)
        return queryset.filter(verdict_condition(ratings, public=public))

    def filter_review_state(self, queryset, name, states):
        if not states:
            return queryset
        public = not sees_unpublished(self.request.user)
        return queryset.filter(review_state_condition(states, public=public))

    def filter_has_evidence(self, queryset, name, value):
        if value is None:
            return queryset
        with_evidence = Exists(Evidence.objects.filter(claim=OuterRef("pk")))
        return queryset.filter(with_evidence if value else ~with_evidence)

    def filter_recheck_due(self, queryset, name, value):
        if value is None:
            return queryset
        due = Q(pk__in=Claim.objects.due_for_recheck().values("pk"))
        return queryset.filter(due if value else ~due)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return search_claims(queryset, value, self.request) if value else queryset
