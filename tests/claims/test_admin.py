import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import TokenProxy

from claims.admin.forms import ClaimForm
from claims.models import Appearance, Claim, Evidence, Rating, Speaker, Tag, VerdictEntry
from claims.services import claim_transition
from factcheck.admin_tools import EstimatedCountPaginator
from sources.models import Outlet, Source
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    EvidenceFactory,
    GroupFactory,
    OutletFactory,
    RatingFactory,
    SourceFactory,
    SpeakerFactory,
    TagFactory,
    UserFactory,
    VerdictEntryFactory,
)

# How to make one row of each registered model. A model registered without an
# entry here fails the page tests below, on purpose.
MAKERS = {
    Outlet: OutletFactory,
    Source: SourceFactory,
    Speaker: SpeakerFactory,
    Tag: TagFactory,
    Rating: RatingFactory,
    Claim: ClaimFactory,
    Appearance: AppearanceFactory,
    Evidence: EvidenceFactory,
    User: UserFactory,
    Group: GroupFactory,
    VerdictEntry: VerdictEntryFactory,
    TokenProxy: lambda: TokenProxy.objects.create(user=UserFactory()),
}
REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
OUR_MODELS = [model for model in REGISTERED if model._meta.app_label in {"claims", "sources"}]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def counts_over(queries, table: str) -> list[str]:
    """The COUNT queries (QuerySet.count() names its result "__count") that read ``table``."""
    return [q["sql"] for q in queries if '"__count"' in q["sql"] and f'"{table}"' in q["sql"]]


def change_url_of(obj, user):
    """The change link the changelist gives the object (some admins map their ids)."""
    model_admin = admin.site._registry[type(obj)]
    request = RequestFactory().get("/")
    request.user = user
    return model_admin.get_changelist_instance(request).url_for_result(obj)


# Every page of every registered model


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_changelist_renders_for_staff(staff_client, model):
    MAKERS[model]()

    response = staff_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_add_page_renders_for_staff(staff_client, model):
    response = staff_client.get(admin_url(model, "add"))

    # Verdict entries are recorded from the claim's page, by the service.
    assert response.status_code == (403 if model is VerdictEntry else 200)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_change_page_renders_for_staff(staff_client, staff_user, model):
    obj = MAKERS[model]()

    response = staff_client.get(change_url_of(obj, staff_user))

    assert response.status_code == 200
    assert response.context["original"] == obj


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda model: model._meta.label)
def test_every_history_page_renders_for_staff(staff_client, model):
    obj = MAKERS[model]()

    response = staff_client.get(admin_url(model, "history", obj.pk))

    assert response.status_code == 200


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda model: model._meta.label)
def test_changelist_queries_do_not_grow_with_the_rows(staff_client, model):
    def changelist_queries():
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(admin_url(model, "changelist"))
        assert response.status_code == 200
        return len(queries)

    for _ in range(3):
        MAKERS[model]()
    with_three = changelist_queries()
    for _ in range(27):
        MAKERS[model]()

    assert changelist_queries() == with_three


def test_claim_history_lists_each_edit_with_its_editor(staff_client, staff_user):
    claim = ClaimFactory(label="imminent attack")
    data = claim_form_data(claim, label="imminent attacks")
    staff_client.post(admin_url(Claim, "change", claim.pk), data)

    response = staff_client.get(admin_url(Claim, "history", claim.pk))

    assert response.status_code == 200
    assert "imminent attacks" in response.content.decode()
    assert claim.history.latest().history_user == staff_user


def test_a_past_version_of_a_claim_can_be_viewed(staff_client):
    claim = ClaimFactory()
    record = claim.history.latest()

    response = staff_client.get(
        reverse("admin:claims_claim_simple_history", args=[claim.pk, record.history_id])
    )

    assert response.status_code == 200


# The claim list


