"""What each export format holds, checked on the seed data and read back the way
researchers read it (csv, pandas, JSON)."""

import csv
import datetime
import io
import json

import orjson
import pandas
import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import QueryDict
from rest_framework.test import APIClient

from claims.exports import FORMATS
from claims.exports.table import write_csv
from claims.models import Appearance, Claim, Evidence, Rating
from claims.read.selection import Newsroom, select_claims
from factcheck.api.links import Links
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    SourceFactory,
    SpeakerFactory,
    StaffUserFactory,
    TagFactory,
)
from tests.helpers import csv_rows, publish

pytestmark = pytest.mark.django_db

CSV_HEADER = [
    "id",
    "url",
    "label",
    "text",
    "speaker",
    "speaker_kind",
    "attribution",
    "stated_on",
    "verdict",
    "verdict_label",
    "verdict_value",
    "review_state",
    "rationale",
    "tags",
    "first_appearance_url",
    "source_urls",
    "evidence_count",
    "updated_at",
]


def export(name: str, params: str = "", *, public: bool = False) -> bytes:
    user = AnonymousUser() if public else Newsroom()
    selection = select_claims(QueryDict(params), user=user)
    chunks = FORMATS[name].chunks(
        selection.claims, public=selection.public, links=Links(), as_of=selection.as_of
    )
    return b"".join(chunks)


def seed_claim(label: str) -> Claim:
    return Claim.objects.get(label=label)


# CSV ---------------------------------------------------------------------------------------


def test_the_csv_has_a_header_and_a_row_per_claim(seed):
    content = export("csv")

    assert content.startswith("\ufeff".encode())  # Excel reads UTF-8 only with the mark
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    assert next(reader) == CSV_HEADER
    assert [int(row[0]) for row in reader] == sorted(Claim.objects.values_list("id", flat=True))


def test_a_csv_row_holds_the_claim_as_the_newsroom_records_it(seed):
    claim = seed_claim("no casualties")

    row = next(row for row in csv_rows(export("csv")) if row["id"] == str(claim.pk))

    assert row["url"] == f"http://127.0.0.1:8000/api/v1/claims/{claim.pk}/"
    assert row["text"] == claim.text
    assert (row["speaker"], row["speaker_kind"]) == ("Donald Trump", "person")
    assert row["attribution"] == claim.attribution
    assert row["stated_on"] == "2020-01-08"
    assert (row["verdict"], row["verdict_label"]) == ("false", "False")
    assert row["verdict_value"] == str(Rating.objects.get(slug="false").value)
    assert row["review_state"] == "published"
    assert row["rationale"] == claim.rationale
    assert row["tags"].split() == sorted(claim.tags.values_list("slug", flat=True))
    assert row["evidence_count"] == "2"
    assert row["updated_at"] == claim.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_the_csv_reads_back_in_pandas_with_text_as_stored(seed):
    frame = pandas.read_csv(io.BytesIO(export("csv")), keep_default_na=False)

    assert list(frame.columns) == CSV_HEADER
    assert len(frame) == Claim.objects.count()
    by_id = frame.set_index("id")
    for claim in Claim.objects.all():
        assert by_id.loc[claim.pk, "text"] == claim.text  # curly quotes, dashes and all
        assert by_id.loc[claim.pk, "label"] == claim.label


def test_commas_quotes_newlines_and_other_scripts_survive_the_csv_round_trip():
    awkward = 'He said "no", then — after a pause —\nadded: «non», 没有, нет; ok?\r\nDone.'
    claim = ClaimFactory(text=awkward, label='"quoted", label', rationale="Line one\nLine two")
    source = SourceFactory(url='https://example.org/a,b?q=1&r="x"')
    AppearanceFactory(claim=claim, source=source)

    content = export("csv")

    (row,) = csv_rows(content)
    assert (row["text"], row["label"], row["rationale"]) == (
        awkward,
        claim.label,
        "Line one\nLine two",
    )
    frame = pandas.read_csv(io.BytesIO(content), keep_default_na=False)
    assert frame.loc[0, "text"] == awkward
    assert frame.loc[0, "source_urls"] == source.url


