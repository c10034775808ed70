"""Source intake's speed: pages extracted a second, and imports a minute through the job queue.

    .venv/bin/python bench/import.py [--pages 200] [--imports 100]
        [--database factcheck_bench_import]

Generates --pages varied HTML pages (seeded, so every run reads the same bytes) from
seven site layouts: a news article (navigation, cookie banner, related stories,
comments, footer), a blog post (sidebar, comments), a live blog (timestamped updates,
LiveBlogPosting JSON-LD), a paywall stub (a teaser and a subscribe box), a page whose
metadata is in JSON-LD only (some with the articleBody in it too), a long feature
(subheads, quotes, a table) and a short brief; paragraph counts and sizes, and the
scripts and styles around them, vary page by page. Then measures:

1. ``extract_html`` over every page, one after another in this process: pages a
   second, MB a second, p50/p95 per page (one unmeasured page first, so that no
   lazily loaded model counts). Along the way, what it found: the share of each
   page's article paragraphs in the text, and the pages where furniture (a cookie
   banner, a related headline, a comment, the footer) got into it.
2. Imports a minute with one task worker (``manage.py worker``): the pages are served
   from 127.0.0.1 by this process (IMPORT_ALLOW_PRIVATE_ADDRESSES=true for it and the
   worker), --imports of them are queued as jobs with ``start_url_import`` (after one
   unmeasured import, so the worker has loaded everything), and the time runs from
   the first queued to the last succeeded (the jobs' own ``finished_at``). Every job
   must succeed, each with a source of its own, and the sources must be one for each
   page imported. Then the same pages again: every job must succeed on the same
   source, and the sources left as they were ("unchanged": no history row written),
   with their rate.

The database (--database, default factcheck_bench_import, created on --server when
missing, migrated) is the script's own: its source, outlet and job tables are
emptied at the start (``factcheck``, ``factcheck_bench`` and ``test_*`` are refused).
The worker is stopped and the temporary folder removed when the script ends, also on
Ctrl-C, SIGTERM or an error. See bench/README.md.
"""

import argparse
import datetime
import html
import http.server
import json
import logging
import os
import platform
import random
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.jobs import (  # noqa: E402 (after the path)
    FORBIDDEN_DATABASES,
    HOST,
    WORKER,
    Processes,
    app_env,
    ensure_database,
    summary,
)

SEED = 2026
POLL_SECONDS = 0.1
WORDS = (  # noqa: SIM905 (a list literal of them is 200 lines)
    "the minister said government council report budget police city election vote "
    "campaign health hospital school water energy price market bank court judge law "
    "officials claimed according data figures percent million billion year week "
    "month people residents workers union strike protest border trade tax policy "
    "climate flood storm fire road rail airport company chief executive spokesman "
    "statement interview evidence study researchers university survey poll party "
    "leader opposition parliament committee inquiry investigation record rise fall "
    "increase decrease local national regional international agreement deal talks "
    "security military army troops attack ceasefire aid crisis shortage supply "
    "demand cost rent housing family children teachers doctors nurses patients "
    "vaccine virus cases deaths testing funding plan scheme project contract "
    "review warning risk safety public private sector service services jobs "
    "unemployment inflation growth economy exports imports farmers food fuel "
    "electricity gas oil coal wind solar network internet phone social media "
    "online video post posts shared viral misleading false true accurate context "
    "missing claim claims check checked source sources quote quoted official "
    "document documents released published earlier later yesterday today morning "
    "evening night after before during while since because although however but "
    "and or of in on at for with from by to over under between against about"
).split()
SITES = {
    "news": ["The Daily Ledger", "Northern Courier", "Metro Standard"],
    "blog": ["Notes from the Valley", "Open Data Diary"],
    "live": ["The Daily Ledger", "City Wire"],
    "paywall": ["The Financial Record", "Weekly Observer"],
    "jsonld": ["Global Dispatch", "Coastal Times", "Regional Post"],
    "long": ["The Long Read", "Northern Courier"],
    "short": ["City Wire", "Metro Standard"],
}
LAYOUTS = list(SITES)
# Layouts whose pages say their own address (a canonical link, og:url or JSON-LD).
SAY_ADDRESS = {"news", "live", "paywall", "jsonld", "long"}
# What a layout makes: the page, its article's paragraphs, its furniture, the date it states.
Made = tuple[str, list[str], list[str], str]