@pytest.fixture
def two_claims(db):
    """One claim that every filter below picks, and one that none picks."""
    outlet = OutletFactory(name="Reuters")
    tag = TagFactory(name="Iran")
    picked = ClaimFactory(
        label="picked claim",
        review_state=Claim.ReviewState.IN_RESEARCH,
        verdict=Rating.objects.get(slug="false"),
        speaker=SpeakerFactory(kind=Speaker.Kind.GOVERNMENT),
        stated_on=datetime.date(2020, 1, 8),
    )
    picked.tags.add(tag)
    # Two appearances in the same outlet: the outlet filter must still list it once.
    AppearanceFactory(claim=picked, source=SourceFactory(outlet=outlet))
    AppearanceFactory(claim=picked, source=SourceFactory(outlet=outlet))
    EvidenceFactory(claim=picked)
    other = ClaimFactory(label="other claim", stated_on=datetime.date(2019, 1, 1))
    with connection.cursor() as cursor:
        # Raw SQL: saving would stamp it now, and tracked querysets refuse update().
        cursor.execute(
            "UPDATE claims_claim SET updated_at = %s WHERE id = %s",
            [timezone.now() - datetime.timedelta(days=400), other.pk],
        )
    return picked, other


@pytest.mark.parametrize(
    "filter_params",
    [
        lambda picked: {"review_state__exact": "in_research"},
        lambda picked: {"verdict__id__exact": picked.verdict_id},
        lambda picked: {"speaker__id__exact": picked.speaker_id},
        lambda picked: {"speaker_kind": "government"},
        lambda picked: {"outlet": Outlet.objects.get(name="Reuters").pk},
        lambda picked: {"tags__id__exact": picked.tags.get().pk},
        lambda picked: {"stated_on__gte": "2020-01-01", "stated_on__lt": "2020-02-01"},
        lambda picked: {"updated_at__gte": str(timezone.now() - datetime.timedelta(days=7))},
        lambda picked: {"has_evidence": "yes"},
        lambda picked: {"q": "picked"},
    ],
    ids=[
        "review state",
        "verdict",
        "speaker",
        "speaker kind",
        "outlet",
        "tag",
        "stated on",
        "updated at",
        "has evidence",
        "search",
    ],
)
def test_each_claim_filter_lists_just_the_matching_claim_once(
    staff_client, two_claims, filter_params
):
    picked, _ = two_claims

    response = staff_client.get(admin_url(Claim, "changelist"), filter_params(picked))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [picked]
    assert response.context["cl"].result_count == 1


def test_claims_without_evidence_can_be_listed(staff_client, two_claims):
    _, other = two_claims

    response = staff_client.get(admin_url(Claim, "changelist"), {"has_evidence": "no"})

    assert list(response.context["cl"].result_list) == [other]


def test_the_speaker_filter_offers_only_speakers_with_claims(staff_client, two_claims):
    picked, _ = two_claims
    idle = SpeakerFactory(name="Speaker without claims")

    response = staff_client.get(admin_url(Claim, "changelist"))

    page = response.content.decode()
    assert picked.speaker.name in page
    assert idle.name not in page


@pytest.mark.parametrize("outlet", ["reuters", "99999999999999999999"])
def test_a_malformed_outlet_filter_is_not_an_error_page(staff_client, two_claims, outlet):
    response = staff_client.get(admin_url(Claim, "changelist"), {"outlet": outlet})

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_the_verdict_is_shown_in_its_colour(staff_client, two_claims):
    response = staff_client.get(admin_url(Claim, "changelist"))

    assert "background-color: #c62828" in response.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner estimates are PostgreSQL's")
def test_the_unfiltered_claim_list_does_not_count_the_claims_table(staff_client, monkeypatch):
    for _ in range(5):
        ClaimFactory()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    monkeypatch.setattr(EstimatedCountPaginator, "exact_count_below", 1)

    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(admin_url(Claim, "changelist"))

    assert counts_over(queries, "claims_claim") == []
    assert response.context["cl"].result_count == 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner estimates are PostgreSQL's")
def test_a_filtered_claim_list_is_counted_exactly(staff_client, monkeypatch):
    for _ in range(5):
        ClaimFactory()
    ClaimFactory(review_state=Claim.ReviewState.IN_REVIEW)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    monkeypatch.setattr(EstimatedCountPaginator, "exact_count_below", 1)

    response = staff_client.get(
        admin_url(Claim, "changelist"), {"review_state__exact": "in_review"}
    )

    assert response.context["cl"].result_count == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner estimates are PostgreSQL's")
