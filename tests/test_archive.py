"""export_archive / import_archive: a lossless round trip into a freshly migrated database."""

import functools
import gzip
import importlib
import io
import re

import orjson
import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.core.management.color import no_style
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.http import QueryDict
from rest_framework.authtoken.models import Token

from claims import archive
from claims.models import Claim, ExternalReview, Rating, RatingMapping, Tag
from claims.roles import setup_roles
from claims.services import claim_transition, verdict_record
from claims.services.links import claim_link_set
from claims.suggestions.services import suggestion_dismiss, suggestions_refresh
from factcheck.history import acting_user
from fixtures import build_seed
from sources.models import Source
from tests.factories import ClaimFactory
from tests.helpers import Terminal

pytestmark = pytest.mark.django_db

State = Claim.ReviewState
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's


@pytest.fixture
def newsroom(editor, reviewer, second_reviewer):
    """The seed, then work through the services: history rows in every table, with users."""
    call_command("loaddata", build_seed.SEED_JSON, verbosity=0)
    claim = Claim.objects.get(label="no casualties")
    verdict_record(
        claim=claim,
        rating=Rating.objects.get(slug="mostly-false"),
        rationale="One base reported injuries after all.",
        evidence=claim.evidence.all(),
        by=editor,
    )
    claim_transition(claim=claim, to=State.PUBLISHED, by=reviewer)
    claim_transition(claim=claim, to=State.RETRACTED, by=reviewer, reason="Wrong base.")
    claim_transition(claim=claim, to=State.IN_RESEARCH, by=second_reviewer)
    with acting_user(editor):
        Claim.objects.get(pk=claim.pk).tags.add(Tag.objects.order_by("pk").last())
        source = Source.objects.with_text().order_by("pk").first()
        source.text += "\n\nCorrection: an earlier version misnamed the base."
        source.save()
        for record in (
            source.outlet,
            claim.speaker,
            Tag.objects.order_by("pk").first(),
            claim.appearances.first(),
            claim.evidence.first(),
        ):
            if hasattr(record, "note"):
                record.note += " Checked again."
            record.save()
        # Another organisation's review of the claim, and the map of their ratings.
        ExternalReview.objects.create(
            claim=claim,
            publisher=source.outlet,
            url="https://factcheck.example/reviews/1",
            textual_rating="Faux",
            rating=Rating.objects.get(slug="false"),
            language="fr",
        )
        RatingMapping.objects.order_by("pk").first().save()
    # An editor's decision on a pair of claims.
    claim_link_set(
        claim=claim,
        other=Claim.objects.exclude(pk=claim.pk).order_by("pk").first(),
        kind="related",
        by=editor,
    )
    # The source's claim suggestions, one dismissed.
    suggestions_refresh(source=source)
    suggestion_dismiss(suggestion=source.suggestions.order_by("pk").first(), by=editor)
    with acting_user(reviewer):
        rating = Rating.objects.get(slug="unsupported")
        rating.description += " Revisited."
        rating.save()
    editor.user_permissions.add(
        Permission.objects.get(content_type__app_label="claims", codename="change_rating")
    )
    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Claim),
        object_id=str(claim.pk),
        object_repr=claim.label,
        action_flag=CHANGE,
        change_message="Changed text.",
    )
    Token.objects.create(user=editor)
    return claim


def export(path) -> bytes:
    call_command("export_archive", output=str(path), verbosity=0)
    return path.read_bytes()


def restore(path):
    call_command("import_archive", str(path), verbosity=0)


def snapshot() -> dict[str, list[dict]]:
    """Every archived row, as the database returns it."""
    return {
        label: list(apps.get_model(label)._base_manager.order_by("pk").values())
        for label in archive.MODELS
    }


@functools.cache
def migrated_apps():
    # The models as migrations see them: saving through them fires none of the
    # project's receivers, just as when migrate itself runs.
    return MigrationLoader(connection).project_state().apps


def make_fresh_database():
    """Leave the database as a new one after migrate (then setup_roles): the default
    rating scale and the role groups, no users, no history, id sequences from the start."""
    models = [apps.get_model(label) for label in ("authtoken.token", *reversed(archive.MODELS))]
    sequences = [
        {"table": model._meta.db_table, "column": model._meta.pk.column}
        for model in models
        if model._meta.pk.get_internal_type().endswith("AutoField")
    ]
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
        for sql in connection.ops.sequence_reset_by_name_sql(no_style(), sequences):
            cursor.execute(sql)
    seed_scale = importlib.import_module("claims.migrations.0002_default_rating_scale")
    seed_scale.add_default_scale(migrated_apps(), None)
    setup_roles()
    assert not get_user_model().objects.exists()
    assert Rating.objects.count() == len(seed_scale.DEFAULT_SCALE)
    assert not Claim.history.exists()


