import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from sources.models import Outlet, Source, normalize_url
from tests.factories import OutletFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("HTTPS://Example.ORG/News/Story", "https://example.org/News/Story"),
        ("https://example.org:443/a", "https://example.org/a"),
        ("http://example.org:8080/a", "http://example.org:8080/a"),
        ("https://example.org", "https://example.org/"),
        ("https://example.org/a#comments", "https://example.org/a"),
        ("https://example.org/a?utm_source=x&id=7&fbclid=abc", "https://example.org/a?id=7"),
        ("  https://example.org/a  ", "https://example.org/a"),
        ("", ""),
    ],
)
def test_urls_are_normalised_to_one_canonical_form(given, stored):
    assert normalize_url(given) == stored


def test_a_source_is_stored_with_its_normalised_url_and_text_hash():
    source = SourceFactory(url="HTTPS://News.Example.org/x?utm_medium=email", text="Some text")

    source.refresh_from_db()
    assert source.url == "https://news.example.org/x"
    assert source.content_hash == hashlib.sha256(b"Some text").hexdigest()


def test_editing_the_text_changes_the_content_hash():
    source = SourceFactory(text="First version")
    before = source.content_hash

    source.text = "Second version"
    source.save()

    assert source.content_hash != before


def test_two_sources_cannot_share_a_url_even_when_written_differently():
    SourceFactory(url="https://example.org/story")

    with pytest.raises(IntegrityError), transaction.atomic():
        SourceFactory(url="HTTPS://EXAMPLE.org/story#top")


def test_many_sources_may_have_no_url():
    SourceFactory(url="")
    SourceFactory(url="")

    assert Source.objects.filter(url="").count() == 2


def test_a_duplicate_url_is_a_validation_error_before_it_reaches_the_database():
    SourceFactory(url="https://example.org/story")
    duplicate = Source(url="https://Example.org/story", outlet=OutletFactory(), title="Copy")

    with pytest.raises(ValidationError, match="A source with this URL already exists"):
        duplicate.full_clean()


def test_a_source_url_must_be_a_web_address():
    source = Source(url="ftp://example.org/file", outlet=OutletFactory(), title="File")

    with pytest.raises(ValidationError) as error:
        source.full_clean()

    assert "url" in error.value.message_dict


def test_outlet_names_are_unique_whatever_their_case():
    OutletFactory(name="Slate")

    with pytest.raises(IntegrityError), transaction.atomic():
        Outlet.objects.create(name="SLATE")


def test_a_source_title_cannot_be_empty_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(outlet=OutletFactory(), title="")


def test_deleting_an_outlet_with_sources_is_refused():
    source = SourceFactory()

    with pytest.raises(ProtectedError), transaction.atomic():
        source.outlet.delete()

    assert Source.objects.filter(pk=source.pk).exists()


def test_sources_without_text_are_known_by_metadata_only():
    SourceFactory(text="")
    with_text = SourceFactory(text="Words")

    assert list(Source.objects.with_text()) == [with_text]
