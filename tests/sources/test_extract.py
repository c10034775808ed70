import datetime
import io
import logging

import pypdf
import pytest
import weasyprint

from sources.intake.extract import (
    ExtractionError,
    canonical_url,
    extract,
    extract_html,
    extract_pdf,
    extract_text,
)

UTC = datetime.UTC

PARAGRAPHS = [
    "The regional council approved a budget of 4.2 million euros on Tuesday, after a "
    "debate that lasted well into the evening and drew more than two hundred residents.",
    "Opposition members said the figure left nothing for the repair of the old river "
    "bridge, which engineers closed to lorries last spring after finding cracks in its "
    "supports.",
    "The council's finance officer, Marta Keller, told the meeting that the bridge would "
    "be paid for from a separate fund set up with the national transport ministry.",
    "A first payment from that fund is expected in March, she said, and work could begin "
    "before the summer if the tender attracts enough bids from local builders.",
]

FURNITURE = {
    "nav": "Home World Politics Sport Culture",
    "cookie": "We use cookies to improve your experience. Accept all cookies",
    "share": "Share on Facebook Share on X Copy link",
    "related": "Related: Mayor opens new library wing",
    "newsletter": "Sign up for our morning briefing newsletter",
    "comments": "Great article, thanks for writing this!",
    "footer": "© 2026 Valley Herald Media. All rights reserved.",
    "ad": "Advertisement: Cheap flights to Lisbon",
    "credit": "Photo: Valley Herald archive",
}


