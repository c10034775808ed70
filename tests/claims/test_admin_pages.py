"""Every admin page of every registered model renders, in a bounded number of queries;
claims keep a history of their edits."""

from collections.abc import Callable

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import (
    Appearance,
    Claim,
    ClaimLink,
    Evidence,
    ExternalReview,
    IssuedToken,
    Rating,
    RatingMapping,
    Speaker,
    Tag,
    TokenEvent,
    VerdictEntry,
)
from claims.services.tokens import Via, token_issue
from jobs.models import Job
from sources.models import Outlet, Source
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    EvidenceFactory,
    GroupFactory,
    OutletFactory,
    RatingFactory,
    SourceFactory,
    SpeakerFactory,
    TagFactory,
    UserFactory,
    VerdictEntryFactory,
)
from tests.helpers import admin_url, change_url_of, claim_form_data

# How to make one row of each registered model. A model registered without an
# entry here fails the page tests below, on purpose.
MAKERS: dict[type, Callable[[], Model]] = {
    Outlet: OutletFactory,
    Source: SourceFactory,
    Speaker: SpeakerFactory,
    Tag: TagFactory,
    Rating: RatingFactory,
    Claim: ClaimFactory,
    Appearance: AppearanceFactory,
    Evidence: EvidenceFactory,
    User: UserFactory,
    Group: GroupFactory,
    VerdictEntry: VerdictEntryFactory,
    IssuedToken: lambda: IssuedToken.objects.create(user=UserFactory()),
    # Written by the token service, read only in the admin.
    TokenEvent: lambda: TokenEvent.objects.get(
        key_prefix=token_issue(user=UserFactory(), actor=None, via=Via.COMMAND)[0].key[:8]
    ),
    # django-axes' records of sign-ins, read only in the admin.
    AccessAttempt: lambda: AccessAttempt.objects.create(
        username="someone",
        ip_address="203.0.113.7",
        user_agent="a browser",
        http_accept="*/*",
        path_info="/admin/login/",
        get_data="",
        post_data="",
        failures_since_start=1,
    ),
    AccessLog: lambda: AccessLog.objects.create(
        username="someone",
        ip_address="203.0.113.7",
        user_agent="a browser",
        http_accept="*/*",
        path_info="/admin/login/",
    ),
    AccessFailureLog: lambda: AccessFailureLog.objects.create(
        username="someone",
        ip_address="203.0.113.7",
        user_agent="a browser",
        http_accept="*/*",
        path_info="/admin/login/",
    ),
    ExternalReview: lambda: ExternalReview.objects.create(
        claim=ClaimFactory(),
        publisher=OutletFactory(),
        url=f"https://factcheck.example/{Claim.objects.count()}",
        textual_rating="Pants on Fire",
    ),
    RatingMapping: lambda: RatingMapping.objects.create(
        textual_rating=f"Label {RatingMapping.objects.count()}",
        language="xx",
        rating=Rating.objects.get(slug="false"),
    ),
    # Links are made by the matcher and by editors' decisions, not added in the admin.
    ClaimLink: lambda: ClaimLink.objects.create(claim=ClaimFactory(), other=ClaimFactory()),
    Job: lambda: Job.objects.create(
        kind="report.pdf", label="PDF report of 30 claims", task_path="tests.jobs.tasks.count"
    ),
}
REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
OUR_MODELS = [model for model in REGISTERED if model._meta.app_label in {"claims", "sources"}]


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_changelist_renders_for_staff(staff_client, model):
    MAKERS[model]()

    response = staff_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_add_page_renders_for_staff(staff_client, model):
    response = staff_client.get(admin_url(model, "add"))

    # Verdict entries are recorded from the claim's page, by the service; jobs are
    # started by what they make (a report's action).
    # Token events and sign-in records are written by what they record.
    no_add_page = (
        *(VerdictEntry, Job, ExternalReview, ClaimLink, TokenEvent),
        *(AccessAttempt, AccessLog, AccessFailureLog),
    )
    assert response.status_code == (403 if model in no_add_page else 200)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_change_page_renders_for_staff(staff_client, staff_user, model):
    obj = MAKERS[model]()

    response = staff_client.get(change_url_of(obj, staff_user))

    assert response.status_code == 200
    assert response.context["original"] == obj


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda model: model._meta.label)
def test_every_history_page_renders_for_staff(staff_client, model):
    obj = MAKERS[model]()

    response = staff_client.get(admin_url(model, "history", obj.pk))

    assert response.status_code == 200


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda model: model._meta.label)
def test_changelist_queries_do_not_grow_with_the_rows(staff_client, model):
    def changelist_queries():
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(admin_url(model, "changelist"))
        assert response.status_code == 200
        return len(queries)

    for _ in range(3):
        MAKERS[model]()
    with_three = changelist_queries()
    for _ in range(27):
        MAKERS[model]()

    assert changelist_queries() == with_three


def test_claim_history_lists_each_edit_with_its_editor(staff_client, staff_user):
    claim = ClaimFactory(label="imminent attack")
    data = claim_form_data(claim, label="imminent attacks")
    staff_client.post(admin_url(Claim, "change", claim.pk), data)

    response = staff_client.get(admin_url(Claim, "history", claim.pk))

    assert response.status_code == 200
    assert "imminent attacks" in response.content.decode()
    assert claim.history.latest().history_user == staff_user


def test_a_past_version_of_a_claim_can_be_viewed(staff_client):
    claim = ClaimFactory()
    record = claim.history.latest()

    response = staff_client.get(
        reverse("admin:claims_claim_simple_history", args=[claim.pk, record.history_id])
    )

    assert response.status_code == 200
