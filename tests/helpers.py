"""Helpers that several test files share; fixtures live in the conftest files.

Only plain functions and constants here: a test reads them by name, so one
definition serves every file that posts a claim form, reads an export or walks
the API's pages.
"""

import csv
import datetime
import io
import json
import os
import re
import subprocess
import sys
import zlib

from django.conf import settings
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.models import Appearance, Claim, Rating
from claims.services import claim_transition, verdict_record
from sources.models import Source
from tests.factories import EvidenceFactory

State = Claim.ReviewState
JAN = {day: datetime.date(2020, 1, day) for day in range(1, 32)}


# Claims and verdicts ---------------------------------------------------------------------


def rating(slug: str) -> Rating:
    return Rating.objects.get(slug=slug)


def publish(claim: Claim, *, editor, reviewer, slug: str = "false", holds_from=None) -> Claim:
    """Record a verdict (by ``editor``) resting on new evidence and publish it (by ``reviewer``)."""
    if claim.review_state == State.DRAFT:
        claim = claim_transition(claim=claim, to=State.IN_RESEARCH, by=editor)
    if claim.review_state == State.IN_RESEARCH:
        claim = claim_transition(claim=claim, to=State.IN_REVIEW, by=editor)
    evidence = EvidenceFactory(claim=claim)
    verdict_record(
        claim=claim,
        rating=rating(slug),
        rationale=f"Rated {slug} on the evidence.",
        evidence=[evidence],
        holds_from=holds_from or JAN[16],
        by=editor,
    )
    claim.refresh_from_db()
    return claim_transition(claim=claim, to=State.PUBLISHED, by=reviewer)


# The API -----------------------------------------------------------------------------------


def token_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def etag(client, url: str) -> str:
    return client.get(url)["ETag"]


def walk(client, url: str) -> list[dict]:
    """Every result, following next links."""
    results = []
    while url:
        page = client.get(url).json()
        results += page["results"]
        url = page["next"]
    return results


def walked_ids(client, url: str) -> list[int]:
    """The ids of every result, in order, following next links."""
    return [claim["id"] for claim in walk(client, url)]


# Exported files ----------------------------------------------------------------------------

CLAIM_URL = re.compile(r"/api/v1/claims/(\d+)/")


def csv_rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def csv_ids(content: bytes) -> list[int]:
    return [int(row["id"]) for row in csv_rows(content)]


def claim_ids_in(kind: str, content: bytes) -> list[int]:
    """The ids of the claims a file of ``kind`` (csv, jsonl, claimreview, annotations, html)
    covers, in its order; annotations, one per appearance, give each claim once, sorted."""
    if kind == "csv":
        return csv_ids(content)
    if kind == "jsonl":
        return [json.loads(line)["id"] for line in content.splitlines()]
    if kind == "claimreview":
        return [int(CLAIM_URL.search(review["url"])[1]) for review in json.loads(content)]
    if kind == "annotations":
        ids = [int(CLAIM_URL.search(note["body"][0]["source"])[1]) for note in json.loads(content)]
        return sorted(set(ids))
    if kind == "html":
        return [int(pk) for pk in re.findall(r'id="claim-(\d+)"', content.decode())]
    if kind == "pdf":
        return pdf_claim_ids(content)
    raise AssertionError(f"no reader for {kind} files")


def pdf_claim_ids(pdf: bytes) -> list[int]:
    """The claims a PDF report holds, sorted: each claim's section is a named
    destination ("claim-<id>", from its HTML id), in the PDF's compressed streams."""
    assert pdf.startswith(b"%PDF-")
    text = pdf
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            text += zlib.decompress(stream[1])
        except zlib.error:
            continue  # not a Flate stream (a font, an image)
    return sorted({int(pk) for pk in re.findall(rb"\(claim-(\d+)\)", text)})


def run_python(*args: str, timeout: float = 60, **env: str) -> subprocess.CompletedProcess:
    """Python in the project, in a fresh process with ``env`` on top of the test's
    environment (its CACHE_URL left out: the process gets the product's default)."""
    environment = {key: value for key, value in os.environ.items() if key != "CACHE_URL"}
    environment.update({"DJANGO_SETTINGS_MODULE": "factcheck.settings", "DEBUG": "true"}, **env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class Terminal(io.StringIO):
    """An output stream that says it is a terminal, where commands draw progress bars."""

    def isatty(self) -> bool:
        return True


# The admin ---------------------------------------------------------------------------------


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def change_url_of(obj, user):
    """The change link the changelist gives the object (some admins map their ids)."""
    model_admin = admin.site._registry[type(obj)]
    request = RequestFactory().get("/")
    request.user = user
    return model_admin.get_changelist_instance(request).url_for_result(obj)


def counts_over(queries, table: str) -> list[str]:
    """The COUNT queries (QuerySet.count() names its result "__count") that read ``table``."""
    return [q["sql"] for q in queries if '"__count"' in q["sql"] and f'"{table}"' in q["sql"]]


def claims_action(client, action: str, claims, *, follow: bool = False, **extra):
    """Run a claims changelist action on ``claims``, as ticking them and picking it does."""
    data = {"action": action, "_selected_action": [c.pk for c in claims], **extra}
    return client.post(admin_url(Claim, "changelist"), data, follow=follow)


# The claim form ----------------------------------------------------------------------------

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
