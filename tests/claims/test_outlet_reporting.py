"""The attribution kind "Outlet's own reporting": the source asserts it in its own
voice, quoting no one. Its speaker is the outlet itself (a speaker of kind media),
in the model, the service, the database, the admin, the annotate page, the API and
every export."""

import csv
import io
import json

import orjson
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.urls import reverse

from claims.exports import FORMATS
from claims.models import Claim, Speaker, Suggestion
from claims.read.selection import Newsroom, select_claims
from claims.services import claim_create, claim_update
from factcheck.api.links import Links
from sources.models import Source
from tests.claims.test_annotate import new_claim
from tests.factories import ClaimFactory, SourceFactory, SpeakerFactory
from tests.helpers import claim_form_data, publish

pytestmark = pytest.mark.django_db

OUTLET = Claim.Attribution.OUTLET


@pytest.fixture
def slate():
    return SpeakerFactory(name="Slate", kind=Speaker.Kind.MEDIA)


def outlet_claim(speaker) -> dict:
    return {
        "label": "bases hosting U.S. troops",
        "text": "Iran struck Iraqi bases hosting U.S. troops.",
        "speaker": speaker,
        "attribution": OUTLET,
    }


def test_the_kind_is_one_of_the_claims_and_the_suggestions_kinds():
    assert (OUTLET.value, OUTLET.label) == ("outlet", "Outlet's own reporting")
    # One enum: a suggestion's kind is the claim's it becomes.
    assert Suggestion.Attribution is Claim.Attribution
    assert Suggestion._meta.get_field("attribution").choices == Claim.Attribution.choices


def test_a_claim_of_the_outlets_own_reporting_is_created_with_the_outlet_as_speaker(slate):
    claim = claim_create(data=outlet_claim(slate))

    assert claim.attribution == OUTLET
    assert claim.speaker == slate


def test_the_outlets_own_reporting_needs_a_speaker(slate):
    with pytest.raises(ValidationError) as refused:
        claim_create(data=outlet_claim(None))

    assert "names the outlet as its speaker" in refused.value.message_dict["speaker"][0]
    assert not Claim.objects.exists()


def test_the_outlets_own_reporting_is_not_a_persons(slate):
    person = SpeakerFactory(name="Donald Trump", kind=Speaker.Kind.PERSON)
    claim = claim_create(data=outlet_claim(slate))

    with pytest.raises(ValidationError) as refused:
        claim_update(claim=claim, data={"speaker": person})

    assert "kind Person" in refused.value.message_dict["speaker"][0]
    claim.refresh_from_db()
    assert claim.speaker == slate


def test_the_database_refuses_the_outlets_own_reporting_without_a_speaker():
    refused = pytest.raises(IntegrityError, match="claim_outlet_reporting_has_speaker")
    with refused, transaction.atomic():
        Claim.objects.create(label="x", text="y", attribution=OUTLET, speaker=None)


# Admin -------------------------------------------------------------------------------------


def test_the_claim_form_offers_the_kind(editor_admin):
    page = editor_admin.get(reverse("admin:claims_claim_add")).content.decode()

    assert '<option value="outlet">Outlet&#x27;s own reporting</option>' in page