def test_several_sources_and_tags_share_a_cell_separated_by_spaces():
    claim = ClaimFactory()
    claim.tags.set([TagFactory(slug="zeta"), TagFactory(slug="alpha")])
    AppearanceFactory(claim=claim, source=SourceFactory(url="https://b.example/1"))
    AppearanceFactory(claim=claim, source=SourceFactory(url="https://a.example/2"))

    (row,) = csv_rows(export("csv"))

    assert row["tags"] == "alpha zeta"
    assert row["source_urls"] == "https://a.example/2 https://b.example/1"
    assert (
        row["first_appearance_url"] == Appearance.objects.get(claim=claim, is_first=True).source.url
    )


def test_an_unattributed_claim_without_sources_has_empty_cells_not_placeholders():
    ClaimFactory(speaker=None, stated_on=None)

    (row,) = csv_rows(export("csv"))

    for column in ("speaker", "speaker_kind", "stated_on", "tags", "source_urls"):
        assert row[column] == ""
    assert row["evidence_count"] == "0"


def test_the_csv_shows_the_verdict_in_force_on_the_as_of_date(seed):
    claim = seed_claim("no casualties")

    def verdict_on(day):
        rows = csv_rows(export("csv", f"as_of={day}"))
        return next(row["verdict"] for row in rows if row["id"] == str(claim.pk))

    assert verdict_on("2020-01-10") == "unverified"
    assert verdict_on("2020-01-20") == "false"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
@pytest.mark.parametrize("params", ["", "review_state=published", "q=missile", "as_of=2020-01-10"])
@pytest.mark.parametrize("public", [False, True])
def test_postgresql_copy_writes_the_same_csv_as_the_python_path(seed, params, public):
    ClaimFactory(text='Commas, "quotes"\nand lines', rationale="")
    selection = select_claims(QueryDict(params), user=Newsroom())
    options = {"public": public, "links": Links(), "as_of": selection.as_of}

    by_database = b"".join(write_csv(selection.claims, use_copy=True, **options))
    by_python = b"".join(write_csv(selection.claims, use_copy=False, **options))

    assert by_database == by_python
    assert by_database.count(b"\n") > 1


# JSON Lines -------------------------------------------------------------------------------


def test_each_json_line_is_the_claim_as_the_api_shows_it(seed):
    client = APIClient()
    client.force_authenticate(StaffUserFactory(is_superuser=True))

    lines = export("jsonl").decode().splitlines()

    assert len(lines) == Claim.objects.count()
    for line in lines[:5] + lines[-3:]:
        claim = json.loads(line)
        api = client.get(f"/api/v1/claims/{claim['id']}/", HTTP_HOST="127.0.0.1:8000").json()
        # Only a claim's own page adds other organisations' reviews and its links.
        for name in ("external_reviews", "group", "links"):
            api.pop(name)
        assert claim == api


# ClaimReview -------------------------------------------------------------------------------


def claim_reviews(params: str = "") -> list[dict]:
    return orjson.loads(export("claimreview", params))


def test_claimreview_covers_the_published_claims_only(seed):
    reviews = claim_reviews()

    published = Claim.objects.filter(review_state="published").order_by("id")
    assert [review["url"].rstrip("/").rsplit("/", 1)[1] for review in reviews] == [
        str(pk) for pk in published.values_list("id", flat=True)
    ]


def test_a_claimreview_has_what_schema_org_and_google_ask_for(seed, settings):
    settings.FACTCHECK_PUBLISHER = {"name": "The Checkers", "url": "https://checkers.example"}
    settings.CLAIMREVIEW_URL = "https://checkers.example/checks/{id}"
    claim = seed_claim("no casualties")
    scale = Rating.objects.exclude(value=None).order_by("value").values_list("value", flat=True)

    review = next(r for r in claim_reviews() if r["url"].endswith(f"/{claim.pk}"))

    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == f"https://checkers.example/checks/{claim.pk}"
    assert review["claimReviewed"] == claim.text
    assert review["datePublished"] == "2020-02-17"
    assert review["author"] == {
        "@type": "Organization",
        "name": "The Checkers",
        "url": "https://checkers.example",
    }
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "False",
        "name": "False",
        "ratingValue": Rating.objects.get(slug="false").value,
        "bestRating": scale.last(),
        "worstRating": scale.first(),
    }
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {
        "@type": "Person",
        "name": "Donald Trump",
        "sameAs": "https://www.wikidata.org/wiki/Q22686",
    }
    assert item["datePublished"] == "2020-01-08"


def test_every_claimreview_has_googles_required_properties(seed):
    for review in claim_reviews():
        assert review["claimReviewed"]
        assert review["url"].startswith("http")
        assert review["reviewRating"]["alternateName"]