def test_a_small_table_is_counted_exactly_even_when_its_statistics_lag(staff_client):
    ClaimFactory()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    ClaimFactory()

    response = staff_client.get(admin_url(Claim, "changelist"))

    assert response.context["cl"].result_count == 2


# The claim form


SOURCE_TEXT = "The minister said “no casualties” were reported.\u00a0Officials disagreed — twice."


def inline_data(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": len(rows),
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            if value is False or value is None:
                value = ""  # an unticked box is left out; an empty number is blank
            if value is True:
                value = "on"
            if value != "" or name not in {"is_first", "DELETE"}:
                data[f"{prefix}-{index}-{name}"] = value
    return data


def appearance_row(appearance: Appearance, **changes) -> dict:
    row = {
        "id": appearance.pk,
        "claim": appearance.claim_id,
        "source": appearance.source_id,
        "exact": appearance.exact,
        "prefix": appearance.prefix,
        "suffix": appearance.suffix,
        "start": appearance.start,
        "end": appearance.end,
        "is_first": appearance.is_first,
        "note": appearance.note,
    }
    return row | changes


def new_appearance_row(source: Source, **fields) -> dict:
    return {"source": source.pk, "exact": "", "start": None, "end": None} | fields


def claim_form_data(claim: Claim | None = None, *, appearances=(), evidence=(), **fields) -> dict:
    """What the claim page posts: the claim's fields and both inline formsets."""
    data = {
        "label": "no casualties",
        "text": "No Americans were harmed in last night's attack.",
        "language": "en",
        "speaker": "",
        "speaker_role": "",
        "attribution": Claim.Attribution.DIRECT_QUOTE,
        "stated_on": "",
        "recheck_on": "",
        "loaded_version": 1,
    }
    existing_appearances = []
    if claim is not None:
        data |= {
            "label": claim.label,
            "text": claim.text,
            "language": claim.language,
            "speaker": claim.speaker_id or "",
            "speaker_role": claim.speaker_role,
            "attribution": claim.attribution,
            "stated_on": claim.stated_on or "",
            "recheck_on": claim.recheck_on or "",
            "loaded_version": claim.version,
            "tags": [tag.pk for tag in claim.tags.all()],
        }
        existing_appearances = [appearance_row(a) for a in claim.appearances.all()]
    data |= fields
    appearance_rows = list(appearances) if appearances else existing_appearances
    initial = len(existing_appearances)
    data |= inline_data("appearances", appearance_rows, initial=initial)
    data |= inline_data("evidence", list(evidence))
    return data


def test_a_claim_with_an_appearance_anchored_by_quote_is_saved_with_its_offsets(staff_client):
    source = SourceFactory(text=SOURCE_TEXT)
    # Typed with straight quotes and a plain space; the text has curly ones and a no-break space.
    typed = '"no casualties" were reported. Officials'
    data = claim_form_data(appearances=[new_appearance_row(source, exact=typed)])

    response = staff_client.post(admin_url(Claim, "add"), data)

    assert response.status_code == 302
    appearance = Appearance.objects.get()
    assert SOURCE_TEXT[appearance.start : appearance.end] == appearance.exact
    assert appearance.exact == "“no casualties” were reported.\u00a0Officials"
    assert appearance.prefix == "The minister said "
    assert appearance.is_first


def test_a_claim_with_an_appearance_anchored_by_offsets_gets_its_quote(staff_client):
    source = SourceFactory(text=SOURCE_TEXT)
    data = claim_form_data(appearances=[new_appearance_row(source, start=4, end=12)])

    staff_client.post(admin_url(Claim, "add"), data)

    assert Appearance.objects.get().exact == "minister"


def test_evidence_can_be_added_with_or_without_a_quote(staff_client):
    source = SourceFactory(text=SOURCE_TEXT)
    broadcast = SourceFactory(text="")
    evidence = [
        {"source": source.pk, "stance": "refutes", "exact": "Officials disagreed"},
        {"source": broadcast.pk, "stance": "context", "note": "Said on air."},
    ]

    response = staff_client.post(admin_url(Claim, "add"), claim_form_data(evidence=evidence))

    assert response.status_code == 302
    quoted, unquoted = Evidence.objects.order_by("id")
    assert SOURCE_TEXT[quoted.start : quoted.end] == "Officials disagreed"
    assert unquoted.start is None
    assert unquoted.note == "Said on air."


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"label": ""}, "This field is required."),
        ({"text": ""}, "This field is required."),
    ],
    ids=["empty label", "empty text"],
)
def test_the_claim_form_shows_missing_fields_and_saves_nothing(staff_client, fields, message):
    response = staff_client.post(admin_url(Claim, "add"), claim_form_data(**fields))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"exact": "no survivors"}, "is not in the source text"),
        ({"exact": "twice"}, "occurs 2 times in the text"),
        ({"start": 10, "end": 500}, "is past the end of the text"),
        ({"start": 12, "end": 4}, "must be greater than the start offset"),
        ({"start": 4}, "Give the end offset as well as the start."),
        ({"exact": "minister", "start": 0, "end": 8}, "does not match the text at offsets"),
        ({}, "Give the quote as it appears in the source, or its offsets."),
    ],
    ids=[
        "quote not in text",
        "ambiguous quote",
        "offset past the end",
        "end before start",
        "start without end",
        "quote and offsets disagree",
        "no anchor at all",
    ],
)
def test_the_claim_form_shows_appearance_anchor_errors_and_saves_nothing(
    staff_client, row, message
):
    source = SourceFactory(text="Twice, he said it twice. " + SOURCE_TEXT)
    data = claim_form_data(appearances=[new_appearance_row(source, **row)])

    response = staff_client.post(admin_url(Claim, "add"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Claim.objects.exists()
    assert not Appearance.objects.exists()


def test_a_quote_in_a_source_without_text_is_refused(staff_client):
    broadcast = SourceFactory(text="")
    data = claim_form_data(evidence=[{"source": broadcast.pk, "stance": "refutes", "exact": "x"}])

    response = staff_client.post(admin_url(Claim, "add"), data)

    assert response.status_code == 200
    assert "This source has no stored text" in response.content.decode()
    assert not Evidence.objects.exists()


def test_the_claim_form_refuses_two_first_appearances(staff_client):
    first, second = SourceFactory(text=SOURCE_TEXT), SourceFactory(text=SOURCE_TEXT)
    rows = [
        new_appearance_row(first, exact="no casualties", is_first=True),
        new_appearance_row(second, exact="no casualties", is_first=True),
    ]

    response = staff_client.post(admin_url(Claim, "add"), claim_form_data(appearances=rows))

    assert response.status_code == 200
    assert "Tick only one appearance as the first appearance" in response.content.decode()
    assert not Claim.objects.exists()


def test_the_claim_form_refuses_the_same_span_twice(staff_client):
    source = SourceFactory(text=SOURCE_TEXT)
    # The same words, once typed and once given by their offsets.
    rows = [
        new_appearance_row(source, exact="no casualties"),
        new_appearance_row(source, start=19, end=32),
    ]

    response = staff_client.post(admin_url(Claim, "add"), claim_form_data(appearances=rows))

    assert response.status_code == 200
    assert "This claim is already anchored at this place." in response.content.decode()
    assert not Appearance.objects.exists()


def test_the_claim_form_refuses_a_span_someone_else_just_added(staff_client):
    appearance = AppearanceFactory()
    claim = appearance.claim
    data = claim_form_data(claim)
    # Another editor anchors a second appearance while this page is open...
    AppearanceFactory(claim=claim, source=appearance.source, exact="Officials disagreed")
    # ...and this editor, not seeing it, anchors the same words.
    data |= inline_data(
        "appearances",
        [
            appearance_row(appearance),
            new_appearance_row(appearance.source, exact="Officials disagreed"),
        ],
        initial=1,
    )

    response = staff_client.post(admin_url(Claim, "change", claim.pk), data)

    assert response.status_code == 200
    assert "This claim is already anchored at this place." in response.content.decode()
    assert claim.appearances.count() == 2


def test_switching_the_first_appearance_moves_the_mark(staff_client):
    first = AppearanceFactory()
    claim = first.claim
    later = AppearanceFactory(claim=claim, source=SourceFactory())
    assert Appearance.objects.get(pk=first.pk).is_first
    rows = [appearance_row(first, is_first=False), appearance_row(later, is_first=True)]

    response = staff_client.post(
        admin_url(Claim, "change", claim.pk), claim_form_data(claim, appearances=rows)
    )

    assert response.status_code == 302
    first.refresh_from_db()
    later.refresh_from_db()
    assert later.is_first
    assert not first.is_first


def test_deleting_the_first_appearance_hands_the_mark_on(staff_client):
    first = AppearanceFactory()
    claim = first.claim
    other = AppearanceFactory(claim=claim, source=SourceFactory())
    # The editor unticks the box of the row being deleted, as one tidies up.
    rows = [appearance_row(first, is_first=False, DELETE=True), appearance_row(other)]

    response = staff_client.post(
        admin_url(Claim, "change", claim.pk), claim_form_data(claim, appearances=rows)
    )

    assert response.status_code == 302
    assert list(claim.appearances.all()) == [other]
    other.refresh_from_db()
    assert other.is_first


def test_a_new_quote_on_an_anchored_appearance_is_looked_up_again(staff_client):
    appearance = AppearanceFactory()  # "no casualties", anchored with its offsets
    claim = appearance.claim
    rows = [appearance_row(appearance, exact="Officials disagreed")]

    response = staff_client.post(
        admin_url(Claim, "change", claim.pk), claim_form_data(claim, appearances=rows)
    )

    assert response.status_code == 302
    appearance.refresh_from_db()
    text = appearance.source.text
    assert text[appearance.start : appearance.end] == "Officials disagreed"
    assert appearance.prefix.endswith("reported.\u00a0")


def test_new_offsets_on_an_anchored_appearance_take_the_quote_there(staff_client):
    appearance = AppearanceFactory()
    claim = appearance.claim
    rows = [appearance_row(appearance, start=4, end=12)]

    response = staff_client.post(
        admin_url(Claim, "change", claim.pk), claim_form_data(claim, appearances=rows)
    )

    assert response.status_code == 302
    appearance.refresh_from_db()
    assert appearance.exact == "minister"


def test_moving_an_appearance_to_another_source_finds_the_quote_there(staff_client):
    appearance = AppearanceFactory()
    claim = appearance.claim
    elsewhere = SourceFactory(text="Reports of no casualties came first.")
    rows = [appearance_row(appearance, source=elsewhere.pk)]

    response = staff_client.post(
        admin_url(Claim, "change", claim.pk), claim_form_data(claim, appearances=rows)
    )

    assert response.status_code == 302
    appearance.refresh_from_db()
    assert (appearance.source, appearance.start, appearance.prefix) == (
        elsewhere,
        11,
        "Reports of ",
    )


def test_a_stale_claim_form_is_refused_and_the_other_change_kept(staff_client):
    claim = ClaimFactory(label="imminent attack")
    # The editor opens the claim...
    data = claim_form_data(claim, label="imminent attack (disputed)")
    # ...and a colleague saves it first.
    claim.label = "imminent threat"
    claim.save()

    response = staff_client.post(admin_url(Claim, "change", claim.pk), data)

    assert response.status_code == 200
    assert "Someone else saved this claim after you opened it" in response.content.decode()
    claim.refresh_from_db()
    assert claim.label == "imminent threat"
    assert claim.version == 2


def test_the_claim_page_carries_the_version_it_shows(staff_client):
    claim = ClaimFactory()
    claim.save()

    response = staff_client.get(admin_url(Claim, "change", claim.pk))

    assert 'name="loaded_version" value="2"' in response.content.decode()


def test_saving_a_claim_raises_its_version(staff_client):
    claim = ClaimFactory()

    response = staff_client.post(
        admin_url(Claim, "change", claim.pk), claim_form_data(claim, label="new label")
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.label, claim.version) == ("new label", 2)


def test_a_save_racing_another_is_refused_with_a_message_and_saves_nothing(
    staff_client, monkeypatch
):
    appearance = AppearanceFactory()
    claim = appearance.claim
    rows = [appearance_row(appearance, note="my note")]
    data = claim_form_data(claim, label="mine", appearances=rows)
    claim.label = "theirs"
    claim.save()
    # The colleague's save lands after the form's check and before ours.
    monkeypatch.setattr(ClaimForm, "stored_version", lambda form: 1)

    response = staff_client.post(admin_url(Claim, "change", claim.pk), data, follow=True)

    assert response.status_code == 200
    assert "Someone else saved this claim while you were saving it" in response.content.decode()
    claim.refresh_from_db()
    appearance.refresh_from_db()
    assert (claim.label, appearance.note) == ("theirs", "")


# The other claims pages


def test_a_speaker_cannot_be_its_own_parent(staff_client):
    speaker = SpeakerFactory()
    data = {"name": speaker.name, "kind": speaker.kind, "parent": speaker.pk}

    response = staff_client.post(admin_url(Speaker, "change", speaker.pk), data)

    assert response.status_code == 200
    assert "This would make the speaker a member of itself." in response.content.decode()
    speaker.refresh_from_db()
    assert speaker.parent is None


def test_a_speaker_cannot_join_its_own_member(staff_client):
    government = SpeakerFactory(kind=Speaker.Kind.GOVERNMENT)
    pentagon = SpeakerFactory(kind=Speaker.Kind.MILITARY, parent=government)
    data = {"name": government.name, "kind": government.kind, "parent": pentagon.pk}

    response = staff_client.post(admin_url(Speaker, "change", government.pk), data)

    assert response.status_code == 200
    assert "This would make the speaker a member of itself." in response.content.decode()


def test_two_speakers_cannot_share_a_wikidata_id(staff_client):
    SpeakerFactory(wikidata_id="Q22686")
    data = {"name": "Donald J. Trump", "kind": "person", "wikidata_id": "Q22686"}

    response = staff_client.post(admin_url(Speaker, "add"), data)

    assert response.status_code == 200
    assert "Another speaker already has this Wikidata ID." in response.content.decode()


def test_tag_names_are_unique_whatever_their_case(staff_client):
    TagFactory(name="Iran", slug="iran")

    response = staff_client.post(admin_url(Tag, "add"), {"name": "IRAN", "slug": "iran-2"})

    assert response.status_code == 200
    assert "A tag with this name already exists." in response.content.decode()
    assert Tag.objects.count() == 1


def speaker_with_a_claim():
    return ClaimFactory().speaker


def rating_in_use():
    return ClaimFactory(verdict=Rating.objects.get(slug="false")).verdict


def claim_with_a_verdict():
    return VerdictEntryFactory().claim


@pytest.mark.parametrize("protected", [speaker_with_a_claim, rating_in_use, claim_with_a_verdict])
def test_deleting_a_record_that_claims_use_explains_why_it_cannot_be(staff_client, protected):
    obj = protected()

    response = staff_client.post(
        admin_url(type(obj), "delete", obj.pk), {"post": "yes"}, follow=True
    )

    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in (
        response.content.decode()
    )
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_an_appearance_can_be_added_on_its_own_page(staff_client):
    claim = ClaimFactory()
    source = SourceFactory(text=SOURCE_TEXT)
    data = {"claim": claim.pk, "source": source.pk, "exact": "Officials disagreed", "note": ""}

    response = staff_client.post(admin_url(Appearance, "add"), data)

    assert response.status_code == 302
    appearance = Appearance.objects.get()
    assert SOURCE_TEXT[appearance.start : appearance.end] == "Officials disagreed"


def test_the_appearance_page_refuses_a_span_already_taken(staff_client):
    taken = AppearanceFactory()
    data = {"claim": taken.claim_id, "source": taken.source_id, "exact": "no casualties"}

    response = staff_client.post(admin_url(Appearance, "add"), data)

    assert response.status_code == 200
    assert "This claim is already anchored at this place." in response.content.decode()
    assert Appearance.objects.count() == 1


def test_deleting_appearances_from_the_list_keeps_a_first_appearance(staff_client):
    def appearance_published(day, **kwargs):
        source = SourceFactory(published_at=f"2020-01-{day:02}T12:00:00Z")
        return AppearanceFactory(source=source, **kwargs)

    kept = appearance_published(5)
    claim = kept.claim
    earliest = appearance_published(3, claim=claim)
    marked = appearance_published(9, claim=claim, is_first=True)
    # Deleting the marked one hands the mark to the earliest, which goes next.
    data = {"action": "delete_selected", "_selected_action": [marked.pk, earliest.pk]}

    response = staff_client.post(admin_url(Appearance, "changelist"), data | {"post": "yes"})

    assert response.status_code == 302
    assert list(claim.appearances.all()) == [kept]
    kept.refresh_from_db()
    assert kept.is_first


def test_claims_can_be_found_by_a_speaker_alias(staff_client):
    speaker = SpeakerFactory(name="Donald J. Trump", aliases="Trump\nPOTUS")
    claim = ClaimFactory(speaker=speaker)
    ClaimFactory()

    response = staff_client.get(admin_url(Claim, "changelist"), {"q": "potus"})

    assert list(response.context["cl"].result_list) == [claim]


def test_speaker_autocomplete_finds_speakers_by_name(staff_client):
    SpeakerFactory(name="Mark Esper")
    SpeakerFactory(name="Qassem Soleimani")

    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "claims", "model_name": "claim", "field_name": "speaker", "term": "esper"},
    )

    assert [result["text"] for result in response.json()["results"]] == ["Mark Esper"]