# The pages -------------------------------------------------------------------------------------


@dataclass
class Page:
    index: int
    layout: str
    path: str  # where the local server serves it
    body: bytes
    paragraphs: list[str]  # the article's paragraphs, as published
    furniture: list[str]  # texts around the article that must not be in its text
    address: str  # the address it states ("": none, so the one it is fetched from)
    published: str  # the date it states, ISO 8601 ("": none)


def sentence(rng: random.Random, low: int = 6, high: int = 24) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, low: int = 1, high: int = 7) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(low, high)))


def headline(rng: random.Random) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(6, 12))).capitalize()


def slug(text: str) -> str:
    return "-".join(text.lower().split()[:6])


def weight(rng: random.Random, low: int, high: int) -> str:
    """A page's scripts and styles: an inline state blob and a stylesheet of
    ``low``–``high`` bytes together, as news sites ship them."""
    size = rng.randint(low, high)
    state: list[dict[str, object]] = []
    length = 0
    while length < size * 3 // 4:
        item = {"id": rng.randrange(10**9), "title": headline(rng), "score": rng.random()}
        state.append(item)
        length += len(json.dumps(item)) + 2
    rules: list[str] = []
    length = 0
    while length < size // 4:
        name = rng.choice(WORDS)
        rules.append(f".{name}-{rng.randrange(999)}{{margin:{rng.randrange(40)}px;color:#abc}}\n")
        length += len(rules[-1])
    return (
        f"<style>{''.join(rules)}</style>\n"
        f"<script>window.__STATE__ = {json.dumps(state)};</script>\n"
        '<script async src="/static/analytics.js"></script>\n'
    )


def head(title: str, site: str, extra: str = "", meta: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        f"<title>{html.escape(title)} | {html.escape(site)}</title>\n{meta}{extra}</head>\n"
    )


def opengraph(title: str, site: str, url: str, published: str, author: str) -> str:
    return (
        f'<meta property="og:title" content="{html.escape(title)}">\n'
        f'<meta property="og:site_name" content="{html.escape(site)}">\n'
        f'<meta property="og:url" content="{url}">\n<meta property="og:type" content="article">\n'
        f'<meta property="article:published_time" content="{published}">\n'
        f'<meta name="author" content="{html.escape(author)}">\n'
        f'<link rel="canonical" href="{url}">\n'
    )


def paragraphs_html(items: list[str]) -> str:
    return "".join(f"<p>{html.escape(text)}</p>\n" for text in items)


def nav(rng: random.Random) -> str:
    """A site header: the sections, each with a menu of links (30–400 in all, in nested
    lists, as news sites' mega-menus are), and an advertising slot."""
    sections = rng.sample(["World", "Politics", "Business", "Health", "Science", "Sport"], 5)
    per_section = rng.randint(6, 80)
    menus = "".join(
        f'<li class="menu-item"><a href="/{name.lower()}/">{name}</a><div class="sub-menu"><ul>'
        + "".join(
            f'<li><a href="/{name.lower()}/{rng.choice(WORDS)}-{n}">{rng.choice(WORDS).title()}'
            "</a></li>"
            for n in range(per_section)
        )
        + "</ul></div></li>"
        for name in sections
    )
    return (
        f'<header><nav class="main-nav"><ul class="menu">{menus}</ul></nav>\n'
        '<div class="ad-slot" id="ad-top"><div class="ad-inner"><iframe></iframe></div></div>'
        "</header>\n"
    )


def footer(site: str, rng: random.Random) -> tuple[str, str]:
    text = (
        f"Copyright {site} {rng.randint(2010, 2026)}. All rights reserved, reproduction "
        "prohibited without written permission."
    )
    return f'<footer class="site-footer"><p>{html.escape(text)}</p></footer>\n', text


