"""Importing sources: from a web address served by a local server, from files and from
pasted text, through import_sources, the API and the admin's Import page. A page is
one source however often and by whichever address it is imported; a changed text is
stored and its quotes re-anchored; bad input saves nothing."""

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from claims.models import Appearance
from jobs.models import Job
from sources.models import Outlet, Source
from tests.factories import AppearanceFactory, ClaimFactory, OutletFactory
from tests.helpers import token_client

pytestmark = pytest.mark.django_db

FIRST = "Iran\u2019s foreign minister said the strikes were \u201cproportionate\u201d."
SECOND = "No Americans were harmed, the Pentagon said \u2014 an early assessment."
THIRD = "Satellite images later showed damage to\u00a0five buildings at the base."


def article(*paragraphs: str, canonical: str = "/world/strikes", title: str = "Strikes") -> bytes:
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Daily Planet</title>
<link rel="canonical" href="{canonical}?utm_source=feed">
<meta property="og:site_name" content="Daily Planet">
<meta name="author" content="Lois Lane">
<meta property="article:published_time" content="2020-01-08T06:30:00+00:00">
<meta property="og:title" content="{title}">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<div class="cookie-banner">We use cookies to improve your experience.</div>
<article><h1>{title}</h1>{body}</article>
<aside class="related"><h2>Related</h2><a href="/x">Another story entirely</a></aside>
<footer>© Daily Planet. All rights reserved.</footer>
</body></html>""".encode()


class Site:
    """Pages served from 127.0.0.1: path → (status, content type, body)."""

    def __init__(self):
        self.pages: dict[str, tuple[int, str, bytes]] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                status, content_type, body = site.pages.get(
                    self.path.split("?")[0], (404, "text/html", b"<p>Not here</p>")
                )
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.root = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def serve(self, path: str, body: bytes, content_type="text/html; charset=utf-8", status=200):
        self.pages[path] = (status, content_type, body)
        return self.root + path


@pytest.fixture
def site(settings):
    settings.IMPORT_ALLOW_PRIVATE_ADDRESSES = True
    served = Site()
    yield served
    served.server.shutdown()


def import_sources(*args: str) -> tuple[int, str]:
    """The command's exit status and what it printed."""
    out = io.StringIO()
    try:
        call_command("import_sources", *args, stdout=out, stderr=io.StringIO())
    except SystemExit as exit:
        return int(exit.code or 0), out.getvalue()
    return 0, out.getvalue()


# From a web address -------------------------------------------------------------------


def test_a_page_becomes_a_source_with_its_text_and_metadata(site):
    url = site.serve("/world/strikes", article(FIRST, SECOND, THIRD))

    status, out = import_sources(f"{url}?utm_medium=social")

    source = Source.objects.get()
    assert (status, out) == (0, f"created {source.pk} {site.root}/world/strikes\n")
    assert source.text == "\n\n".join([FIRST, SECOND, THIRD])
    assert "cookies" not in source.text
    assert "Related" not in source.text
    assert source.title == "Strikes"
    assert source.authors == "Lois Lane"
    assert source.published_at.isoformat() == "2020-01-08T06:30:00+00:00"
    assert source.outlet.name == "Daily Planet"
    assert source.outlet.homepage == f"{site.root}/"  # with its port
    assert source.url == f"{site.root}/world/strikes"
    assert source.language == "en"


def test_importing_a_page_again_by_either_address_is_unchanged_and_adds_nothing(site):
    url = site.serve("/world/strikes", article(FIRST, SECOND))
    shared = site.serve("/s/abc123", article(FIRST, SECOND))  # a short link to the same page
    import_sources(shared)
    source = Source.objects.get()

    assert import_sources(shared) == (0, f"unchanged {source.pk}\n")
    assert import_sources(url) == (0, f"unchanged {source.pk}\n")
    assert Source.objects.count() == 1
    assert source.retrieved_from == shared