def page(body: str, *, head: str = "", lang: str = "en", paragraphs: list[str] = PARAGRAPHS) -> str:
    article = "\n".join(f"<p>{text}</p>" for text in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">{head}</head>
<body>{body.replace("{article}", article)}</body></html>"""


NEWS_ARTICLE = page(
    head="""
<title>Council approves budget | Valley Herald</title>
<meta property="og:title" content="Council approves budget">
<meta property="og:site_name" content="Valley Herald">
<meta name="author" content="Anna Berg">
<meta property="article:published_time" content="2026-03-04T18:30:00+01:00">
<link rel="canonical" href="/politics/council-budget">
""",
    body=f"""
<div id="cookie-banner" class="cookie-consent"><p>{FURNITURE["cookie"]}</p>
  <button>Accept</button></div>
<header><nav><ul>{"".join(f"<li><a href='/{w}'>{w}</a></li>" for w in FURNITURE["nav"].split())}
</ul></nav></header>
<main>
<article>
  <h1>Council approves budget</h1>
  <p class="byline">By Anna Berg</p>
  <div class="share-bar social-share"><a href="#">Share on Facebook</a> <a href="#">Share on X</a>
    <a href="#">Copy link</a></div>
  {{article}}
  <aside class="related-links"><h2>Related</h2><ul>
    <li><a href="/library">{FURNITURE["related"]}</a></li></ul></aside>
  <div class="newsletter-signup"><p>{FURNITURE["newsletter"]}</p>
    <form><input type="email"><button>Sign up</button></form></div>
  <div class="advert ad-slot"><p>{FURNITURE["ad"]}</p></div>
</article>
<section id="comments" class="comments"><h2>Comments</h2>
  <div class="comment"><p>{FURNITURE["comments"]}</p></div></section>
</main>
<footer><p>{FURNITURE["footer"]}</p></footer>
""",
)


def assert_article(text: str, paragraphs: list[str], furniture: list[str]) -> None:
    """Every paragraph, exactly, as a paragraph of its own, in order; no furniture."""
    found = text.split("\n\n")
    assert [paragraph for paragraph in paragraphs if paragraph not in found] == []
    positions = [found.index(paragraph) for paragraph in paragraphs]
    assert positions == sorted(positions)
    for piece in furniture:
        assert piece not in text
    assert text == text.rstrip()
    assert "\n\n\n" not in text


def test_a_news_article_is_its_paragraphs_without_the_page_furniture():
    extracted = extract_html(
        NEWS_ARTICLE.encode(), url="https://www.valleyherald.example/p?id=7&utm_source=x"
    )

    assert_article(extracted.text, PARAGRAPHS, list(FURNITURE.values()))
    assert extracted.title == "Council approves budget"
    assert extracted.authors == ["Anna Berg"]
    assert extracted.published_at == datetime.datetime(2026, 3, 4, 17, 30, tzinfo=UTC)
    assert extracted.site_name == "Valley Herald"
    assert extracted.canonical_url == "https://www.valleyherald.example/politics/council-budget"
    assert extracted.language == "en"


def test_the_json_ld_wins_when_it_and_the_meta_tags_disagree():
    json_ld = """{"@context": "https://schema.org", "@graph": [
      {"@type": "WebSite", "name": "Not the article"},
      {"@type": ["ReportageNewsArticle"], "headline": "Bridge fund confirmed",
       "datePublished": "2026-03-05T08:00:00Z",
       "author": [{"@type": "Person", "name": "Lena Fischer"}, "Tomás Ortega"],
       "publisher": {"@type": "Organization", "name": "Herald Group"}}]}"""
    html = page(
        head=f"""
<meta property="og:title" content="Something else entirely">
<meta property="og:site_name" content="The Other Name">
<meta name="author" content="Someone Else">
<meta property="article:published_time" content="2025-01-01T00:00:00Z">
<script type="application/ld+json">{{ this block is broken </script>
<script type="application/ld+json">{json_ld}</script>""",
        body="<article>{article}</article>",
    )

    extracted = extract_html(html)

    assert extracted.title == "Bridge fund confirmed"
    assert extracted.authors == ["Lena Fischer", "Tomás Ortega"]
    assert extracted.published_at == datetime.datetime(2026, 3, 5, 8, 0, tzinfo=UTC)
    assert extracted.site_name == "Herald Group"


def test_a_broken_json_ld_block_is_logged_and_skipped(caplog):
    html = page(
        head='<script type="application/ld+json">{"headline": </script>',
        body="<article>{article}</article>",
    )

    with caplog.at_level(logging.WARNING, logger="sources.intake.extract"):
        extracted = extract_html(html)

    assert "JSON-LD" in caplog.text
    assert_article(extracted.text, PARAGRAPHS, [])


def test_a_paywalled_page_gives_only_its_teaser():
    teaser = PARAGRAPHS[:2]
    html = page(
        paragraphs=teaser,
        body="""<article><h1>Bridge closed</h1>{article}
<div class="paywall"><h2>Subscribe to read</h2>
<p>This article is for subscribers. Subscribe to read the full story for 1 € a week.</p>
<a href="/subscribe">Subscribe now</a></div></article>""",
    )

    extracted = extract_html(html)

    assert_article(extracted.text, teaser, ["Subscribe", "subscribers"])


def test_a_live_blog_keeps_every_timestamped_entry():
    entries = [
        "09:05 Polls have opened across the region; turnout at the first stations is brisk, "
        "officials say.",
        "11:40 The electoral commission reports that a server fault briefly delayed results "
        "from three districts.",
        "14:15 Turnout reached 38 per cent by two o'clock, four points higher than at the "
        "last election.",
        "17:50 Polls close in ten minutes; the first projections are expected shortly after.",
    ]
    html = page(
        head="""<script type="application/ld+json">{"@type": "LiveBlogPosting",
 "headline": "Election day: live", "datePublished": "2026-05-10"}</script>""",
        paragraphs=[],
        body="<main><h1>Election day: live</h1>"
        + "".join(
            f'<article class="entry"><time>{entry[:5]}</time><p>{entry}</p></article>'
            for entry in entries
        )
        + "</main>",
    )

    extracted = extract_html(html)

    assert_article(extracted.text, entries, [])
    assert extracted.title == "Election day: live"
    assert extracted.published_at == datetime.datetime(2026, 5, 10, tzinfo=UTC)


def test_curly_quotes_dashes_and_non_breaking_spaces_are_kept_as_published():
    paragraphs = [
        "“We will not raise taxes,” the minister said — twice — on Monday, before the "
        "vote on the 2026\u00a0budget.",
        "Her deputy added: ‘The deficit is 3\u00a0% of output, and falling’ – a figure "
        "the statistics office disputes.",
        "The office puts it at 3.4\u00a0%, citing revised figures for the last quarter.",
    ]
    html = page(
        paragraphs=[p.replace("\u00a0", "&nbsp;") for p in paragraphs],
        body="<article>{article}</article>",
    )

    extracted = extract_html(html.encode("utf-8"), charset="utf-8")

    assert_article(extracted.text, paragraphs, [])


def test_tracking_parameters_are_removed_from_the_og_url():
    html = page(
        head='<meta property="og:url" content="https://News.example.com/a/1?utm_source=tw'
        '&amp;utm_medium=social&amp;id=5&amp;fbclid=abc#top">',
        body="<article>{article}</article>",
    )

    assert extract_html(html).canonical_url == "https://news.example.com/a/1?id=5"


def test_canonical_url_is_the_stored_form_of_an_address():
    assert canonical_url("HTTPS://Example.com:443?gclid=1&mc_cid=2&ref_src=twsrc") == (
        "https://example.com/"
    )
    assert canonical_url("mailto:desk@example.com") == ""


def test_a_date_only_the_page_text_gives_is_found_by_htmldate():
    html = page(
        body='<article><p class="date">Published 12 February 2026</p>{article}</article>',
    )

    assert extract_html(html).published_at == datetime.datetime(2026, 2, 12, tzinfo=UTC)


def test_the_language_is_detected_when_the_page_does_not_say():
    paragraphs = [
        "Le conseil régional a approuvé mardi un budget de 4,2 millions d'euros, après un "
        "débat qui s'est prolongé tard dans la soirée.",
        "L'opposition affirme que ce montant ne laisse rien pour la réparation du vieux pont, "
        "fermé aux camions depuis le printemps dernier.",
    ]
    html = page(paragraphs=paragraphs, body="<article>{article}</article>").replace(
        ' lang="en"', ""
    )

    assert extract_html(html).language == "fr"


NAV = FURNITURE["nav"].split()


def test_a_page_without_article_text_is_an_error():
    html = page(
        paragraphs=[],
        head="<title>Watch: the bridge at dawn | Valley Herald</title>",
        body=f"""<header><nav>{" ".join(f"<a href='/{w}'>{w}</a>" for w in NAV)}</nav></header>
<main><h1>Watch: the bridge at dawn</h1>
<video src="/v/bridge.mp4" controls></video></main>
<footer><p>{FURNITURE["footer"]}</p></footer>""",
    )

    with pytest.raises(ExtractionError, match=r"No article text found at https://e\.example/x\."):
        extract_html(html, url="https://e.example/x")


def test_a_pdf_gives_its_paragraphs_in_order():
    pdf = weasyprint.HTML(
        string="<title>Council budget</title>"
        + "".join(f"<p>{paragraph}</p>" for paragraph in PARAGRAPHS)
    ).write_pdf()
    assert pdf is not None

    extracted = extract_pdf(pdf, url="https://example.com/budget.pdf?utm_campaign=x")

    assert_article(extracted.text, PARAGRAPHS, [])
    assert extracted.title == "Council budget"
    assert extracted.canonical_url == "https://example.com/budget.pdf"
    assert extracted.language == "en"


def test_a_pdf_without_a_text_layer_is_a_scanned_pdf():
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)

    with pytest.raises(ExtractionError, match=r"^Scanned PDF: no text"):
        extract_pdf(buffer.getvalue())


def test_a_damaged_pdf_is_an_error():
    with pytest.raises(ExtractionError, match="PDF"):
        extract_pdf(b"%PDF-1.7\nthis is not really a PDF")


def test_plain_text_is_kept_as_given_but_its_line_endings():
    body = "  Statement on the bridge\r\n\r\nThe ministry “confirms” the fund — 2\u00a0m€.  \r\n"

    extracted = extract_text(body.encode(), charset="utf-8")

    assert (
        extracted.text
        == "  Statement on the bridge\n\nThe ministry “confirms” the fund — 2\u00a0m€."
    )
    assert extracted.title == "Statement on the bridge"
    assert extracted.canonical_url == ""


def test_a_document_is_read_by_its_content_type():
    assert extract(b"Hello there, reader.", content_type="text/plain; charset=utf-8").text == (
        "Hello there, reader."
    )
    assert "Marta Keller" in extract(NEWS_ARTICLE.encode(), content_type="text/html").text
    with pytest.raises(ExtractionError, match="image/png"):
        extract(b"\x89PNG", content_type="image/png")


def test_a_json_ld_address_is_the_canonical_one_when_the_page_declares_no_other():
    page = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
        '"url": "https://news.example/story", "headline": "Story"}</script></head><body>'
        "<article><p>The ministry said on Tuesday that the strike had hit the base.</p>"
        "<p>Officials confirmed the number of launches later in the day.</p></article>"
        "</body></html>"
    )

    extracted = extract_html(page, url="https://news.example/amp/story?x=1")

    assert extracted.canonical_url == "https://news.example/story"


def test_a_footers_copyright_year_is_not_taken_for_the_publication_date():
    page = (
        "<html><body><article><p>The ministry said on Tuesday that the strike had hit "
        "the base.</p><p>Officials confirmed the number of launches later in the day.</p>"
        "</article><footer>© 2021 Daily Planet</footer></body></html>"
    )

    assert extract_html(page, url="https://news.example/a").published_at is None
