import pytest

from tests.factories import StaffUserFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The default hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff_user(db):
    return StaffUserFactory(username="editor")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def roles(db):
    from claims.roles import setup_roles

    setup_roles()


def _member_of(group_name: str, username: str):
    from django.contrib.auth.models import Group

    user = StaffUserFactory(username=username, is_superuser=False)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(roles):
    return _member_of("Editor", "erin-editor")


@pytest.fixture
def reviewer(roles):
    return _member_of("Reviewer", "rita-reviewer")


@pytest.fixture
def second_reviewer(roles):
    return _member_of("Reviewer", "sam-reviewer")


@pytest.fixture
def researcher(roles):
    return _member_of("Researcher", "rob-researcher")