def comments(rng: random.Random, count: int) -> tuple[str, list[str]]:
    texts = [paragraph(rng, 1, 2) for _ in range(count)]
    items = "".join(
        f'<li class="comment"><span class="comment-author">reader{rng.randrange(999)}</span>'
        f"<p>{html.escape(text)}</p></li>\n"
        for text in texts
    )
    return (
        f'<section id="comments" class="comments"><h3>Comments</h3><ol>{items}</ol></section>\n',
        texts,
    )


def related(rng: random.Random, count: int) -> tuple[str, list[str]]:
    titles = [headline(rng) for _ in range(count)]
    items = "".join(f'<li><a href="/story/{slug(t)}">{html.escape(t)}</a></li>' for t in titles)
    return f'<aside class="related"><h2>Related stories</h2><ul>{items}</ul></aside>\n', titles


def published(rng: random.Random) -> str:
    moment = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(
        minutes=rng.randrange(60 * 24 * 330)
    )
    return moment.isoformat()


def author(rng: random.Random) -> str:
    first = rng.choice(["Anna", "Ben", "Chloe", "David", "Elif", "Farid", "Grace", "Hugo"])
    last = rng.choice(["Martin", "Okafor", "Schmidt", "Novak", "Silva", "Tanaka", "Reyes"])
    return f"{first} {last}"


def news_page(rng: random.Random, url: str, site: str) -> Made:
    title, when, by = headline(rng), published(rng), author(rng)
    body = [paragraph(rng) for _ in range(rng.randint(8, 25))]
    cookie = (
        "We use cookies to improve your experience and to show you personalised advertising. "
        "By continuing to browse you agree to our use of cookies."
    )
    related_html, related_titles = related(rng, rng.randint(3, 8))
    comments_html, comment_texts = comments(rng, rng.randint(0, 12))
    footer_html, footer_text = footer(site, rng)
    middle = rng.randint(1, len(body) - 1)
    page = (
        head(title, site, weight(rng, 20_000, 250_000), opengraph(title, site, url, when, by))
        + "<body>\n"
        + f'<div id="cookie-banner" class="cookie-consent"><p>{cookie}</p>'
        + "<button>Accept</button></div>\n"
        + nav(rng)
        + '<main><article class="story">\n'
        + f'<h1>{html.escape(title)}</h1>\n<p class="byline">By {by}</p>'
        + f'<time datetime="{when}">{when[:10]}</time>\n'
        + paragraphs_html(body[:middle])
        + '<figure><img src="/img/photo.jpg" alt=""><figcaption>A photo.</figcaption></figure>\n'
        + paragraphs_html(body[middle:])
        + "</article>\n"
        + related_html
        + comments_html
        + "</main>\n"
        + footer_html
        + "</body></html>\n"
    )
    return page, body, [cookie, *related_titles, *comment_texts, footer_text], when


def blog_page(rng: random.Random, url: str, site: str) -> Made:
    title, when = headline(rng), published(rng)
    body = [paragraph(rng, 2, 8) for _ in range(rng.randint(5, 20))]
    tags = rng.sample(WORDS, 12)
    archive = [f"{month} 2026" for month in ("January", "February", "March", "April")]
    sidebar = (
        '<aside id="sidebar" class="widget-area"><section class="widget"><h2>Tags</h2>'
        + "".join(f'<a href="/tag/{tag}/">{tag}</a> ' for tag in tags)
        + '</section><section class="widget"><h2>Archives</h2><ul>'
        + "".join(f"<li><a href='/archive/'>{item}</a></li>" for item in archive)
        + "</ul></section></aside>\n"
    )
    comments_html, comment_texts = comments(rng, rng.randint(2, 20))
    footer_html, footer_text = footer(site, rng)
    page = (
        head(
            title,
            site,
            weight(rng, 5_000, 60_000),
            f'<meta property="og:site_name" content="{site}">\n',
        )
        + '<body class="single-post">\n'
        + f'<div class="site-header"><a class="site-title" href="/">{site}</a></div>\n'
        + '<div id="content"><article class="post"><header class="entry-header">'
        + f'<h1 class="entry-title">{html.escape(title)}</h1>'
        + f'<span class="posted-on"><time class="entry-date published" datetime="{when}">'
        + f"{when[:10]}</time></span></header>\n"
        + f'<div class="entry-content">\n{paragraphs_html(body)}</div></article>\n'
        + comments_html
        + "</div>\n"
        + sidebar
        + footer_html
        + "</body></html>\n"
    )
    return page, body, [*comment_texts, footer_text], when