def test_claimreview_names_where_the_claim_appeared_first_and_since(editor, reviewer):
    claim = ClaimFactory(speaker=SpeakerFactory(name="Ministry of Truth", kind="government"))
    AppearanceFactory(claim=claim, source=SourceFactory(url="https://first.example/a"))
    AppearanceFactory(claim=claim, source=SourceFactory(url="https://later.example/b"))
    AppearanceFactory(claim=claim, source=SourceFactory(url=""))  # no address: left out
    publish(claim, editor=editor, reviewer=reviewer)

    (review,) = claim_reviews()

    item = review["itemReviewed"]
    assert item["author"] == {"@type": "Organization", "name": "Ministry of Truth"}
    assert item["firstAppearance"] == {"@type": "CreativeWork", "url": "https://first.example/a"}
    assert item["appearance"] == [{"@type": "CreativeWork", "url": "https://later.example/b"}]


# Web Annotation ----------------------------------------------------------------------------


def annotations(params: str = "") -> list[dict]:
    return orjson.loads(export("annotations", params))


def test_every_anchored_quote_is_an_annotation_whose_selectors_find_it_in_the_text(seed):
    found = annotations()

    quotes = Appearance.objects.count() + Evidence.objects.count()
    assert len(found) == quotes
    anchored = [a for a in found if isinstance(a["target"], dict) and "selector" in a["target"]]
    assert anchored
    for annotation in anchored:
        kind, pk = annotation["id"].rstrip("/").rsplit("/", 2)[-2:]
        model = Appearance if kind == "appearances" else Evidence
        quote = model.objects.select_related("source").get(pk=pk)
        by_quote, by_position = annotation["target"]["selector"]
        text = quote.source.text
        assert by_quote == {
            "type": "TextQuoteSelector",
            "exact": quote.exact,
            "prefix": quote.prefix,
            "suffix": quote.suffix,
        }
        assert by_position["type"] == "TextPositionSelector"
        assert text[by_position["start"] : by_position["end"]] == by_quote["exact"]


def test_an_annotation_is_a_w3c_annotation_linking_its_claim(seed):
    claim = seed_claim("imminent attack")
    evidence = claim.evidence.order_by("id").first()

    found = next(a for a in annotations() if a["id"].endswith(f"/evidence/{evidence.pk}/"))

    assert found["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert found["type"] == "Annotation"
    assert found["motivation"] == "assessing"
    claim_url = f"http://127.0.0.1:8000/api/v1/claims/{claim.pk}/"
    assert {"type": "SpecificResource", "source": claim_url, "purpose": "linking"} in found["body"]
    assert {"type": "TextualBody", "value": evidence.stance, "purpose": "assessing"} in found[
        "body"
    ]
    # Seed evidence comes from sources kept as metadata only: the whole source is the target.
    assert found["target"] == f"http://127.0.0.1:8000/api/v1/sources/{evidence.source_id}/"


def test_an_orphaned_quote_keeps_its_quote_selector_but_no_position():
    appearance = AppearanceFactory()
    appearance.anchor_status = "orphaned"
    appearance.save()

    (found,) = annotations()

    assert [selector["type"] for selector in found["target"]["selector"]] == ["TextQuoteSelector"]


# Visibility --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["csv", "jsonl", "claimreview", "annotations"])
def test_the_public_export_holds_no_unpublished_claim(seed, name):
    content = export(name, public=True).decode()

    for claim in Claim.objects.exclude(review_state__in=["published", "retracted"]):
        assert f"/api/v1/claims/{claim.pk}/" not in content
    published = Claim.objects.filter(review_state="published").first()
    assert f"/api/v1/claims/{published.pk}/" in content


def test_an_empty_selection_gives_valid_empty_files():
    assert csv_rows(export("csv")) == []
    assert export("jsonl") == b""
    assert orjson.loads(export("claimreview")) == []
    assert orjson.loads(export("annotations")) == []


def test_exports_are_ordered_by_id_whatever_the_selection_order():
    claims = [ClaimFactory(stated_on=datetime.date(2020, 1, day)) for day in (9, 3, 5)]

    ids = [int(row["id"]) for row in csv_rows(export("csv", "stated_on_after=2020-01-01"))]

    assert ids == sorted(claim.pk for claim in claims)