# The review workflow on the claim page: claims.services behind small forms


def transition_url(claim):
    return reverse("admin:claims_claim_transition", args=[claim.pk])


def verdict_url(claim):
    return reverse("admin:claims_claim_verdict", args=[claim.pk])


def verdict_data(claim, **fields) -> dict:
    return {
        "rating": Rating.objects.get(slug="false").pk,
        "rationale": "Contradicted by the Pentagon's own figures.",
        "holds_from": "2020-01-16",
        "version": claim.version,
    } | fields


def test_the_claim_page_offers_the_workflow_pages(staff_client):
    claim = ClaimFactory()

    page = staff_client.get(admin_url(Claim, "change", claim.pk)).content.decode()

    assert transition_url(claim) in page
    assert verdict_url(claim) in page


@pytest.mark.parametrize("url", [transition_url, verdict_url], ids=["transition", "verdict"])
def test_the_workflow_pages_render(staff_client, url):
    claim = ClaimFactory()
    EvidenceFactory(claim=claim)

    response = staff_client.get(url(claim))

    assert response.status_code == 200


def test_the_claim_form_cannot_set_the_review_state_or_verdict(staff_client):
    claim = ClaimFactory()
    data = claim_form_data(claim, review_state="published", verdict=Rating.objects.first().pk)

    response = staff_client.post(admin_url(Claim, "change", claim.pk), data)

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.review_state == Claim.ReviewState.DRAFT
    assert claim.verdict.slug == Rating.UNVERIFIED