def archive_lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


@pytest.fixture
def restored(newsroom, tmp_path):
    """The newsroom archived, the database made fresh, the archive imported."""
    before = snapshot()
    data = export(tmp_path / "before.jsonl")
    make_fresh_database()
    restore(tmp_path / "before.jsonl")
    return before, data


# The round trip ---------------------------------------------------------------------------


def test_a_restored_database_exports_byte_for_byte_the_archive_it_came_from(restored, tmp_path):
    _, data = restored

    assert export(tmp_path / "after.jsonl") == data


def claim_files() -> dict[str, bytes]:
    """Every claim export format (but the PDF, whose bytes carry a creation time)."""
    from claims.exports import FORMATS
    from claims.read.selection import Newsroom, select_claims
    from factcheck.api.links import Links

    claims = select_claims(QueryDict(), user=Newsroom()).claims
    return {
        name: b"".join(FORMATS[name].chunks(claims, public=False, links=Links()))
        for name in ("csv", "jsonl", "claimreview", "annotations")
    }


def test_a_restored_database_gives_byte_identical_claim_exports(newsroom, tmp_path):
    before = claim_files()
    export(tmp_path / "before.jsonl")
    make_fresh_database()
    restore(tmp_path / "before.jsonl")

    assert claim_files() == before
    assert all(before.values())


def test_a_restored_database_holds_every_row_with_its_id_and_values(restored):
    before, _ = restored

    assert snapshot() == before
    assert all(before.values())  # every archived table took part


def test_a_restored_claim_keeps_its_history_with_the_acting_users(newsroom, tmp_path):
    history_before = list(newsroom.history.order_by("history_id").values())
    export(tmp_path / "archive.jsonl")
    make_fresh_database()

    restore(tmp_path / "archive.jsonl")

    history = Claim.objects.get(pk=newsroom.pk).history.order_by("history_id")
    assert list(history.values()) == history_before
    assert [(row.history_user.username, row.history_change_reason) for row in history[1:]] == [
        ("erin-editor", "New verdict recorded: back to review"),
        ("rita-reviewer", "In review → Published"),
        ("rita-reviewer", "Wrong base."),
        ("sam-reviewer", "Retracted → In research"),
        ("erin-editor", None),  # the tag added
    ]


def test_restored_source_texts_are_the_stored_texts_byte_for_byte(newsroom, tmp_path):
    texts = {source.pk: source.text.encode() for source in Source.objects.all()}
    export(tmp_path / "archive.jsonl")
    make_fresh_database()

    restore(tmp_path / "archive.jsonl")

    assert {source.pk: source.text.encode() for source in Source.objects.all()} == texts
    seed_text = (build_seed.SEED_TEXTS_DIR / "002_b8250ef491ce8d10.txt").read_bytes()
    assert seed_text in texts.values()


def test_timestamps_keep_their_microseconds(restored):
    before, data = restored

    assert re.search(rb'"recorded_at":"[0-9-]+T[0-9:]+\.[0-9]{6}\+00:00"', data)
    assert [row["recorded_at"] for row in before["claims.verdictentry"]] == list(
        apps.get_model("claims.verdictentry")
        .objects.order_by("pk")
        .values_list("recorded_at", flat=True)
    )


def test_restoring_writes_no_audit_history_of_its_own(restored):
    before, _ = restored

    for label in archive.MODELS:
        if label.split(".")[1].startswith("historical"):
            assert apps.get_model(label).objects.count() == len(before[label])


def test_new_records_get_fresh_ids_after_a_restore(restored, editor):
    before, _ = restored

    claim = ClaimFactory()

    assert claim.pk > max(row["id"] for row in before["claims.claim"])
    assert claim.history.get().history_id > max(
        row["history_id"] for row in before["claims.historicalclaim"]
    )


def test_people_sign_in_with_their_own_password_after_a_restore(restored):
    assert get_user_model().objects.get(username="erin-editor").check_password(PASSWORD)


def test_the_migrated_rating_scale_and_role_groups_are_replaced_not_duplicated(newsroom, tmp_path):
    ratings = list(Rating.objects.order_by("pk").values_list("pk", "slug", "description"))
    groups = list(Group.objects.order_by("pk").values_list("pk", "name"))
    export(tmp_path / "archive.jsonl")
    make_fresh_database()
    # The newsroom revised a rating after migrate made the scale.
    assert list(Rating.objects.order_by("pk").values_list("pk", "slug", "description")) != ratings

    restore(tmp_path / "archive.jsonl")

    assert list(Rating.objects.order_by("pk").values_list("pk", "slug", "description")) == ratings
    assert list(Group.objects.order_by("pk").values_list("pk", "name")) == groups
    reviewer = get_user_model().objects.get(username="rita-reviewer")
    assert reviewer.has_perm("claims.publish_claim")
    assert reviewer.groups.get().name == "Reviewer"
    assert get_user_model().objects.get(username="erin-editor").has_perm("claims.change_rating")


