import pytest
from django.core.exceptions import ValidationError

from claims.models import Appearance, Evidence
from claims.services import appearance_create, evidence_create
from tests.factories import ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "Iranian state TV said the operation was called “Martyr Soleimani”.\u00a0"
    "A Pentagon statement — issued late — counted the missiles. The Pentagon said so."
)


@pytest.fixture
def claim():
    return ClaimFactory()


@pytest.fixture
def article():
    return SourceFactory(text=TEXT)


@pytest.fixture
def broadcast():
    return SourceFactory(text="", kind="broadcast", url="")


def test_an_appearance_is_created_from_the_exact_quote(claim, article):
    appearance = appearance_create(claim=claim, source=article, exact="“Martyr Soleimani”")

    appearance.refresh_from_db()
    assert TEXT[appearance.start : appearance.end] == "“Martyr Soleimani”"
    assert appearance.prefix == TEXT[appearance.start - 32 : appearance.start]
    assert appearance.suffix == TEXT[appearance.end : appearance.end + 32]
    assert appearance.is_first


def test_an_appearance_is_created_from_offsets(claim, article):
    start = TEXT.index("A Pentagon statement")

    appearance = appearance_create(claim=claim, source=article, start=start, end=start + 20)

    assert appearance.exact == "A Pentagon statement"


def test_an_ambiguous_quote_is_refused_and_nothing_is_saved(claim, article):
    with pytest.raises(ValidationError) as error:
        appearance_create(claim=claim, source=article, exact="Pentagon")

    assert "occurs 2 times" in error.value.message_dict["exact"][0]
    assert not Appearance.objects.exists()


def test_a_suffix_settles_an_ambiguous_quote(claim, article):
    appearance = appearance_create(claim=claim, source=article, exact="Pentagon", suffix=" said")

    assert appearance.start == TEXT.rindex("Pentagon")


def test_a_quote_missing_from_the_text_is_refused(claim, article):
    with pytest.raises(ValidationError) as error:
        appearance_create(claim=claim, source=article, exact="no casualties")

    assert "is not in the source text" in error.value.message_dict["exact"][0]


def test_offsets_past_the_end_are_refused(claim, article):
    with pytest.raises(ValidationError) as error:
        appearance_create(claim=claim, source=article, start=10, end=len(TEXT) + 5)

    assert "past the end" in error.value.message_dict["end"][0]


def test_an_appearance_in_a_source_with_text_must_be_anchored(claim, article):
    with pytest.raises(ValidationError) as error:
        appearance_create(claim=claim, source=article)

    assert "Give the quote" in error.value.message_dict["exact"][0]


def test_an_appearance_in_a_metadata_only_source_has_no_anchor(claim, broadcast):
    appearance = appearance_create(claim=claim, source=broadcast, note="Said on air.")

    assert not appearance.is_anchored
    assert appearance.is_first


def test_a_quote_cannot_be_anchored_in_a_metadata_only_source(claim, broadcast):
    with pytest.raises(ValidationError, match="no stored text"):
        evidence_create(claim=claim, source=broadcast, stance="refutes", exact="anything")


def test_evidence_may_carry_an_anchored_quote(claim, article):
    evidence = evidence_create(
        claim=claim, source=article, stance=Evidence.Stance.SUPPORTS, exact="counted the missiles"
    )

    assert TEXT[evidence.start : evidence.end] == "counted the missiles"


def test_evidence_from_a_source_with_text_may_go_without_a_quote(claim, article):
    evidence = evidence_create(claim=claim, source=article, stance=Evidence.Stance.CONTEXT)

    assert not evidence.is_anchored


def test_evidence_needs_a_known_stance(claim, broadcast):
    with pytest.raises(ValidationError) as error:
        evidence_create(claim=claim, source=broadcast, stance="maybe")

    assert "stance" in error.value.message_dict
