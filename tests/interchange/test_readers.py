import datetime
import io
import json
import logging
import pathlib
import tracemalloc
from typing import Any

import pytest

from claims.interchange import readers
from claims.interchange.readers import NotClaimReview, ReviewRecord, Skipped, read_reviews

DATA = pathlib.Path(__file__).parent / "data"
UTC = datetime.UTC


def read_file(name: str, **options: str) -> list[ReviewRecord | Skipped]:
    with (DATA / name).open("rb") as stream:
        return list(read_reviews(stream, **options))


def read_json(document: Any) -> list[ReviewRecord | Skipped]:
    return list(read_reviews(io.BytesIO(json.dumps(document).encode())))


def review(**fields: Any) -> dict[str, Any]:
    """A minimal ClaimReview as JSON-LD, with ``fields`` added or replaced."""
    node: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://checker.example/checks/1",
        "claimReviewed": "The river bridge was closed for good.",
    }
    node.update(fields)
    return node


def only(records: list[ReviewRecord | Skipped]) -> ReviewRecord:
    assert len(records) == 1
    record = records[0]
    assert isinstance(record, ReviewRecord)
    return record


def test_a_politifact_review_gives_its_rating_claimant_and_appearances():
    record = only(read_file("politifact.json"))

    assert record == ReviewRecord(
        url="https://www.politifact.com/factchecks/2023/jun/12/facebook-posts/"
        "no-the-wind-turbines-did-not-kill-the-whales/",
        title="No, wind turbines off New Jersey are not killing whales",
        publisher_name="PolitiFact",
        publisher_url="https://www.politifact.com/",
        reviewed_at=datetime.datetime(2023, 6, 12, tzinfo=UTC),
        textual_rating="Pants on Fire",
        rating_value=1.0,
        best_rating=6.0,
        worst_rating=1.0,
        language="",
        claim_text="Offshore wind turbines caused the deaths of 23 whales on the East Coast.",
        claimant="Facebook posts",
        claimant_same_as=(),
        claim_date=datetime.date(2023, 6, 8),
        appearances=(
            "https://www.facebook.com/permalink.php?story_fbid=102938",
            "https://www.instagram.com/p/Cs8kQ2LrT1a/",
        ),
    )


def test_washington_post_pinocchios_keep_their_text_and_their_numbers_as_published():
    pinocchios, numbers_only = read_file("washingtonpost.json")

    assert isinstance(pinocchios, ReviewRecord)
    assert pinocchios.url == (
        "https://www.washingtonpost.com/politics/2019/05/14/trumps-claim-tariffs/"
    )  # its @id, as it gives no url
    assert pinocchios.title == "Trump’s claim that China is paying for his tariffs"
    assert (pinocchios.textual_rating, pinocchios.rating_value) == ("Four Pinocchios", 4.0)
    assert (pinocchios.best_rating, pinocchios.worst_rating) == (1.0, 4.0)
    assert pinocchios.publisher_name == "The Washington Post"  # the author is a person
    assert pinocchios.publisher_url == "https://www.washingtonpost.com"
    assert pinocchios.reviewed_at == datetime.datetime(2019, 5, 14, 15, 2, 31, tzinfo=UTC)
    assert pinocchios.language == "en"
    assert pinocchios.claimant == "Donald Trump"
    assert pinocchios.claimant_same_as == (
        "https://www.wikidata.org/wiki/Q22686",
        "https://en.wikipedia.org/wiki/Donald_Trump",
    )
    assert pinocchios.claim_date == datetime.date(2019, 5, 13)  # the day where it was said
    assert isinstance(numbers_only, ReviewRecord)
    assert (numbers_only.textual_rating, numbers_only.rating_value) == ("", 3.0)
    assert numbers_only.claimant == "Donald Trump"