def live_page(rng: random.Random, url: str, site: str) -> Made:
    title, when = "Live: " + headline(rng), published(rng)
    updates = []
    body: list[str] = []
    start = datetime.datetime.fromisoformat(when)
    for n in range(rng.randint(10, 40)):
        moment = start + datetime.timedelta(minutes=7 * n)
        texts = [paragraph(rng, 1, 4) for _ in range(rng.randint(1, 3))]
        body.extend(texts)
        updates.append(
            f'<div class="live-update" id="update-{n}"><time datetime="{moment.isoformat()}">'
            f"{moment:%H:%M}</time><h3>{html.escape(headline(rng))}</h3>"
            f"{paragraphs_html(texts)}</div>\n"
        )
    updates.reverse()  # newest first, as live blogs show them
    ld = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "headline": title,
        "url": url,
        "datePublished": when,
        "coverageStartTime": when,
        "author": {"@type": "Person", "name": author(rng)},
        "publisher": {"@type": "Organization", "name": site},
    }
    footer_html, footer_text = footer(site, rng)
    page = (
        head(
            title,
            site,
            weight(rng, 30_000, 300_000),
            f'<script type="application/ld+json">{json.dumps(ld)}</script>\n'
            f'<link rel="canonical" href="{url}">\n',
        )
        + "<body>\n"
        + nav(rng)
        + f'<main><h1>{html.escape(title)}</h1><div class="live-blog">\n'
        + f"{''.join(updates)}</div></main>\n"
        + footer_html
        + "</body></html>\n"
    )
    return page, body, [footer_text], when


def paywall_page(rng: random.Random, url: str, site: str) -> Made:
    title, when, by = headline(rng), published(rng), author(rng)
    body = [paragraph(rng, 3, 6) for _ in range(rng.randint(1, 3))]
    box = (
        "Subscribe to continue reading. Get unlimited access to award winning journalism "
        "for one pound a week, cancel at any time."
    )
    footer_html, footer_text = footer(site, rng)
    page = (
        head(title, site, weight(rng, 20_000, 150_000), opengraph(title, site, url, when, by))
        + "<body>\n"
        + nav(rng)
        + f'<article><h1>{html.escape(title)}</h1><p class="byline">By {by}</p>\n'
        + f'<div class="article-body teaser">{paragraphs_html(body)}</div>\n'
        + f'<div class="paywall-box"><p>{box}</p><a href="/subscribe">Subscribe</a></div>\n'
        + "</article>\n"
        + footer_html
        + "</body></html>\n"
    )
    return page, body, [box, footer_text], when


def jsonld_page(rng: random.Random, url: str, site: str) -> Made:
    title, when = headline(rng), published(rng)
    body = [paragraph(rng) for _ in range(rng.randint(6, 20))]
    ld: dict[str, object] = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": site, "url": url.rsplit("/", 2)[0] + "/"},
            {
                "@type": "NewsArticle",
                "headline": title,
                "datePublished": when,
                "dateModified": when,
                "author": [
                    {"@type": "Person", "name": author(rng)} for _ in range(rng.randint(1, 2))
                ],
                "publisher": {"@type": "Organization", "name": site},
                "mainEntityOfPage": {"@type": "WebPage", "@id": url},
                "inLanguage": "en-GB",
            },
        ],
    }
    if rng.random() < 0.5:
        ld["@graph"][1]["articleBody"] = "\n\n".join(body)  # type: ignore[index]
    related_html, related_titles = related(rng, rng.randint(2, 6))
    footer_html, footer_text = footer(site, rng)
    page = (
        head(
            title,
            site,
            weight(rng, 10_000, 200_000),
            f'<script type="application/ld+json">{json.dumps(ld)}</script>\n',
        )
        + "<body>\n"
        + nav(rng)
        + '<div class="container"><div class="col-main">'
        + f'<h1 class="headline">{html.escape(title)}</h1>\n'
        + f'<div class="body-copy">{paragraphs_html(body)}</div></div>\n'
        + f'<div class="col-side">{related_html}</div></div>\n'
        + footer_html
        + "</body></html>\n"
    )
    return page, body, [*related_titles, footer_text], when