def test_the_claim_form_saves_the_outlets_own_reporting(editor_admin, slate):
    response = editor_admin.post(
        reverse("admin:claims_claim_add"),
        claim_form_data(label="outlet says", speaker=slate.pk, attribution=OUTLET),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Claim.objects.get(label="outlet says").attribution == OUTLET


def test_the_claim_form_says_why_a_person_cannot_be_the_outlet(editor_admin):
    person = SpeakerFactory(name="Donald Trump", kind=Speaker.Kind.PERSON)

    response = editor_admin.post(
        reverse("admin:claims_claim_add"),
        claim_form_data(label="outlet says", speaker=person.pk, attribution=OUTLET),
    )

    assert response.status_code == 200
    assert "the outlet&#x27;s own reporting is an outlet&#x27;s" in response.content.decode()
    assert not Claim.objects.filter(label="outlet says").exists()


def test_on_the_annotate_page_the_outlets_own_reporting_defaults_to_the_sources_outlet(
    editor_admin,
):
    source = SourceFactory(text="Iran struck Iraqi bases hosting U.S. troops. More later.")
    sentence = "Iran struck Iraqi bases hosting U.S. troops."

    response = editor_admin.post(
        reverse("admin:sources_source_annotate_action", args=[source.pk, "claim"]),
        new_claim(
            source,
            sentence,
            **{
                "claim-label": "bases hosting U.S. troops",
                "claim-attribution": OUTLET,
                "claim-stated_on": "",
            },
        ),
    )

    assert response.status_code in (200, 302), response.content[:500]
    claim = Claim.objects.get(label="bases hosting U.S. troops")
    assert claim.attribution == OUTLET
    assert (claim.speaker.name, claim.speaker.kind) == (source.outlet.name, Speaker.Kind.MEDIA)


# API ---------------------------------------------------------------------------------------


def test_the_api_creates_the_outlets_own_reporting(editor_client, slate):
    response = editor_client.post(
        "/api/v1/claims/",
        {"label": "a", "text": "b", "speaker": slate.pk, "attribution": "outlet"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["attribution"] == "outlet"


def test_the_api_refuses_it_without_a_speaker_with_a_400(editor_client):
    response = editor_client.post(
        "/api/v1/claims/", {"label": "a", "text": "b", "attribution": "outlet"}, format="json"
    )

    assert response.status_code == 400
    assert "names the outlet as its speaker" in response.content.decode()


def test_the_api_filters_claims_by_the_kind(editor_client, slate):
    wanted = ClaimFactory(speaker=slate, attribution=OUTLET)
    ClaimFactory(attribution=Claim.Attribution.DIRECT_QUOTE)

    response = editor_client.get("/api/v1/claims/", {"attribution": "outlet"})

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [wanted.pk]


def test_the_api_schema_lists_the_kind_and_the_address_only_status(client):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.content.decode()
    assert '"outlet"' in schema
    assert '"address_only"' in schema


# Exports -----------------------------------------------------------------------------------


def export(name: str, params: str = "") -> bytes:
    selection = select_claims(QueryDict(params), user=Newsroom())
    chunks = FORMATS[name].chunks(
        selection.claims, public=selection.public, links=Links(), as_of=selection.as_of
    )
    return b"".join(chunks)


@pytest.fixture
def published_outlet_claim(slate, editor, reviewer):
    claim = ClaimFactory(label="outlet says", speaker=slate, attribution=OUTLET)
    return publish(claim, editor=editor, reviewer=reviewer, slug="true")


def test_the_csv_gives_the_kind_and_the_outlet_as_speaker(published_outlet_claim):
    rows = list(csv.DictReader(io.StringIO(export("csv").decode("utf-8-sig"))))

    row = next(r for r in rows if r["label"] == "outlet says")
    assert (row["attribution"], row["speaker"], row["speaker_kind"]) == ("outlet", "Slate", "media")


def test_json_lines_give_the_kind(published_outlet_claim):
    lines = [json.loads(line) for line in export("jsonl").decode().splitlines()]

    assert [line["attribution"] for line in lines if line["label"] == "outlet says"] == ["outlet"]


def test_a_claimreviews_item_reviewed_is_authored_by_the_outlet(published_outlet_claim):
    reviews = orjson.loads(export("claimreview"))

    review = next(
        r for r in reviews if r["url"].rstrip("/").endswith(f"/{published_outlet_claim.pk}")
    )
    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "Slate"}


def test_the_seed_un_claim_is_reviewed_as_antiwars_report(seed):
    claim = Claim.objects.get(label="the world can’t handle another war")

    reviews = orjson.loads(export("claimreview"))

    review = next(r for r in reviews if r["url"].rstrip("/").endswith(f"/{claim.pk}"))
    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "Antiwar.com"}
    assert Source.objects.filter(outlet__name="Antiwar.com").exists()


# Honest labels: a quote-less appearance is "by address only", never "anchored" ---------------


def test_an_appearance_known_by_address_only_says_so_in_the_api(seed, editor_client):
    claim = Claim.objects.get(label="no casualties")
    appearance = claim.appearances.get()

    body = editor_client.get(f"/api/v1/claims/{claim.pk}/").json()

    assert appearance.start is None
    assert [a["anchor_status"] for a in body["appearances"]] == ["address_only"]
    assert appearance.get_shown_status_display() == "By address only"


def test_an_anchored_appearance_stays_anchored_in_the_api(seed, editor_client):
    claim = Claim.objects.get(label="directly claimed by Iran")

    body = editor_client.get(f"/api/v1/claims/{claim.pk}/").json()

    assert [a["anchor_status"] for a in body["appearances"]] == ["anchored"]


def test_json_lines_say_by_address_only(seed):
    lines = [json.loads(line) for line in export("jsonl").decode().splitlines()]

    line = next(item for item in lines if item["label"] == "no casualties")
    assert [a["anchor_status"] for a in line["appearances"]] == ["address_only"]
    assert {e["anchor_status"] for e in line["evidence"]} == {"address_only"}


def test_the_admin_lists_say_by_address_only_not_anchored(seed, editor_admin):
    claim = Claim.objects.get(label="no casualties")

    page = editor_admin.get(
        reverse("admin:claims_appearance_changelist"), {"claim__id__exact": claim.pk}
    ).content.decode()

    assert '<td class="field-anchor_column">By address only</td>' in page
    assert '<td class="field-anchor_column">Anchored</td>' not in page


def test_the_admin_filters_appearances_by_address_only(seed, editor_admin):
    response = editor_admin.get(
        reverse("admin:claims_appearance_changelist"), {"anchor_status__exact": "address_only"}
    )

    listed = list(response.context["cl"].queryset)
    assert listed
    assert all(appearance.start is None for appearance in listed)


def test_an_appearances_page_says_by_address_only(seed, editor_admin):
    appearance = Claim.objects.get(label="no casualties").appearances.get()

    page = editor_admin.get(
        reverse("admin:claims_appearance_change", args=[appearance.pk])
    ).content.decode()

    assert "By address only" in page
