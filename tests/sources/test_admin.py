import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factcheck.admin_tools import EstimatedCountPaginator
from sources.models import Outlet, Source
from tests.factories import AppearanceFactory, ClaimFactory, OutletFactory, SourceFactory
from tests.helpers import admin_url, counts_over


def source_form_data(**fields) -> dict:
    return {
        "title": "Iran fires missiles at U.S. bases",
        "url": "",
        "outlet": OutletFactory().pk,
        "kind": Source.Kind.ARTICLE,
        "authors": "",
        "language": "en",
        "text": "",
    } | fields


def test_the_source_list_counts_each_claim_once_and_says_whether_there_is_text(staff_client):
    article = SourceFactory(title="Strike kills Soleimani")
    claim = ClaimFactory()
    AppearanceFactory(claim=claim, source=article, exact="no casualties")
    AppearanceFactory(claim=claim, source=article, exact="Officials disagreed")
    AppearanceFactory(source=article)
    SourceFactory(title="Broadcast", text="")

    response = staff_client.get(admin_url(Source, "changelist"))

    rows = {source.title: source for source in response.context["cl"].result_list}
    assert rows["Strike kills Soleimani"].claim_count == 2
    assert rows["Strike kills Soleimani"].has_text
    assert rows["Broadcast"].claim_count == 0
    assert not rows["Broadcast"].has_text


def test_the_source_list_leaves_the_texts_in_the_database(staff_client):
    SourceFactory()

    response = staff_client.get(admin_url(Source, "changelist"))

    assert "text" in response.context["cl"].result_list[0].get_deferred_fields()


@pytest.mark.parametrize(("has_text", "title"), [("yes", "Article"), ("no", "Broadcast")])
def test_sources_can_be_filtered_by_whether_they_have_text(staff_client, has_text, title):
    SourceFactory(title="Article")
    SourceFactory(title="Broadcast", text="")

    response = staff_client.get(admin_url(Source, "changelist"), {"has_text": has_text})

    assert [source.title for source in response.context["cl"].result_list] == [title]


@pytest.mark.parametrize(
    "filter_params",
    [
        lambda source: {"outlet__id__exact": source.outlet_id},
        lambda source: {"kind__exact": "report"},
        lambda source: {"language": "fr"},
        lambda source: {
            "published_at__gte": "2020-01-01 00:00:00+00:00",
            "published_at__lt": "2020-02-01 00:00:00+00:00",
        },
        lambda source: {"q": source.outlet.name},
    ],
    ids=["outlet", "kind", "language", "published at", "search by outlet"],
)
def test_each_source_filter_lists_just_the_matching_source(staff_client, filter_params):
    picked = SourceFactory(
        kind=Source.Kind.REPORT,
        language="fr",
        published_at="2020-01-08T12:00:00Z",
        outlet=OutletFactory(name="Agence France-Presse"),
    )
    SourceFactory(published_at="2019-06-01T12:00:00Z")

    response = staff_client.get(admin_url(Source, "changelist"), filter_params(picked))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [picked]


def test_source_autocomplete_finds_sources_by_title(staff_client):
    SourceFactory(title="Iran fires missiles at U.S. bases")
    SourceFactory(title="Strike kills Soleimani")

    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "claims", "model_name": "appearance", "field_name": "source", "term": "iran"},
    )

    assert [result["text"] for result in response.json()["results"]] == [
        "Iran fires missiles at U.S. bases"
    ]


def test_a_source_url_is_unique_in_its_normal_form(staff_client):
    SourceFactory(url="https://www.reuters.com/world/iran-missiles")
    data = source_form_data(url="HTTPS://www.Reuters.com/world/iran-missiles?utm_source=x")

    response = staff_client.post(admin_url(Source, "add"), data)

    assert response.status_code == 200
    assert "A source with this URL already exists." in response.content.decode()
    assert Source.objects.count() == 1


def test_a_new_source_gets_the_hash_of_its_text(staff_client):
    response = staff_client.post(admin_url(Source, "add"), source_form_data(text="Some text."))

    assert response.status_code == 302
    assert Source.objects.get().content_hash == hashlib.sha256(b"Some text.").hexdigest()


def test_outlet_names_are_unique_whatever_their_case(staff_client):
    OutletFactory(name="Reuters")

    response = staff_client.post(admin_url(Outlet, "add"), {"name": "REUTERS", "kind": "agency"})

    assert response.status_code == 200
    assert "An outlet with this name already exists." in response.content.decode()
    assert Outlet.objects.count() == 1


def test_a_duplicate_that_slips_past_validation_is_refused_with_a_message(
    staff_client, monkeypatch
):
    OutletFactory(name="Reuters")
    # As when another editor adds the same outlet between our check and our save.
    monkeypatch.setattr(Outlet, "validate_constraints", lambda self, exclude=None: None)

    response = staff_client.post(
        admin_url(Outlet, "add"), {"name": "reuters", "kind": "agency"}, follow=True
    )

    assert response.status_code == 200
    assert "Nothing was saved. An outlet with this name already exists." in (
        response.content.decode()
    )
    assert Outlet.objects.count() == 1


@pytest.mark.parametrize(
    "protected",
    [lambda: SourceFactory().outlet, lambda: AppearanceFactory().source],
    ids=["outlet with sources", "source with appearances"],
)
def test_deleting_a_record_in_use_explains_why_it_cannot_be(staff_client, protected):
    obj = protected()

    response = staff_client.post(admin_url(type(obj), "delete", obj.pk), {"post": "yes"})

    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in (
        response.content.decode()
    )
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner estimates are PostgreSQL's")
def test_the_unfiltered_source_list_does_not_count_the_sources_table(staff_client, monkeypatch):
    for _ in range(4):
        SourceFactory()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE sources_source")
    monkeypatch.setattr(EstimatedCountPaginator, "exact_count_below", 1)

    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(admin_url(Source, "changelist"))

    assert counts_over(queries, "sources_source") == []
    assert response.context["cl"].result_count == 4