def long_page(rng: random.Random, url: str, site: str) -> Made:
    title, when, by = headline(rng), published(rng), author(rng)
    body: list[str] = []
    parts = []
    for section in range(rng.randint(6, 14)):
        texts = [paragraph(rng, 3, 9) for _ in range(rng.randint(4, 9))]
        body.extend(texts)
        parts.append(f"<h2>{html.escape(headline(rng))}</h2>\n{paragraphs_html(texts)}")
        if section == 2:
            quote = sentence(rng, 12, 20)
            body.append(quote)
            parts.append(f"<blockquote><p>{html.escape(quote)}</p></blockquote>\n")
    rows = "".join(
        f"<tr><td>{rng.choice(WORDS)}</td><td>{rng.randrange(1000)}</td></tr>" for _ in range(6)
    )
    parts.insert(len(parts) // 2, f"<table><tr><th>item</th><th>value</th></tr>{rows}</table>\n")
    related_html, related_titles = related(rng, rng.randint(3, 6))
    footer_html, footer_text = footer(site, rng)
    page = (
        head(title, site, weight(rng, 40_000, 300_000), opengraph(title, site, url, when, by))
        + "<body>\n"
        + nav(rng)
        + f'<main><article class="longform"><h1>{html.escape(title)}</h1>'
        + f'<p class="standfirst">{html.escape(sentence(rng))}</p><p class="byline">By {by}</p>\n'
        + "".join(parts)
        + "</article>\n"
        + related_html
        + "</main>\n"
        + footer_html
        + "</body></html>\n"
    )
    return page, body, [*related_titles, footer_text], when


def short_page(rng: random.Random, url: str, site: str) -> Made:
    title = headline(rng)
    body = [paragraph(rng, 2, 4) for _ in range(rng.randint(2, 5))]
    footer_html, footer_text = footer(site, rng)
    page = (
        head(title, site, weight(rng, 2_000, 40_000))
        + "<body>\n"
        + nav(rng)
        + f'<div class="brief"><h1>{html.escape(title)}</h1>\n{paragraphs_html(body)}</div>\n'
        + footer_html
        + "</body></html>\n"
    )
    return page, body, [footer_text], ""


MAKERS: dict[str, Callable[[random.Random, str, str], Made]] = {
    "news": news_page,
    "blog": blog_page,
    "live": live_page,
    "paywall": paywall_page,
    "jsonld": jsonld_page,
    "long": long_page,
    "short": short_page,
}


def generate_pages(count: int) -> list[Page]:
    """``count`` pages, the layouts taken in turn (so any first N of them mix every
    layout), each page's sizes from the seeded generator."""
    rng = random.Random(SEED)
    pages = []
    for index in range(count):
        layout = LAYOUTS[index % len(LAYOUTS)]
        site = rng.choice(SITES[layout])
        path = f"/{layout}/{index:04d}.html"
        # News sites say their own address (canonical); blogs and briefs do not, so
        # their source's address is the one they were fetched from.
        domain = site.lower().replace("the ", "").replace(" ", "") + ".example"
        url = f"https://www.{domain}/{layout}/{index:04d}-story"
        text, paragraphs, furniture, when = MAKERS[layout](rng, url, site)
        address = url if layout in SAY_ADDRESS else ""
        pages.append(
            Page(index, layout, path, text.encode("utf-8"), paragraphs, furniture, address, when)
        )
    return pages


# 1. Extraction ----------------------------------------------------------------------------------


@dataclass
class Extraction:
    seconds: list[float] = field(default_factory=list)
    found: list[float] = field(default_factory=list)  # share of the paragraphs in the text
    leaked: list[int] = field(default_factory=list)  # pages with furniture in the text
    wrong_address: list[str] = field(default_factory=list)  # the address extracted, if wrong
    wrong_date: list[str] = field(default_factory=list)  # the date extracted, if not the day


def normalized(text: str) -> str:
    return " ".join(text.split()).casefold()


def measure_extraction(pages: list[Page], base: str) -> dict[str, Extraction]:
    from sources.intake.extract import extract_html

    extract_html(pages[0].body, url=base + pages[0].path)  # unmeasured: loads the models
    by_layout: dict[str, Extraction] = {layout: Extraction() for layout in LAYOUTS}
    for page in pages:
        started = time.perf_counter()
        extracted = extract_html(page.body, url=base + page.path)
        seconds = time.perf_counter() - started
        text = normalized(extracted.text)
        figures = by_layout[page.layout]
        figures.seconds.append(seconds)
        found = sum(normalized(item) in text for item in page.paragraphs)
        figures.found.append(found / len(page.paragraphs))
        if any(normalized(item) in text for item in page.furniture):
            figures.leaked.append(page.index)
        if extracted.canonical_url != (page.address or base + page.path):
            figures.wrong_address.append(extracted.canonical_url)
        day = extracted.published_at.date().isoformat() if extracted.published_at else ""
        if day != page.published[:10]:
            figures.wrong_date.append(f"{day or 'none'} for {page.published[:10] or 'none'}")
    return by_layout


# 2. Imports through the job queue ---------------------------------------------------------------


class PageServer(http.server.ThreadingHTTPServer):
    """The pages, served from memory on 127.0.0.1, each GET counted."""

    daemon_threads = True

    def __init__(self, pages: list[Page]):
        self.pages = {page.path: page.body for page in pages}
        self.requests = 0
        self._lock = threading.Lock()
        super().__init__((HOST, 0), PageHandler)

    def count(self) -> None:
        with self._lock:
            self.requests += 1


class PageHandler(http.server.BaseHTTPRequestHandler):
    server: PageServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self.server.count()
        body = self.server.pages.get(self.path.split("?")[0])
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Round:
    seconds: float  # from the first queued to the last succeeded
    each: list[float]  # each job's own time in the worker (started to finished)
    source_ids: list[int]
    queue_seconds: float  # to queue them all
    first_wait: float  # from the first queued until a worker started it


def prepare_database() -> None:
    from django.core.management import call_command
    from django.db import connection

    from jobs.models import Job
    from sources.models import Outlet, Source

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from django_tasks_db.models import DBTaskResult

    tables = [
        model._meta.db_table
        for model in (Source, Source.history.model, Outlet, Outlet.history.model, Job, DBTaskResult)
    ]
    with connection.cursor() as cursor:
        # CASCADE: whatever refers to a source (appearances, evidence) goes too.
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


def bench_user():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username="bench-import", defaults={"is_active": True}
    )
    return user