def test_a_changed_page_is_stored_and_its_quotes_re_anchored(site):
    url = site.serve("/world/strikes", article(FIRST, SECOND))
    import_sources(url)
    source = Source.objects.get()
    quote = "No Americans were harmed"
    appearance = AppearanceFactory(claim=ClaimFactory(), source=source, exact=quote)
    site.serve("/world/strikes", article(THIRD, FIRST, SECOND))

    assert import_sources(url) == (0, f"updated {source.pk} (re-anchored 1, orphaned 0)\n")

    source.refresh_from_db()
    appearance = Appearance.objects.get(pk=appearance.pk)
    assert source.text.startswith(THIRD)
    assert source.text[appearance.start : appearance.end] == quote
    assert source.history.count() == 2  # the earlier text is kept


def test_a_page_of_a_known_outlet_joins_it_by_its_domain(site):
    outlet = OutletFactory(name="The Planet (daily)", homepage=f"{site.root}/")
    url = site.serve("/world/strikes", article(FIRST, SECOND))

    import_sources(url)

    assert Source.objects.get().outlet == outlet


def test_without_the_setting_a_local_address_is_refused_and_nothing_is_saved(site, settings):
    settings.IMPORT_ALLOW_PRIVATE_ADDRESSES = False
    url = site.serve("/world/strikes", article(FIRST, SECOND))

    status, out = import_sources(url)

    assert status == 1
    assert out.startswith(f"failed {url}: ")
    assert "IMPORT_ALLOW_PRIVATE_ADDRESSES" in out
    assert not Source.objects.exists()
    assert not Outlet.objects.exists()


@pytest.mark.parametrize(
    ("path", "content_type", "body", "status", "message"),
    [
        ("/gone", "text/html", b"<p>gone</p>", 404, "404"),
        ("/broken", "text/html", b"oops", 500, "500"),
        ("/image.png", "image/png", b"\x89PNG\r\n", 200, "image/png"),
        ("/empty", "text/html", b"<html><body><nav>Home</nav></body></html>", 200, "article"),
    ],
)
def test_a_bad_page_fails_with_a_message_and_saves_nothing(
    site, path, content_type, body, status, message
):
    url = site.serve(path, body, content_type, status)

    exit_status, out = import_sources(url)

    assert exit_status == 1
    assert out.startswith(f"failed {url}: ")
    assert message in out
    assert not Source.objects.exists()


def test_one_failure_among_several_inputs_fails_the_command_but_imports_the_rest(site, tmp_path):
    good = site.serve("/world/strikes", article(FIRST, SECOND))
    listing = tmp_path / "list.txt"
    listing.write_text(f"# today's links\n{good}\n\nftp://example.org/file\n")

    status, out = import_sources("--file", str(listing))

    assert status == 1
    lines = out.splitlines()
    assert lines[0].startswith("created ")
    assert lines[1].startswith("failed ftp://example.org/file: ")
    assert Source.objects.count() == 1


# From files -------------------------------------------------------------------------


def test_an_html_file_is_imported_with_the_pages_canonical_address(tmp_path):
    page = tmp_path / "strikes.html"
    page.write_bytes(article(FIRST, SECOND, canonical="https://planet.example/world/strikes"))

    status, out = import_sources(str(page))

    source = Source.objects.get()
    assert (status, out) == (0, f"created {source.pk} https://planet.example/world/strikes\n")
    assert source.text == f"{FIRST}\n\n{SECOND}"


def test_a_text_file_needs_an_outlet_and_is_not_imported_twice(tmp_path):
    statement = tmp_path / "statement.txt"
    statement.write_text(f"Statement of the ministry\n\n{FIRST}\n", encoding="utf-8")

    assert import_sources(str(statement))[0] == 1
    assert not Source.objects.exists()

    status, out = import_sources(str(statement), "--outlet", "Ministry of Defence")
    source = Source.objects.get()
    assert (status, out) == (0, f"created {source.pk} Statement of the ministry\n")
    assert source.outlet.name == "Ministry of Defence"
    assert import_sources(str(statement), "--outlet", "Ministry of Defence")[1] == (
        f"unchanged {source.pk}\n"
    )


def test_a_file_of_another_kind_is_refused(tmp_path):
    sheet = tmp_path / "figures.xlsx"
    sheet.write_bytes(b"PK\x03\x04")

    status, out = import_sources(str(sheet))

    assert status == 1
    assert "figures.xlsx" in out
    assert "HTML, PDF or text" in out


# The API ---------------------------------------------------------------------------------

