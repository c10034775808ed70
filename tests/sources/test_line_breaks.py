"""Browsers send a form's line breaks as CRLF: what they send is read with the
line breaks of the stored text, in the source admin and wherever a quote is sent."""

import pytest
from django.urls import reverse

from sources.anchoring import as_stored
from tests.factories import SourceFactory


def test_crlf_sent_by_a_browser_is_read_as_the_lf_of_the_stored_text():
    assert as_stored("twice.\r\nA later count", text="twice.\nA later count") == (
        "twice.\nA later count"
    )


def test_a_text_stored_with_cr_keeps_what_was_sent():
    assert as_stored("a\r\nb", text="a\r\nb") == "a\r\nb"


@pytest.mark.django_db
def test_saving_a_source_page_unchanged_keeps_its_text_and_hash(staff_client):
    source = SourceFactory(text="First line.\n\nSecond line.")
    stored_hash = source.content_hash
    sent = {
        "title": source.title,
        "url": source.url,
        "outlet": source.outlet_id,
        "kind": source.kind,
        "authors": source.authors,
        "language": source.language,
        "text": source.text.replace("\n", "\r\n"),
    }

    response = staff_client.post(reverse("admin:sources_source_change", args=[source.pk]), sent)

    assert response.status_code == 302
    source.refresh_from_db()
    assert source.text == "First line.\n\nSecond line."
    assert source.content_hash == stored_hash
