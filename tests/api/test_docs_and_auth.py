"""The interactive docs work offline; sessions serve the browsable API; an
admin issues and revokes tokens."""

import re

import pytest
from django.contrib.staticfiles import finders
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_swagger_ui_loads_every_asset_from_this_server(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    for asset in assets:
        assert not asset.startswith(("http:", "https:", "//")), asset
        if asset.startswith("/static/"):
            assert finders.find(asset.removeprefix("/static/")), asset
    # Swagger UI's start-up script is a file of its own (no inline script, for the CSP).
    script = client.get("/api/docs/?script=")
    assert '<script src="/api/docs/?script="></script>' in html
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


def test_the_schema_can_be_read_as_json(client):
    response = client.get("/api/schema/?format=json")

    assert response.status_code == 200
    assert "/api/v1/claims/{id}/transition/" in response.json()["paths"]


def test_a_signed_in_editor_browses_the_api_in_html(client, editor):
    client.force_login(editor)

    response = client.get("/api/v1/claims/", HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert b"Claim" in response.content


def test_a_session_write_needs_the_csrf_token(editor):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)

    response = client.post("/api/v1/tags/", {"name": "a", "slug": "a"}, format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["message"]


def test_an_admin_issues_a_token_that_the_api_accepts(staff_client, researcher):
    page = staff_client.post("/admin/claims/issuedtoken/add/", {"user": researcher.pk})
    token = Token.objects.get(user=researcher)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    assert page.status_code == 200
    assert token.key in page.content.decode()  # shown once, to hand over
    assert api.get("/api/v1/claims/").status_code == 200


def test_an_admin_revokes_a_token_and_the_api_refuses_it(staff_client):
    token = Token.objects.create(user=UserFactory())
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    staff_client.post(f"/admin/claims/issuedtoken/{token.user_id}/delete/", {"post": "yes"})

    assert not Token.objects.filter(key=token.key).exists()
    assert api.get("/api/v1/claims/").status_code == 401
