"""Who may do what, route by route: every route × method × role.

Anyone may read (claims only while public); researchers may not write; editors
write but neither publish nor retract nor delete claims; reviewers also retract
and publish. Drafts and claims in research or review do not exist for the public.
"""

import pytest
from django.db import transaction

from claims.models import Claim
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    EvidenceFactory,
    OutletFactory,
    SourceFactory,
    SpeakerFactory,
    TagFactory,
)
from tests.helpers import token_client

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "researcher", "editor", "reviewer"]
READ = {"anonymous": 200, "researcher": 200, "editor": 200, "reviewer": 200}
CREATE = {"anonymous": 401, "researcher": 403, "editor": 201, "reviewer": 201}
CHANGE = {"anonymous": 401, "researcher": 403, "editor": 200, "reviewer": 200}
DELETE = {"anonymous": 401, "researcher": 403, "editor": 204, "reviewer": 204}
SUPERUSER_ONLY = {"anonymous": 401, "researcher": 403, "editor": 403, "reviewer": 403}
REVIEWER_ONLY = {"anonymous": 401, "researcher": 403, "editor": 403, "reviewer": 200}
NO_SUCH_METHOD = dict.fromkeys(ROLES, 405)


@pytest.fixture
def world(published_claim):
    """A public claim with one of everything that hangs off it, and catalogue records."""
    source = SourceFactory()
    return {
        "claim": published_claim,
        "appearance": AppearanceFactory(claim=published_claim, exact="Officials disagreed"),
        # Not the evidence the published verdict rests on, so it may be deleted.
        "evidence": EvidenceFactory(claim=published_claim),
        "entry": published_claim.verdict_entries.get(),
        "history": published_claim.history.latest(),
        "source": source,
        "outlet": OutletFactory(),
        "speaker": SpeakerFactory(),
        "tag": TagFactory(),
        "new_source": SourceFactory(),
    }


def body_for(route: str, method: str, w: dict) -> dict | None:
    bodies: dict[str, dict] = {
        "claims": {"label": "new claim", "text": "A new statement."},
        "claim": {"label": "relabelled", "text": "A statement."},
        "transition": {"to": "retracted", "reason": "Misattributed."},
        "verdicts": {
            "rating": "false",
            "rationale": "Contradicted.",
            "evidence": [w["evidence"].pk],
        },
        "appearances": {"source": w["new_source"].pk, "exact": "no casualties"},
        "appearance": {"source": w["appearance"].source_id, "exact": "no casualties"},
        "evidence": {"source": w["new_source"].pk, "stance": "supports"},
        "evidence-item": {"source": w["source"].pk, "stance": "context"},
        "sources": {"title": "New", "outlet": w["outlet"].pk},
        "source": {"title": "Renamed", "outlet": w["outlet"].pk},
        "outlets": {"name": "New outlet"},
        "outlet": {"name": "Renamed outlet"},
        "speakers": {"name": "New speaker"},
        "speaker": {"name": "Renamed speaker"},
        "tags": {"name": "New tag", "slug": "new-tag"},
        "tag": {"name": "Renamed tag", "slug": "renamed-tag"},
    }
    return None if method in ("get", "delete") else bodies.get(route, {})


def url_for(route: str, w: dict) -> str:
    c = f"/api/v1/claims/{w['claim'].pk}"
    return {
        "claims": "/api/v1/claims/",
        "claim": f"{c}/",
        "transition": f"{c}/transition/",
        "verdicts": f"{c}/verdicts/",
        "verdict": f"{c}/verdicts/{w['entry'].pk}/",
        "history": f"{c}/history/",
        "history-entry": f"{c}/history/{w['history'].history_id}/",
        "appearances": f"{c}/appearances/",
        "appearance": f"{c}/appearances/{w['appearance'].pk}/",
        "evidence": f"{c}/evidence/",
        "evidence-item": f"{c}/evidence/{w['evidence'].pk}/",
        "sources": "/api/v1/sources/",
        "source": f"/api/v1/sources/{w['source'].pk}/",
        "outlets": "/api/v1/outlets/",
        "outlet": f"/api/v1/outlets/{w['outlet'].pk}/",
        "speakers": "/api/v1/speakers/",
        "speaker": f"/api/v1/speakers/{w['speaker'].pk}/",
        "tags": "/api/v1/tags/",
        "tag": f"/api/v1/tags/{w['tag'].pk}/",
        "ratings": "/api/v1/ratings/",
        "rating": "/api/v1/ratings/1/",
    }[route]


