import pytest

from tests.factories import StaffUserFactory


@pytest.fixture
def staff_user(db):
    return StaffUserFactory(username="editor")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client