def test_an_afp_page_in_french_is_read_past_its_broken_json_ld_block(caplog):
    with caplog.at_level(logging.WARNING, logger="claims.interchange.readers"):
        record = only(read_file("afp.html", url="https://factuel.afp.com/doc.afp.com.9ZX4PL"))

    assert "JSON-LD block that cannot be read" in caplog.text
    assert record.textual_rating == "Faux"
    assert record.language == "fr"
    assert record.publisher_name == "AFP Factuel"  # the organisation among the authors
    assert record.publisher_url == "https://factuel.afp.com/"
    assert record.reviewed_at == datetime.datetime(2021, 2, 15, 16, 42, tzinfo=UTC)
    assert record.claimant == "Sources multiples"
    assert record.appearances == (
        "https://www.facebook.com/watch/?v=4021938475",
        "https://twitter.com/exemple/status/1360000000000000000",
    )


def test_a_maldita_graph_gives_the_publisher_and_claim_its_references_point_to():
    record = only(read_file("maldita.json"))

    assert record.textual_rating == "Falso"
    assert record.language == "es"
    assert (record.publisher_name, record.publisher_url) == ("Maldita.es", "https://maldita.es/")
    assert record.claimant == "Ricardo Delgado"
    assert record.claimant_same_as == ("https://www.wikidata.org/wiki/Q108155011",)
    assert record.claim_date == datetime.date(2023, 3, 10)
    assert record.appearances == ("https://t.me/laquintacolumna/2911",)


def test_a_correctiv_page_in_latin_1_gives_its_german_rating_and_a_zoneless_time_as_utc():
    record = only(read_file("correctiv.html", content_type="text/html; charset=ISO-8859-1"))

    assert record.title == "Nein, Windräder verursachen keine Dürre"
    assert record.textual_rating == "Falsch"  # reviewRating.name when there is no alternateName
    assert record.language == "de"  # from the Language node's code
    assert record.reviewed_at == datetime.datetime(2020, 1, 8, 10, 0, tzinfo=UTC)
    assert record.claimant == "Blog «Science Files»"
    assert record.claim_date == datetime.date(2019, 12, 30)  # "December 30, 2019"
    assert record.appearances == ("https://sciencefiles.org/2019/12/30/windraeder/",)


def test_a_full_fact_page_with_microdata_is_read_against_the_page_address():
    record = only(read_file("fullfact.html", url="https://fullfact.org/health/x/"))

    assert record.url == "https://fullfact.org/health/nhs-privatisation-sunak-clip/"
    assert record.title == "Sunak did not say the NHS will be privatised"
    assert record.textual_rating == (
        "Incorrect. The clip has been edited to remove the words “not” and “never”."
    )
    assert record.claim_text == "Rishi Sunak said in a video that the NHS will be privatised."
    assert (record.publisher_name, record.publisher_url) == ("Full Fact", "https://fullfact.org/")
    assert record.claimant == "Rishi Sunak"
    assert record.claimant_same_as == ("https://www.wikidata.org/wiki/Q7240042",)
    assert record.claim_date == datetime.date(2023, 10, 30)
    assert record.reviewed_at == datetime.datetime(2023, 11, 2, 16, 5, 12, tzinfo=UTC)
    assert record.language == "en"  # from the page's lang, as the review names none
    assert record.appearances == ("https://www.tiktok.com/@example/video/7296000000000000000",)


def test_an_aos_fatos_page_with_rdfa_gives_the_same_record_as_json_ld_would():
    record = only(read_file("aosfatos.html", url="https://www.aosfatos.org/noticias/"))

    assert record == ReviewRecord(
        url="https://www.aosfatos.org/noticias/falso-urnas-fraudadas-2022/",
        title="É falso que urnas eletrônicas foram fraudadas em 2022",
        publisher_name="Aos Fatos",
        publisher_url="https://www.aosfatos.org/",
        reviewed_at=datetime.datetime(2022, 11, 4, 21, 20, tzinfo=UTC),
        textual_rating="Falso",
        rating_value=None,
        best_rating=None,
        worst_rating=None,
        language="pt",
        claim_text="Urnas eletrônicas foram fraudadas no segundo turno de 2022",
        claimant="Perfis no Telegram",
        claimant_same_as=(),
        claim_date=None,
        appearances=("https://t.me/exemplo/4512",),
    )