def catalogue(collection: str, item: str) -> list:
    """A catalogue resource: editors create and change; only superusers delete."""
    return [
        (collection, "get", READ),
        (collection, "post", CREATE),
        (item, "get", READ),
        (item, "put", CHANGE),
        (item, "patch", CHANGE),
        (item, "delete", SUPERUSER_ONLY),
    ]


MATRIX = [
    ("claims", "get", READ),
    ("claims", "post", CREATE),
    ("claim", "get", READ),
    ("claim", "put", CHANGE),
    ("claim", "patch", CHANGE),
    ("claim", "delete", SUPERUSER_ONLY),
    ("transition", "post", REVIEWER_ONLY),
    ("verdicts", "get", READ),
    ("verdicts", "post", CREATE),
    ("verdict", "get", READ),
    ("verdict", "put", NO_SUCH_METHOD),
    ("verdict", "delete", NO_SUCH_METHOD),
    ("history", "get", READ),
    ("history", "post", NO_SUCH_METHOD),
    ("history-entry", "get", READ),
    ("appearances", "get", READ),
    ("appearances", "post", CREATE),
    ("appearance", "get", READ),
    ("appearance", "put", CHANGE),
    ("appearance", "patch", CHANGE),
    ("appearance", "delete", DELETE),
    ("evidence", "get", READ),
    ("evidence", "post", CREATE),
    ("evidence-item", "get", READ),
    ("evidence-item", "put", CHANGE),
    ("evidence-item", "patch", CHANGE),
    ("evidence-item", "delete", DELETE),
    *catalogue("sources", "source"),
    *catalogue("outlets", "outlet"),
    *catalogue("speakers", "speaker"),
    *catalogue("tags", "tag"),
    ("ratings", "get", READ),
    ("ratings", "post", NO_SUCH_METHOD),
    ("rating", "get", READ),
    ("rating", "patch", NO_SUCH_METHOD),
    ("rating", "delete", NO_SUCH_METHOD),
]


@pytest.fixture
def clients(request):
    """A client per role: anonymous, or signed in with the role's token."""
    return {
        role: request.getfixturevalue("anonymous")
        if role == "anonymous"
        else token_client(request.getfixturevalue(role))
        for role in ROLES
    }


def undone(client, method: str, url: str, body):
    """Send the request, then roll its effects back, so that every role meets the
    same records."""
    with transaction.atomic():
        response = getattr(client, method)(url, body, format="json", HTTP_IF_MATCH="*")
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize(("route", "method", "expected"), MATRIX)
def test_each_role_may_use_each_route_as_its_role_allows(
    route, method, expected, world, clients, subtests
):
    for role in ROLES:
        with subtests.test(role=role):
            response = undone(
                clients[role], method, url_for(route, world), body_for(route, method, world)
            )

            assert response.status_code == expected[role], response.content
            if response.status_code >= 400:
                assert set(response.json()) == {"status", "code", "message", "errors"}


def test_a_superuser_may_delete_a_claim(superuser_client):
    claim = ClaimFactory()

    response = superuser_client.delete(f"/api/v1/claims/{claim.pk}/", HTTP_IF_MATCH="*")

    assert response.status_code == 204
    assert not Claim.objects.filter(pk=claim.pk).exists()


def test_a_claim_with_a_verdict_timeline_cannot_be_deleted(superuser_client, published_claim):
    response = superuser_client.delete(f"/api/v1/claims/{published_claim.pk}/", HTTP_IF_MATCH="*")

    assert response.status_code == 409
    assert "refer to it" in response.json()["message"]


