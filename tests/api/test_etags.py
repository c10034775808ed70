"""No lost updates: ETags on detail responses, If-Match required on writes, and
the database ordering concurrent writers."""

import threading

import pytest
from django.db import connection, connections

from claims.services import claims as claim_services
from factcheck.api import views
from tests.factories import ClaimFactory, OutletFactory, SpeakerFactory
from tests.helpers import token_client

pytestmark = pytest.mark.django_db


def test_a_detail_response_carries_the_etag_of_its_version(anonymous, published_claim):
    response = anonymous.get(f"/api/v1/claims/{published_claim.pk}/")

    assert response["ETag"] == f'"v{published_claim.version}"'
    assert response.json()["version"] == published_claim.version


def test_records_without_a_version_have_an_etag_that_changes_with_them(editor_client):
    outlet = OutletFactory()
    url = f"/api/v1/outlets/{outlet.pk}/"
    before = editor_client.get(url)["ETag"]

    changed = editor_client.patch(url, {"kind": "ngo"}, format="json", HTTP_IF_MATCH=before)

    assert changed.status_code == 200
    assert changed["ETag"] != before
    assert editor_client.get(url)["ETag"] == changed["ETag"]


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_write_without_if_match_is_428(method, superuser_client):
    outlet = OutletFactory()

    response = getattr(superuser_client, method)(
        f"/api/v1/outlets/{outlet.pk}/", {"name": "x"}, format="json"
    )

    assert response.status_code == 428
    assert "If-Match" in response.json()["message"]


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_write_with_a_stale_etag_is_412_and_changes_nothing(method, superuser_client):
    claim = ClaimFactory(label="original")
    stale = f'"v{claim.version}"'
    claim.label = "changed meanwhile"
    claim.save()

    response = getattr(superuser_client, method)(
        f"/api/v1/claims/{claim.pk}/",
        {"label": "mine", "text": "x"},
        format="json",
        HTTP_IF_MATCH=stale,
    )

    assert response.status_code == 412
    claim.refresh_from_db()
    assert claim.label == "changed meanwhile"


def test_a_weak_etag_from_a_compressing_proxy_still_matches(editor_client):
    speaker = SpeakerFactory()
    url = f"/api/v1/speakers/{speaker.pk}/"
    etag = editor_client.get(url)["ETag"]

    response = editor_client.patch(
        url, {"kind": "agency"}, format="json", HTTP_IF_MATCH=f"W/{etag}"
    )

    assert response.status_code == 200


def test_the_body_is_checked_before_the_version(editor_client, draft_claim):
    response = editor_client.patch(
        f"/api/v1/claims/{draft_claim.pk}/", {"label": ""}, format="json", HTTP_IF_MATCH='"v999"'
    )

    assert response.status_code == 400


def test_an_update_returns_the_new_etag(editor_client, draft_claim):
    url = f"/api/v1/claims/{draft_claim.pk}/"

    response = editor_client.patch(url, {"label": "new"}, format="json", HTTP_IF_MATCH='"v1"')

    assert response.status_code == 200
    assert response["ETag"] == '"v2"'
    assert (
        editor_client.patch(
            url, {"label": "again"}, format="json", HTTP_IF_MATCH='"v1"'
        ).status_code
        == 412
    )


# Concurrent writers, on a real database ---------------------------------------------------------


def _concurrently(requests: list, *, hold_lock_for: float, monkeypatch) -> list[int]:
    """Send the requests from threads with their own connections, all at once; the
    first to lock the record holds the lock a while, so that the others arrive
    while it is held. Returns the status codes."""
    lock_for_write = views.ResourceViewSet.lock_for_write
    claim_lock = claim_services.claim_lock
    first = threading.Lock()

    def hold_if_first() -> None:
        if first.acquire(blocking=False):  # only the first holder waits
            threading.Event().wait(hold_lock_for)

    def slow_lock(self, visible):
        locked = lock_for_write(self, visible)
        hold_if_first()
        return locked

    def slow_claim_lock(**kwargs):
        # Claims are locked by their write services' guard (claims.services.editing).
        locked = claim_lock(**kwargs)
        hold_if_first()
        return locked

    monkeypatch.setattr(views.ResourceViewSet, "lock_for_write", slow_lock)
    monkeypatch.setattr(claim_services, "claim_lock", slow_claim_lock)
    start = threading.Barrier(len(requests))
    statuses: list[int | None] = [None] * len(requests)

    def run(index, send):
        try:
            start.wait()
            statuses[index] = send().status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, send)) for i, send in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return statuses


@pytest.mark.django_db(transaction=True)
def test_of_concurrent_writers_holding_the_same_etag_exactly_one_wins(
    editor, reviewer, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks and one writer at a time; run on PostgreSQL.")
    claim = ClaimFactory(label="original")
    etag, url = f'"v{claim.version}"', f"/api/v1/claims/{claim.pk}/"
    writers = [token_client(user) for user in (editor, reviewer, editor, reviewer)]

    def writer(client, label):
        return lambda: client.patch(url, {"label": label}, format="json", HTTP_IF_MATCH=etag)

    statuses = _concurrently(
        [writer(client, f"label {n}") for n, client in enumerate(writers)],
        hold_lock_for=0.5,
        monkeypatch=monkeypatch,
    )

    assert sorted(statuses) == [200, 412, 412, 412]
    claim.refresh_from_db()
    assert claim.label == f"label {statuses.index(200)}"
    assert claim.version == 2
    assert claim.history.filter(label__startswith="label").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_row_lock_also_guards_records_without_a_version_column(editor, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks and one writer at a time; run on PostgreSQL.")
    outlet = OutletFactory(reliability_note="")
    client, url = token_client(editor), f"/api/v1/outlets/{outlet.pk}/"
    etag = client.get(url)["ETag"]

    def writer(note):
        return lambda: client.patch(
            url, {"reliability_note": note}, format="json", HTTP_IF_MATCH=etag
        )

    statuses = _concurrently([writer("a"), writer("b")], hold_lock_for=0.5, monkeypatch=monkeypatch)

    assert sorted(statuses) == [200, 412]
    outlet.refresh_from_db()
    assert outlet.reliability_note == "ab"[statuses.index(200)]
    assert outlet.history.count() == 2  # created, then the one change