def import_round(urls: list[str], user, processes: Processes) -> Round:
    """Queue a job for each address, then wait until every one has ended; each must
    have succeeded with a source."""
    from django.utils import timezone

    from factcheck.api.links import Links
    from jobs.models import Job
    from sources.intake.jobs import start_url_import

    links = Links()
    began = timezone.now()
    started = time.perf_counter()
    ids = [start_url_import(url, user=user, links=links).pk for url in urls]
    queue_seconds = time.perf_counter() - started
    deadline = time.monotonic() + 1800
    while Job.objects.filter(pk__in=ids).exclude(status__in=Job.FINISHED).exists():
        processes.check()
        if time.monotonic() > deadline:
            raise SystemExit("The imports did not finish within half an hour.")
        time.sleep(POLL_SECONDS)
    jobs = {job.pk: job for job in Job.objects.filter(pk__in=ids)}
    failed = [job for job in jobs.values() if job.status != Job.Status.SUCCEEDED]
    if failed:
        raise SystemExit(
            f"{len(failed)} of {len(ids)} imports failed, e.g. {failed[0].label}: {failed[0].error}"
        )
    source_ids = []
    for pk in ids:
        link = jobs[pk].result_link  # .../api/v1/sources/<id>/
        if "/sources/" not in link:
            raise SystemExit(f"Job {pk} succeeded without a source: {link!r}")
        source_ids.append(int(link.rstrip("/").rsplit("/", 1)[1]))
    finished = max(job.finished_at for job in jobs.values() if job.finished_at)
    each = [
        (job.finished_at - job.started_at).total_seconds()
        for job in jobs.values()
        if job.finished_at and job.started_at
    ]
    first_start = min(job.started_at for job in jobs.values() if job.started_at)
    return Round(
        (finished - began).total_seconds(),
        each,
        source_ids,
        queue_seconds,
        (first_start - began).total_seconds(),
    )