def test_permissions_and_content_types_are_named_not_numbered(newsroom, tmp_path):
    rows = [orjson.loads(line) for line in archive_lines(export(tmp_path / "archive.jsonl"))[1:]]

    log = next(row for row in rows if row["model"] == "admin.logentry")
    granted = next(row for row in rows if row["model"] == "auth.user_user_permissions")
    assert log["fields"]["content_type"] == ["claims", "claim"]
    assert granted["fields"]["permission"] == ["change_rating", "claims", "rating"]


# What the archive holds -------------------------------------------------------------------


def test_api_tokens_are_left_out_of_the_archive(newsroom, tmp_path):
    data = export(tmp_path / "archive.jsonl")

    assert Token.objects.get().key.encode() not in data
    assert b"authtoken" not in data


def test_a_token_issued_in_the_admin_leaves_no_key_in_the_archive(newsroom, tmp_path, client):
    admin_user = get_user_model().objects.create_superuser("ada-admin", password="x" * 20)
    researcher = get_user_model().objects.create_user("rex-researcher")
    client.force_login(admin_user)
    client.post("/admin/claims/issuedtoken/add/", {"user": researcher.pk})
    key = Token.objects.get(user=researcher).key

    data = export(tmp_path / "archive.jsonl")

    assert key.encode() not in data
    assert key[:20].encode() not in data
    assert b"authtoken" not in data
    rows = [orjson.loads(line) for line in archive_lines(data)[1:]]
    events = [row["fields"] for row in rows if row["model"] == "claims.tokenevent"]
    issued = next(event for event in events if event["username"] == "rex-researcher")
    assert issued["key_prefix"] == key[:8]
    assert issued["actor_name"] == "ada-admin"
    logged = [row["fields"] for row in rows if row["model"] == "admin.logentry"]
    assert f"Token for rex-researcher ({key[:8]}…)" not in str(logged)


def test_every_model_is_archived_or_deliberately_left_out():
    labels = {model._meta.label_lower for model in apps.get_models(include_auto_created=True)}

    assert labels == set(archive.MODELS) | set(archive.LEFT_OUT)
    assert not set(archive.MODELS) & set(archive.LEFT_OUT)


def test_the_header_names_the_format_and_counts_each_table(newsroom, tmp_path):
    lines = archive_lines(export(tmp_path / "archive.jsonl"))
    header = orjson.loads(lines[0])

    assert (header["format"], header["version"]) == ("factcheck-archive", 1)
    assert header["migrations"]["claims"].startswith("00")
    assert [entry["model"] for entry in header["models"]] == list(archive.MODELS)
    assert sum(entry["count"] for entry in header["models"]) == len(lines) - 1
    claims = [orjson.loads(line) for line in lines if b'"model":"claims.claim","pk"' in line]
    assert [row["pk"] for row in claims] == sorted(Claim.objects.values_list("pk", flat=True))


def test_gzip_archives_are_the_same_bytes_whenever_and_wherever_written(newsroom, tmp_path):
    first = export(tmp_path / "one.jsonl.gz")
    second = export(tmp_path / "two.jsonl.gz")

    assert first == second
    assert first[4:8] == b"\0\0\0\0"  # the gzip header's modification time
    assert gzip.decompress(first) == export(tmp_path / "plain.jsonl")


def test_the_archive_can_go_to_standard_output(newsroom, tmp_path):
    out = io.TextIOWrapper(io.BytesIO())

    call_command("export_archive", output="-", stdout=out, verbosity=0)

    assert out.buffer.getvalue() == export(tmp_path / "archive.jsonl")


def test_both_commands_report_their_progress_per_table_and_sum_up(newsroom, tmp_path):
    err: io.StringIO
    out, err = io.StringIO(), Terminal()
    call_command("export_archive", output=str(tmp_path / "a.jsonl"), stdout=out, stderr=err)
    claims = Claim.objects.count()
    assert f"\rclaims.claim [{'#' * 30}] {claims}/{claims} (100%)\n" in err.getvalue()
    assert out.getvalue().startswith("Archived ")
    assert "password hashes" in out.getvalue()
    make_fresh_database()

    out, err = io.StringIO(), io.StringIO()
    call_command("import_archive", str(tmp_path / "a.jsonl"), verbosity=2, stdout=out, stderr=err)

    assert "claims.historicalclaim: " in err.getvalue()
    assert "\r" not in err.getvalue()
    assert out.getvalue().startswith("Restored ")


# Refusals, each leaving the database as it was ---------------------------------------------