def test_a_markup_tool_data_feed_gives_each_review_and_says_why_it_skipped_the_others():
    records = read_file("markup_tool_feed.json")

    assert records[1:3] == [
        Skipped("review 2", "no review URL"),
        Skipped("review 3 (https://www.newtral.es/paro-enero-2024/20240201/)", "no claim text"),
    ]
    first, last = records[0], records[3]
    assert isinstance(first, ReviewRecord)
    assert isinstance(last, ReviewRecord)
    assert (first.textual_rating, first.rating_value, first.best_rating) == ("Engañoso", 2.5, 5.0)
    assert first.claimant == "Usuarios de TikTok"
    assert first.claim_date == datetime.date(2024, 1, 25)
    assert (last.textual_rating, last.claim_text) == ("Falso", "La luz es hoy más cara que nunca")
    assert last.reviewed_at == datetime.datetime(2024, 2, 1, 8, 30, tzinfo=UTC)
    assert len(records) == 4


def test_a_fact_check_tools_api_response_gives_one_record_per_review():
    records = read_file("factchecktools.json")

    assert [(r.publisher_name, r.publisher_url, r.textual_rating, r.language) for r in records] == [  # type: ignore[union-attr]
        ("Full Fact", "https://fullfact.org/", "Incorrect", "en"),
        ("Maldita.es", "https://maldita.es/", "Falso", "es"),
        ("AFP Fact Check", "https://factcheck.afp.com/", "False", "en"),
    ]
    first, _, last = records
    assert first == ReviewRecord(
        url="https://fullfact.org/online/5g-and-coronavirus-conspiracy-theories/",
        title="There is no link between 5G and the new coronavirus",
        publisher_name="Full Fact",
        publisher_url="https://fullfact.org/",
        reviewed_at=datetime.datetime(2020, 4, 6, 12, 43, tzinfo=UTC),
        textual_rating="Incorrect",
        rating_value=None,
        best_rating=None,
        worst_rating=None,
        language="en",
        claim_text="5G towers spread the coronavirus",
        claimant="Social media users",
        claimant_same_as=(),
        claim_date=datetime.date(2020, 4, 3),
        appearances=(),
    )
    assert isinstance(last, ReviewRecord)
    assert (last.claimant, last.claim_date) == ("", None)
    assert last.reviewed_at == datetime.datetime(2020, 3, 20, tzinfo=UTC)


@pytest.mark.parametrize(
    "name",
    ["politifact.json", "washingtonpost.json", "markup_tool_feed.json", "factchecktools.json"],
)
def test_a_json_file_too_large_to_read_whole_gives_the_same_records_as_a_stream(name, monkeypatch):
    whole = read_file(name)
    monkeypatch.setattr(readers, "WHOLE_JSON_BYTES", 0)

    assert read_file(name) == whole


def test_a_graph_inside_an_object_with_a_context_is_read_as_a_stream_too(monkeypatch):
    monkeypatch.setattr(readers, "WHOLE_JSON_BYTES", 0)
    document = {"@context": "https://schema.org", "@graph": [{"@type": "WebSite"}, review()]}

    assert only(read_json(document)).url == "https://checker.example/checks/1"


def test_spanish_reviews_written_with_schema_prefixes_read_like_plain_ones():
    document = {
        "@context": {"schema": "http://schema.org/"},
        "@type": "schema:ClaimReview",
        "schema:url": "https://www.newtral.es/bulo-dgt-multas/20230410/",
        "schema:claimReviewed": "La DGT multa por llevar chanclas al volante",
        "schema:inLanguage": "es",
        "schema:reviewRating": {"@type": "schema:Rating", "schema:alternateName": "Engañoso"},
        "schema:author": {"@type": "schema:Organization", "schema:name": "Newtral"},
    }

    record = only(read_json(document))

    assert (record.textual_rating, record.publisher_name) == ("Engañoso", "Newtral")
    assert record.claim_text == "La DGT multa por llevar chanclas al volante"