IMPORT = "/api/v1/sources/import/"


def test_an_editor_imports_a_page_through_the_api_as_a_job(
    site, editor, task_worker, django_capture_on_commit_callbacks
):
    url = site.serve("/world/strikes", article(FIRST, SECOND))
    client = token_client(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(IMPORT, {"url": url}, format="json")
    assert response.status_code == 202
    assert response["Location"] == f"/api/v1/jobs/{response.json()['id']}/"
    task_worker()

    job = client.get(response["Location"]).json()
    source = Source.objects.get()
    assert job["status"] == "succeeded"
    assert job["stage"] == f"created {source.pk} {url}"  # what the import did
    assert job["result_url"] == f"http://testserver/api/v1/sources/{source.pk}/"
    assert source.history.first().history_user == editor


def test_an_uploaded_file_is_imported_through_the_api(
    editor, task_worker, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile(
        "strikes.html", article(FIRST, SECOND, canonical="https://planet.example/a"), "text/html"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = token_client(editor).post(IMPORT, {"file": upload}, format="multipart")
    assert response.status_code == 202
    task_worker()

    assert Source.objects.get().url == "https://planet.example/a"
    assert Job.objects.get().status == Job.Status.SUCCEEDED


def test_a_failed_import_job_says_why_and_saves_nothing(
    site, editor, task_worker, django_capture_on_commit_callbacks
):
    url = site.serve("/gone", b"gone", status=404)
    client = token_client(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(IMPORT, {"url": url}, format="json")
    task_worker()

    job = client.get(response["Location"]).json()
    assert job["status"] == "failed"
    assert "404" in job["error"]
    assert not Source.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "not an address"}, "url"),
        ({"url": "ftp://example.org/file"}, "url"),
        ({}, "non_field_errors"),
        ("https://planet.example/a", "non_field_errors"),  # not an object
    ],
)
def test_a_malformed_import_is_a_400_at_once(editor, body, field):
    response = token_client(editor).post(IMPORT, body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Job.objects.exists()


def test_only_editors_and_reviewers_import(researcher_client, anonymous):
    body = {"url": "https://planet.example/a"}
    assert researcher_client.post(IMPORT, body, format="json").status_code == 403
    assert anonymous.post(IMPORT, body, format="json").status_code == 401
    assert not Job.objects.exists()


# The admin ---------------------------------------------------------------------------------

IMPORT_PAGE = reverse("admin:sources_source_import")


def test_the_sources_list_has_an_import_button(staff_client):
    page = staff_client.get(reverse("admin:sources_source_changelist")).content.decode()

    assert IMPORT_PAGE in page


def test_importing_an_address_in_the_admin_starts_a_job_and_shows_it(site, staff_client):
    url = site.serve("/world/strikes", article(FIRST, SECOND))

    response = staff_client.post(IMPORT_PAGE, {"url": url}, follow=True)

    job = Job.objects.get()
    assert response.redirect_chain[-1][0] == reverse("admin:jobs_job_change", args=[job.pk])
    assert "Importing in the background" in response.content.decode()
    assert job.params["url"] == url


def test_pasted_text_is_imported_at_once_and_opens_its_annotate_page(staff_client):
    outlet = OutletFactory(name="Ministry of Defence")
    data = {"text": f"{FIRST}\n\n{SECOND}", "title": "Statement", "outlet": outlet.pk}

    response = staff_client.post(IMPORT_PAGE, data)

    source = Source.objects.get()
    assert response["Location"] == reverse("admin:sources_source_annotate", args=[source.pk])
    assert source.text == f"{FIRST}\n\n{SECOND}"
    assert (source.title, source.outlet) == ("Statement", outlet)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Give one of them"),
        ({"url": "https://a.example/", "text": "Both"}, "Give one of them"),
        ({"text": "Words and more words."}, "Type the title of the pasted text."),
        ({"url": "javascript:alert(1)"}, ""),
    ],
)
def test_the_import_form_refuses_what_it_cannot_import(staff_client, data, message):
    response = staff_client.post(IMPORT_PAGE, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "errornote" in response.content.decode() or "errorlist" in response.content.decode()
    assert not Source.objects.exists()
    assert not Job.objects.exists()