def measure_imports(pages: list[Page], base: str, count: int, processes: Processes, env):
    """The first round (new sources) and the second (the same pages again)."""
    from django.utils import timezone

    from sources.models import Source

    user = bench_user()
    processes.start("worker", WORKER, env)
    # Unmeasured: one page that is not measured, so the worker has loaded everything.
    warm = import_round([base + pages[-1].path], user, processes)
    urls = [base + page.path for page in pages[:count]]
    print(f"Importing {count} pages as jobs, one worker", flush=True)
    first = import_round(urls, user, processes)
    if len(set(first.source_ids)) != count or warm.source_ids[0] in first.source_ids:
        raise SystemExit("The imports did not make a source each.")
    sources = Source.objects.count()
    if sources != count + 1:
        raise SystemExit(
            f"{sources} sources after {count} imports and the warm-up, not {count + 1}."
        )
    print(f"Importing the same {count} pages again", flush=True)
    since = timezone.now()
    second = import_round(urls, user, processes)
    if second.source_ids != first.source_ids:
        raise SystemExit("The second imports did not find the same sources.")
    if Source.objects.count() != sources:
        raise SystemExit("The second imports made new sources.")
    changed = set(Source.history.filter(history_date__gte=since).values_list("id", flat=True))
    unchanged = sum(pk not in changed for pk in second.source_ids)
    processes.stop("worker")
    return first, second, unchanged, sources


# The run ---------------------------------------------------------------------------------------


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def postgresql_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        row = cursor.fetchone()
    return str(row[0]).split()[0] if row else "?"


def p50_p95_ms(samples: list[float]) -> str:
    p50, p95 = summary(samples)
    return f"{p50 * 1000:.1f} / {p95 * 1000:.1f}"