@pytest.mark.parametrize(
    "context",
    [
        "http://schema.org",
        "https://schema.org",
        "https://schema.org/",
        {"@vocab": "https://schema.org/"},
        ["https://schema.org", {"fc": "https://checker.example/ns#"}],
    ],
)
@pytest.mark.parametrize(
    "kind",
    [
        "ClaimReview",
        ["ClaimReview", "Review"],
        "schema:ClaimReview",
        "http://schema.org/ClaimReview",
    ],
)
def test_a_review_is_found_whatever_its_context_and_however_its_type_is_written(context, kind):
    record = only(read_json(review(**{"@context": context, "@type": kind})))

    assert record.url == "https://checker.example/checks/1"


@pytest.mark.parametrize(
    ("document", "count"),
    [
        (review(), 1),
        ([review(), review(url="https://checker.example/checks/2")], 2),
        ({"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, review()]}, 1),
        ({"@type": "NewsArticle", "mainEntity": review()}, 1),
    ],
)
def test_json_ld_is_read_as_one_object_an_array_a_graph_or_nested(document, count):
    assert len(read_json(document)) == count


@pytest.mark.parametrize(
    ("rating", "text", "value", "best", "worst"),
    [
        ({"alternateName": " Mostly False ", "name": "2"}, "Mostly False", None, None, None),
        ({"name": "Falso"}, "Falso", None, None, None),
        ({"ratingValue": 2, "bestRating": 5, "worstRating": 1}, "", 2.0, 5.0, 1.0),
        ({"ratingValue": "2", "bestRating": "5", "worstRating": "1"}, "", 2.0, 5.0, 1.0),
        ({"ratingValue": "2,5", "bestRating": "5"}, "", 2.5, 5.0, None),
        ({"ratingValue": "", "bestRating": "n/a"}, "", None, None, None),
    ],
)
def test_ratings_are_read_as_text_or_numbers_whichever_is_given(rating, text, value, best, worst):
    record = only(read_json(review(reviewRating={"@type": "Rating", **rating})))

    assert (record.textual_rating, record.rating_value) == (text, value)
    assert (record.best_rating, record.worst_rating) == (best, worst)


@pytest.mark.parametrize(
    ("author", "name", "url"),
    [
        ("Lead Stories", "Lead Stories", ""),
        ({"@type": "Organization", "name": "Lead Stories", "url": "https://leadstories.com/"},
         "Lead Stories", "https://leadstories.com/"),
        ([{"@type": "Person", "name": "Alan Duke"},
          {"@type": "Organization", "name": "Lead Stories", "url": "https://leadstories.com/"}],
         "Lead Stories", "https://leadstories.com/"),
        (["Alan Duke", "Maarten Schenk"], "Alan Duke", ""),
    ],
)  # fmt: skip
def test_the_publisher_is_read_from_an_author_given_as_text_a_node_or_a_list(author, name, url):
    record = only(read_json(review(author=author)))

    assert (record.publisher_name, record.publisher_url) == (name, url)


def test_the_publisher_is_the_publisher_node_when_there_is_no_author():
    publisher = {"@type": "Organization", "name": "Teyit", "url": "https://teyit.org/"}

    record = only(read_json(review(publisher=publisher)))

    assert (record.publisher_name, record.publisher_url) == ("Teyit", "https://teyit.org/")


@pytest.mark.parametrize(
    ("author", "claimant", "same_as"),
    [
        ("Jair Bolsonaro", "Jair Bolsonaro", ()),
        ({"@type": "Person", "name": "Jair Bolsonaro", "sameAs": "https://www.wikidata.org/wiki/Q10304982"},
         "Jair Bolsonaro", ("https://www.wikidata.org/wiki/Q10304982",)),
        ([{"@type": "Person", "name": "Jair Bolsonaro"}, {"@type": "Person", "name": "Other"}],
         "Jair Bolsonaro", ()),
        (["Jair Bolsonaro", "Other"], "Jair Bolsonaro", ()),
    ],
)  # fmt: skip
def test_the_claimant_is_read_from_an_author_given_as_text_a_node_or_a_list(
    author, claimant, same_as
):
    record = only(read_json(review(itemReviewed={"@type": "Claim", "author": author})))

    assert (record.claimant, record.claimant_same_as) == (claimant, same_as)


@pytest.mark.parametrize(
    ("written", "moment"),
    [
        ("2020-01-08", datetime.datetime(2020, 1, 8, tzinfo=UTC)),
        ("2020-01-08T10:00:00", datetime.datetime(2020, 1, 8, 10, tzinfo=UTC)),
        ("2020-01-08T10:00:00Z", datetime.datetime(2020, 1, 8, 10, tzinfo=UTC)),
        ("2020-01-08T11:00:00+01:00", datetime.datetime(2020, 1, 8, 10, tzinfo=UTC)),
        ("2020-01-08T10:00:00.000+0000", datetime.datetime(2020, 1, 8, 10, tzinfo=UTC)),
        ("January 8, 2020", datetime.datetime(2020, 1, 8, tzinfo=UTC)),
        ("Wed, 08 Jan 2020 10:00:00 GMT", datetime.datetime(2020, 1, 8, 10, tzinfo=UTC)),
        ("last week", None),
    ],
)
def test_dates_are_read_with_or_without_times_and_zones(written, moment):
    record = only(read_json(review(datePublished=written)))

    assert record.reviewed_at == moment


def test_the_date_modified_stands_in_for_a_missing_date_published():
    record = only(read_json(review(dateModified="2021-05-01T08:00:00Z")))

    assert record.reviewed_at == datetime.datetime(2021, 5, 1, 8, tzinfo=UTC)


def test_the_claim_date_falls_back_to_its_first_appearance():
    claim = {
        "@type": "Claim",
        "firstAppearance": {
            "url": "https://x.example/1",
            "datePublished": "2020-02-03T23:30:00-05:00",
        },
    }

    record = only(read_json(review(itemReviewed=claim)))

    assert record.claim_date == datetime.date(2020, 2, 3)


@pytest.mark.parametrize(
    ("claim", "appearances"),
    [
        ({"appearance": "https://x.example/1"}, ("https://x.example/1",)),
        ({"appearance": {"@type": "CreativeWork", "url": "https://x.example/1"}}, ("https://x.example/1",)),
        ({"appearance": ["https://x.example/1", {"url": "https://x.example/2"}, "a Facebook post"]},
         ("https://x.example/1", "https://x.example/2")),
        ({"firstAppearance": "https://x.example/0", "appearance": ["https://x.example/1", "https://x.example/0"]},
         ("https://x.example/0", "https://x.example/1")),
        ({"firstAppearance": [{"url": "https://x.example/0"}]}, ("https://x.example/0",)),
    ],
)  # fmt: skip
def test_appearances_are_read_as_addresses_nodes_or_lists_each_once_first_appearance_first(
    claim, appearances
):
    record = only(read_json(review(itemReviewed={"@type": "Claim", **claim})))

    assert record.appearances == appearances


def test_a_review_without_item_reviewed_is_read_from_its_claim_reviewed():
    record = only(read_json(review()))

    assert record.claim_text == "The river bridge was closed for good."
    assert (record.claimant, record.claim_date, record.appearances) == ("", None, ())


def test_the_claim_text_falls_back_to_the_reviewed_item_name_or_text():
    by_name = review(claimReviewed=None, itemReviewed={"@type": "Claim", "name": "Said A"})
    by_text = review(claimReviewed=None, itemReviewed={"@type": "Claim", "text": "Said B"})

    assert [r.claim_text for r in read_json([by_name, by_text])] == ["Said A", "Said B"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("language", "code"),
    [("en", "en"), ("pt-BR", "pt"), ("ES", "es"), ("en_GB", "en"),
     ({"@type": "Language", "name": "English", "alternateName": "en"}, "en"),
     ({"@type": "Language", "name": "English"}, ""), ("", "")],
)  # fmt: skip
def test_the_language_is_the_primary_tag_in_lower_case(language, code):
    assert only(read_json(review(inLanguage=language))).language == code


def test_reviews_without_an_address_or_a_claim_are_skipped_and_the_rest_are_read():
    records = read_json(
        [
            review(url=None),
            review(url="https://checker.example/checks/2", claimReviewed=""),
            review(url="https://checker.example/checks/3"),
        ]
    )

    assert records[:2] == [
        Skipped("review 1", "no review URL"),
        Skipped("review 2 (https://checker.example/checks/2)", "no claim text"),
    ]
    assert isinstance(records[2], ReviewRecord)
    assert records[2].url == "https://checker.example/checks/3"


def test_an_id_that_is_not_a_web_address_is_no_review_url():
    assert read_json(review(url=None, **{"@id": "_:b0"})) == [Skipped("review 1", "no review URL")]


def test_a_page_that_repeats_its_review_in_microdata_and_json_ld_gives_it_once():
    page = f"""<html><head><script type="application/ld+json">{json.dumps(review())}</script>
    </head><body><div itemscope itemtype="https://schema.org/ClaimReview">
    <link itemprop="url" href="https://checker.example/checks/1">
    <span itemprop="claimReviewed">The river bridge was closed for good.</span></div>
    </body></html>"""

    assert len(list(read_reviews(io.BytesIO(page.encode())))) == 1


def test_a_stream_that_cannot_seek_is_read():
    class Pipe(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            chunk = self.data.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    body = b"\xef\xbb\xbf\n  " + json.dumps([review()]).encode()

    assert len(list(read_reviews(io.BufferedReader(Pipe(body))))) == 1


def test_a_page_named_html_by_its_content_type_is_read_as_html():
    page = f'Hello <script type="application/ld+json">{json.dumps(review())}</script>'

    records = read_reviews(io.BytesIO(page.encode()), content_type="text/html; charset=utf-8")

    assert len(list(records)) == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"%PDF-1.7\n", "neither JSON nor an HTML page"),
        (b"claim,verdict\nx,false\n", "neither JSON nor an HTML page"),
        (b'{"@type": "ClaimReview", ', "not valid JSON"),
        (b"[1, 2", "not valid JSON"),
    ],
)
def test_what_is_not_json_or_html_is_refused_saying_so(body, message):
    with pytest.raises(NotClaimReview, match=message):
        list(read_reviews(io.BytesIO(body)))


@pytest.mark.parametrize(
    "body",
    [
        b'{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Budget"}',
        b"[]",
        b'{"claims": []}',
        b"{}",
        b"<html><body><p>No markup here</p></body></html>",
    ],
)
def test_json_or_a_page_without_any_claim_review_is_refused(body):
    with pytest.raises(NotClaimReview, match="no ClaimReview"):
        list(read_reviews(io.BytesIO(body)))


def test_a_data_feed_of_100000_reviews_is_read_in_constant_memory(tmp_path):
    path = tmp_path / "feed.json"
    with path.open("w", encoding="utf-8") as out:
        out.write('{"@context": "http://schema.org", "@type": "DataFeed", "dataFeedElement": [')
        for number in range(100_000):
            item = review(
                url=f"https://checker.example/checks/{number}",
                reviewRating={"@type": "Rating", "alternateName": "False"},
            )
            element = {"@type": "DataFeedItem", "item": [item]}
            out.write(("," if number else "") + json.dumps(element))
        out.write("]}")

    tracemalloc.start()
    try:
        with path.open("rb") as stream:
            count = sum(1 for record in read_reviews(stream) if isinstance(record, ReviewRecord))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert count == 100_000
    assert peak < 30_000_000