def test_import_refuses_a_database_that_already_holds_data(newsroom, tmp_path):
    export(tmp_path / "archive.jsonl")
    before = snapshot()

    with pytest.raises(CommandError, match=r"already holds data \(3 auth\.user"):
        restore(tmp_path / "archive.jsonl")

    assert snapshot() == before


@pytest.fixture
def fresh_with_archive(newsroom, tmp_path):
    """A fresh database, an archive of the newsroom to damage, and the fresh state."""
    data = export(tmp_path / "archive.jsonl")
    make_fresh_database()
    return data, snapshot()


def write(tmp_path, data: bytes):
    path = tmp_path / "damaged"
    path.write_bytes(data)
    return path


def test_import_refuses_a_corrupt_line_and_names_it(fresh_with_archive, tmp_path):
    data, fresh = fresh_with_archive
    lines = archive_lines(data)
    # The last line: the rows of every table before it are in the database by then.
    lines[-1] = lines[-1][:40] + b"\n"

    with pytest.raises(CommandError, match=rf"^Line {len(lines)}: not a JSON object"):
        restore(write(tmp_path, b"".join(lines)))

    assert snapshot() == fresh


def test_import_refuses_an_unknown_format_version(fresh_with_archive, tmp_path):
    data, fresh = fresh_with_archive
    lines = archive_lines(data)
    lines[0] = lines[0].replace(b'"version":1', b'"version":2')

    with pytest.raises(CommandError, match="Line 1: archive format version 2"):
        restore(write(tmp_path, b"".join(lines)))

    assert snapshot() == fresh


def test_import_refuses_an_archive_from_a_newer_schema(fresh_with_archive, tmp_path):
    data, fresh = fresh_with_archive
    lines = archive_lines(data)
    header = orjson.loads(lines[0])
    header["migrations"]["claims"] = "0999_from_the_future"
    lines[0] = orjson.dumps(header) + b"\n"

    with pytest.raises(CommandError, match=r"claims\.0999_from_the_future, which this database"):
        restore(write(tmp_path, b"".join(lines)))

    assert snapshot() == fresh


def test_import_refuses_a_file_that_is_not_an_archive(fresh_with_archive, tmp_path):
    _, fresh = fresh_with_archive

    with pytest.raises(CommandError, match="Line 1: not a factcheck-archive file"):
        restore(write(tmp_path, b'{"model": "claims.claim"}\n'))

    assert snapshot() == fresh


def test_import_refuses_a_truncated_gzip_file(fresh_with_archive, tmp_path):
    data, fresh = fresh_with_archive
    compressed = gzip.compress(data, mtime=0)

    with pytest.raises(CommandError, match=r"^Line \d+: .* it is truncated or damaged"):
        restore(write(tmp_path, compressed[: len(compressed) * 3 // 4]))

    assert snapshot() == fresh


def test_import_refuses_a_file_cut_between_two_lines(fresh_with_archive, tmp_path):
    data, fresh = fresh_with_archive
    lines = archive_lines(data)

    with pytest.raises(
        CommandError, match=rf"^Line {len(lines) - 2}: the file ends here, 3 rows short"
    ):
        restore(write(tmp_path, b"".join(lines[:-3])))

    assert snapshot() == fresh


def test_import_refuses_an_archive_missing_rows_others_refer_to(fresh_with_archive, tmp_path):
    data, fresh = fresh_with_archive
    lines = archive_lines(data)
    header = orjson.loads(lines[0])
    next(entry for entry in header["models"] if entry["model"] == "sources.outlet")["count"] -= 1
    lines[0] = orjson.dumps(header) + b"\n"
    source = orjson.loads(next(line for line in lines if b'"model":"sources.source",' in line))
    lines.remove(
        next(
            line
            for line in lines
            if line.endswith(b'"sources.outlet","pk":%d}\n' % source["fields"]["outlet"])
        )
    )

    with pytest.raises(CommandError, match="refers to rows it does not hold"):
        restore(write(tmp_path, b"".join(lines)))

    assert snapshot() == fresh


def test_import_refuses_rows_the_database_refuses_and_names_their_lines(
    fresh_with_archive, tmp_path
):
    data, fresh = fresh_with_archive
    lines = archive_lines(data)
    header = orjson.loads(lines[0])
    next(entry for entry in header["models"] if entry["model"] == "claims.claim")["count"] += 1
    lines[0] = orjson.dumps(header) + b"\n"
    first_claim = next(i for i, line in enumerate(lines) if b'"claims.claim","pk":' in line)
    lines.insert(first_claim, lines[first_claim])  # the same id twice

    with pytest.raises(
        CommandError, match=r"^Lines \d+–\d+: the database refused one of these claims\.claim"
    ):
        restore(write(tmp_path, b"".join(lines)))

    assert snapshot() == fresh