# Unpublished claims ---------------------------------------------------------------------------

CLAIM_ROUTES = [
    ("claim", "get"),
    ("claim", "put"),
    ("claim", "patch"),
    ("claim", "delete"),
    ("transition", "post"),
    ("verdicts", "get"),
    ("verdicts", "post"),
    ("verdict", "get"),
    ("history", "get"),
    ("history-entry", "get"),
    ("appearances", "get"),
    ("appearances", "post"),
    ("appearance", "get"),
    ("appearance", "patch"),
    ("appearance", "delete"),
    ("evidence", "get"),
    ("evidence", "post"),
    ("evidence-item", "get"),
    ("evidence-item", "patch"),
    ("evidence-item", "delete"),
]


@pytest.fixture(params=["draft", "in_research", "in_review"])
def hidden_world(request, claim_in_review, editor):
    """A claim the public may not see, with one of everything hanging off it."""
    claim = claim_in_review
    claim.refresh_from_db()
    if request.param != "in_review":
        claim.review_state = request.param
        claim.save()
    return {
        "claim": claim,
        "appearance": claim.appearances.get(),
        "evidence": EvidenceFactory(claim=claim),
        "entry": claim.verdict_entries.get(),
        "history": claim.history.latest(),
        "new_source": SourceFactory(),
        "source": SourceFactory(),
        "outlet": OutletFactory(),
        "speaker": SpeakerFactory(),
        "tag": TagFactory(),
    }


def test_an_unpublished_claim_does_not_exist_for_the_public(hidden_world, clients, subtests):
    for route, method in CLAIM_ROUTES:
        for role in ("anonymous", "researcher"):
            with subtests.test(route=route, method=method, role=role):
                url = url_for(route, hidden_world)
                body = body_for(route, method, hidden_world)

                response = undone(clients[role], method, url, body)

                # Reads are 404, as for a claim never made. Writes are refused before
                # the claim is looked up (401/403 for any id), or 404: neither tells
                # that it exists.
                allowed = {404} if method == "get" else {401, 403, 404}
                assert response.status_code in allowed
                assert hidden_world["claim"].label not in response.content.decode()


def test_the_newsroom_sees_unpublished_claims(hidden_world, clients, subtests):
    for route in (route for route, method in CLAIM_ROUTES if method == "get"):
        for role in ("editor", "reviewer"):
            with subtests.test(route=route, role=role):
                response = clients[role].get(url_for(route, hidden_world))

                assert response.status_code == 200


@pytest.mark.parametrize("role", ["anonymous", "researcher"])
def test_unpublished_claims_are_left_out_of_public_lists_and_searches(
    role, clients, published_claim, draft_claim, claim_in_review
):
    client = clients[role]
    hidden = {draft_claim.pk, claim_in_review.pk}

    for query in (
        "",
        "?q=casualties",
        "?review_state=draft",
        "?review_state=in_review",
        f"?speaker={draft_claim.speaker_id}",
        "?has_evidence=true",
    ):
        response = client.get(f"/api/v1/claims/{query}")
        assert response.status_code == 200
        ids = {claim["id"] for claim in response.json()["results"]}
        assert not ids & hidden, query
    assert draft_claim.label not in client.get("/api/v1/claims/?q=draft").content.decode()


def test_a_retracted_claim_stays_public_with_its_reason(anonymous, published_claim, reviewer):
    reviewer_client = token_client(reviewer)
    reviewer_client.post(
        f"/api/v1/claims/{published_claim.pk}/transition/",
        {"to": "retracted", "reason": "The quote was misattributed."},
        format="json",
    )

    response = anonymous.get(f"/api/v1/claims/{published_claim.pk}/")

    assert response.status_code == 200
    assert response.json()["review_state"] == "retracted"
    assert response.json()["retraction_reason"] == "The quote was misattributed."