def test_an_editor_moves_a_claim_on_and_history_names_them(client, editor):
    claim = ClaimFactory()
    client.force_login(editor)

    response = client.post(
        transition_url(claim), {"to": "in_research", "reason": "", "version": claim.version}
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.review_state == Claim.ReviewState.IN_RESEARCH
    assert claim.history.latest().history_user == editor


def test_an_editor_is_told_that_publishing_takes_a_reviewer(client, editor, reviewer):
    claim = ClaimFactory(review_state=Claim.ReviewState.IN_REVIEW)
    VerdictEntryFactory(claim=claim, recorded_by=reviewer)
    client.force_login(editor)

    response = client.post(transition_url(claim), {"to": "published", "version": claim.version})

    assert response.status_code == 200
    assert "that takes the reviewer role" in response.content.decode()
    claim.refresh_from_db()
    assert claim.review_state == Claim.ReviewState.IN_REVIEW


def test_publishing_from_the_admin_needs_a_second_reviewer(client, reviewer, second_reviewer):
    claim = ClaimFactory(review_state=Claim.ReviewState.IN_REVIEW)
    VerdictEntryFactory(claim=claim, recorded_by=reviewer)
    client.force_login(reviewer)

    refused = client.post(transition_url(claim), {"to": "published", "version": claim.version})
    client.force_login(second_reviewer)
    published = client.post(transition_url(claim), {"to": "published", "version": claim.version})

    assert "another reviewer must publish it" in refused.content.decode()
    assert published.status_code == 302
    claim.refresh_from_db()
    assert claim.review_state == Claim.ReviewState.PUBLISHED


def test_a_retraction_without_a_reason_is_shown_at_the_reason(client, reviewer, second_reviewer):
    claim = ClaimFactory(review_state=Claim.ReviewState.IN_REVIEW)
    VerdictEntryFactory(claim=claim, recorded_by=reviewer)
    claim_transition(claim=claim, to="published", by=second_reviewer)
    claim.refresh_from_db()
    client.force_login(reviewer)

    response = client.post(
        transition_url(claim), {"to": "retracted", "reason": " ", "version": claim.version}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Say why the claim is being retracted."]


def test_a_transition_from_a_stale_page_is_refused(staff_client):
    claim = ClaimFactory()
    loaded_version = claim.version
    claim.save()

    response = staff_client.post(
        transition_url(claim), {"to": "in_research", "version": loaded_version}
    )

    assert response.status_code == 200
    assert "This claim was changed by someone else" in response.content.decode()
    claim.refresh_from_db()
    assert claim.review_state == Claim.ReviewState.DRAFT


def test_a_verdict_that_needs_evidence_is_refused_without_it(staff_client):
    claim = ClaimFactory()

    response = staff_client.post(verdict_url(claim), verdict_data(claim))

    assert response.status_code == 200
    assert "must rest on at least one evidence item" in "".join(
        response.context["form"].errors["evidence"]
    )
    assert not claim.verdict_entries.exists()


def test_a_verdict_without_a_rationale_is_shown_at_the_rationale(staff_client):
    claim = ClaimFactory()
    data = verdict_data(claim, rating=Rating.objects.get(slug=Rating.UNVERIFIED).pk, rationale="")

    response = staff_client.post(verdict_url(claim), data)

    assert response.status_code == 200
    assert response.context["form"].errors["rationale"] == ["Give the rationale for this verdict."]


def test_a_recorded_verdict_becomes_the_claims_verdict_and_joins_its_timeline(
    staff_client, staff_user
):
    claim = ClaimFactory()
    evidence = EvidenceFactory(claim=claim)

    response = staff_client.post(verdict_url(claim), verdict_data(claim, evidence=[evidence.pk]))

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.verdict.slug == "false"
    entry = claim.verdict_entries.get()
    assert (entry.recorded_by, list(entry.evidence.all())) == (staff_user, [evidence])
    page = staff_client.get(admin_url(Claim, "change", claim.pk)).content.decode()
    assert "<li>from 2020-01-16: " in page


def test_evidence_a_verdict_rests_on_cannot_be_deleted_from_the_claim_page(staff_client):
    claim = ClaimFactory()
    evidence = EvidenceFactory(claim=claim)
    VerdictEntryFactory(claim=claim, rating=Rating.objects.get(slug="false")).evidence.add(evidence)
    claim.refresh_from_db()
    row = {
        "id": evidence.pk,
        "claim": claim.pk,
        "source": evidence.source_id,
        "stance": evidence.stance,
        "DELETE": True,
    }
    data = claim_form_data(claim) | inline_data("evidence", [row], initial=1)

    response = staff_client.post(admin_url(Claim, "change", claim.pk), data)

    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in (
        response.content.decode()
    )
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_an_editor_without_superuser_rights_can_work_on_a_claim(client, editor):
    appearance = AppearanceFactory()
    claim = appearance.claim
    client.force_login(editor)
    rows = [appearance_row(appearance, exact="Officials disagreed")]

    page = client.get(admin_url(Claim, "change", claim.pk))
    saved = client.post(
        admin_url(Claim, "change", claim.pk), claim_form_data(claim, appearances=rows)
    )

    assert page.status_code == 200
    assert saved.status_code == 302
    appearance.refresh_from_db()
    assert appearance.exact == "Officials disagreed"


def test_the_unverified_rating_cannot_be_deleted_or_reslugged(staff_client):
    unverified = Rating.objects.get(slug=Rating.UNVERIFIED)
    change_url = reverse("admin:claims_rating_change", args=[unverified.pk])

    page = staff_client.get(change_url)
    staff_client.post(
        reverse("admin:claims_rating_changelist"),
        {"action": "delete_selected", "_selected_action": [unverified.pk], "post": "yes"},
    )

    assert 'name="slug"' not in page.content.decode()
    assert (
        staff_client.get(reverse("admin:claims_rating_delete", args=[unverified.pk])).status_code
        == 403
    )
    assert Rating.objects.filter(slug=Rating.UNVERIFIED).exists()
