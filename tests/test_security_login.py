"""Sign-in lockout (django-axes): repeated wrong passwords lock a username at one address."""

import pytest
from django.core.management import call_command
from django.test import Client

from tests.factories import StaffUserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
ADMIN_LOGIN = "/admin/login/?next=/admin/"
API_LOGIN = "/api-auth/login/?next=/api/v1/"


@pytest.fixture
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return 3


@pytest.fixture
def staff():
    return StaffUserFactory(username="sam-staff")


def sign_in(path: str, username: str, password: str, address: str = "203.0.113.7"):
    return Client(REMOTE_ADDR=address).post(path, {"username": username, "password": password})


def signed_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def lock(path: str, username: str, limit: int, address: str = "203.0.113.7"):
    responses = [sign_in(path, username, "wrong", address) for _ in range(limit)]
    return responses[-1]


@pytest.mark.parametrize("path", [ADMIN_LOGIN, API_LOGIN])
def test_wrong_passwords_below_the_limit_leave_the_sign_in_open(path, staff, limit):
    lock(path, staff.username, limit - 1)

    assert signed_in(sign_in(path, staff.username, PASSWORD))


@pytest.mark.parametrize("path", [ADMIN_LOGIN, API_LOGIN])
def test_the_last_allowed_wrong_password_locks_the_sign_in_with_a_page_that_says_so(
    path, staff, limit
):
    response = lock(path, staff.username, limit)

    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    page = response.content.decode()
    assert "Sign-in locked" in page
    assert "Too many wrong passwords for <strong>sam-staff</strong>" in page
    assert "Try again in 15 minutes" in page
    assert "axes_reset_username" in page
    # In the admin's look.
    assert 'id="site-name"' in page


@pytest.mark.parametrize("path", [ADMIN_LOGIN, API_LOGIN])
def test_a_locked_sign_in_refuses_even_the_right_password(path, staff, limit):
    lock(path, staff.username, limit)

    response = sign_in(path, staff.username, PASSWORD)

    assert response.status_code == 429
    assert not signed_in(response)


def test_the_lock_holds_for_one_username_at_one_address(staff, limit):
    other = StaffUserFactory(username="olga-other")
    lock(ADMIN_LOGIN, staff.username, limit, address="203.0.113.7")

    assert signed_in(sign_in(ADMIN_LOGIN, other.username, PASSWORD, address="203.0.113.7"))
    assert signed_in(sign_in(ADMIN_LOGIN, staff.username, PASSWORD, address="198.51.100.2"))


def test_a_forwarded_for_header_does_not_change_the_address_unless_configured(staff, limit):
    """Without AXES_CLIENT_IP_HEADER, a client cannot pick a new address for each guess."""
    for number in range(limit):
        Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}").post(
            ADMIN_LOGIN, {"username": staff.username, "password": "wrong"}
        )

    response = sign_in(ADMIN_LOGIN, staff.username, PASSWORD)

    assert response.status_code == 429


@pytest.mark.parametrize(
    "command",
    [("axes_reset",), ("axes_reset_username", "sam-staff"), ("axes_reset_ip", "203.0.113.7")],
)
def test_an_administrator_unlocks_a_sign_in_with_a_command(command, staff, limit):
    lock(ADMIN_LOGIN, staff.username, limit)

    call_command(*command, verbosity=0)

    assert signed_in(sign_in(ADMIN_LOGIN, staff.username, PASSWORD))


def test_a_successful_sign_in_forgets_the_earlier_failures(staff, limit):
    lock(ADMIN_LOGIN, staff.username, limit - 1)
    assert signed_in(sign_in(ADMIN_LOGIN, staff.username, PASSWORD))

    lock(ADMIN_LOGIN, staff.username, limit - 1)

    assert signed_in(sign_in(ADMIN_LOGIN, staff.username, PASSWORD))


def test_the_lock_lasts_as_long_as_configured(staff, limit, settings):
    from datetime import timedelta

    from freezegun import freeze_time

    settings.AXES_COOLOFF_TIME = timedelta(minutes=2)
    with freeze_time("2026-12-03 10:00:00"):
        lock(ADMIN_LOGIN, staff.username, limit)
    with freeze_time("2026-12-03 10:01:00"):
        assert sign_in(ADMIN_LOGIN, staff.username, PASSWORD).status_code == 429
    with freeze_time("2026-12-03 10:04:00"):
        assert signed_in(sign_in(ADMIN_LOGIN, staff.username, PASSWORD))