def run(args, env: dict[str, str], processes: Processes) -> None:
    import trafilatura

    load_before = os.getloadavg()[0]
    started = time.monotonic()
    pages = generate_pages(args.pages)
    total_bytes = sum(len(page.body) for page in pages)
    server = PageServer(pages)
    base = f"http://{HOST}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="pages", daemon=True)
    thread.start()
    try:
        print(f"Extracting {len(pages)} pages ({total_bytes / 1e6:.1f} MB)", flush=True)
        by_layout = measure_extraction(pages, base)
        first, second, unchanged, sources = measure_imports(
            pages, base, args.imports, processes, env
        )
    finally:
        server.shutdown()
        server.server_close()
    served = server.requests

    seconds = [s for figures in by_layout.values() for s in figures.seconds]
    extract_seconds = sum(seconds)
    found = [share for figures in by_layout.values() for share in figures.found]
    leaked = sum(len(figures.leaked) for figures in by_layout.values())
    wrong_address = sum(len(figures.wrong_address) for figures in by_layout.values())
    wrong_date = sum(len(figures.wrong_date) for figures in by_layout.values())
    n = args.imports
    print()
    print(
        f"Source-import benchmark, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC: "
        f"{len(pages)} generated pages ({len(LAYOUTS)} layouts, {total_bytes / 1e6:.1f} MB), "
        f"{os.cpu_count()} CPUs ({cpu_model()}), PostgreSQL {postgresql_version()}, "
        f"Python {platform.python_version()}, trafilatura {trafilatura.__version__}"
    )
    print(
        "extract_html one page after another in one process; imports as jobs "
        "(start_url_import) run by one worker (manage.py worker), pages served from "
        f"127.0.0.1. Load average (1 min) before and after: {load_before:.2f}, "
        f"{os.getloadavg()[0]:.2f}."
    )
    header = f"{'measure':<44} {'value':>12}  note"
    print(header)
    print("-" * 100)
    print(
        f"{'extract_html, pages/s':<44} {len(seconds) / extract_seconds:>12.1f}  "
        f"{len(seconds)} pages in {extract_seconds:.1f} s"
    )
    print(f"{'extract_html, MB/s':<44} {total_bytes / 1e6 / extract_seconds:>12.2f}")
    print(
        f"{'extract_html, ms a page (p50 / p95)':<44} {p50_p95_ms(seconds):>12}  "
        f"max {max(seconds) * 1000:.0f}; article paragraphs found {statistics.mean(found):.1%}, "
        f"pages with furniture in the text {leaked}, with a wrong address {wrong_address}, "
        f"a wrong date {wrong_date}"
    )
    for layout, figures in by_layout.items():
        sizes = [len(page.body) for page in pages if page.layout == layout]
        counts = [len(page.paragraphs) for page in pages if page.layout == layout]
        print(
            f"  {layout + ', ms a page (p50 / p95)':<42} {p50_p95_ms(figures.seconds):>12}  "
            f"{len(sizes)} pages, {min(sizes) / 1024:.0f}–{max(sizes) / 1024:.0f} KiB, "
            f"{min(counts)}–{max(counts)} paragraphs; found {statistics.mean(figures.found):.1%}, "
            f"furniture in {len(figures.leaked)}; address wrong in "
            f"{len(figures.wrong_address)}, date in {len(figures.wrong_date)}"
            + (f" (e.g. {figures.wrong_date[0]})" if figures.wrong_date else "")
        )
    for name, outcome, note in (
        ("imports/minute, 1 worker (new sources)", first, f"{sources} sources (with the warm-up)"),
        ("re-imports/minute, 1 worker", second, f"{unchanged} of {n} unchanged"),
    ):
        print(
            f"{name:<44} {n / outcome.seconds * 60:>12.1f}  {n} jobs, {outcome.seconds:.1f} s "
            f"from the first queued to the last succeeded, {outcome.seconds / n:.2f} s an "
            f"import; {note}"
        )
        print(
            f"  {'a job in the worker, ms (p50 / p95)':<42} {p50_p95_ms(outcome.each):>12}  "
            f"queued all {n} in {outcome.queue_seconds:.2f} s; the first started after "
            f"{outcome.first_wait:.2f} s (an idle worker looks every second)"
        )
    print(
        f"\nPages served: {served} requests (expected {2 * n + 1}). "
        f"Measured in {time.monotonic() - started:,.0f} s."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200, help="Pages to generate and extract.")
    parser.add_argument("--imports", type=int, default=100, help="Pages imported as jobs.")
    parser.add_argument("--database", default="factcheck_bench_import", help="Database name.")
    parser.add_argument(
        "--server",
        default="postgres://factcheck:factcheck@127.0.0.1:5432",
        help="PostgreSQL server (a role that may create databases), without a database name.",
    )
    parser.add_argument(
        "--cache-url", default="db://factcheck_cache", help="CACHE_URL for the script and worker."
    )
    args = parser.parse_args()
    if args.database in FORBIDDEN_DATABASES or args.database.startswith("test_"):
        parser.error(f"{args.database} is not a database for this benchmark.")
    if args.pages < 2 or not 1 <= args.imports < args.pages:
        parser.error("--pages at least 2, --imports from 1 to --pages - 1 (one is the warm-up).")

    ensure_database(args.server, args.database)
    database_url = f"{args.server}/{args.database}"
    media = Path(tempfile.mkdtemp(prefix="bench-import-"))
    env = app_env(database_url, args.cache_url, media, None)
    env["IMPORT_ALLOW_PRIVATE_ADDRESSES"] = "true"
    for name in ("DATABASE_URL", "CACHE_URL", "MEDIA_ROOT", "TASKS_BACKEND"):
        os.environ[name] = env[name]
    os.environ["IMPORT_ALLOW_PRIVATE_ADDRESSES"] = "true"
    processes = Processes(media)
    # SIGTERM ends the run as Ctrl-C does, through the finally below.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))
    try:
        from bench.environment import setup_django

        setup_django()
        logging.getLogger("sources.intake.extract").setLevel(logging.ERROR)
        prepare_database()
        run(args, env, processes)
    finally:
        processes.stop_all()
        shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main()
