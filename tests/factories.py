from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User

from claims.models import Appearance, Claim, Evidence, Rating, Speaker, Tag, VerdictEntry
from sources.models import Outlet, Source

M = TypeVar("M")


class ModelFactory(factory.django.DjangoModelFactory[M]):
    """A factory whose call, ``ClaimFactory()``, is typed as returning its model."""

    class Meta:
        abstract = True

    if TYPE_CHECKING:
        # factory-boy's metaclass __call__ returns cls.create(), an instance of the
        # model, but is unannotated; this tells mypy so. Never defined at run time.
        def __new__(cls, *args: Any, **kwargs: Any) -> M: ...  # type: ignore[misc]


class UserFactory(ModelFactory[User]):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class StaffUserFactory(UserFactory):
    is_staff = True
    is_superuser = True


class OutletFactory(ModelFactory[Outlet]):
    class Meta:
        model = Outlet

    name = factory.Sequence(lambda n: f"Outlet {n}")
    homepage = factory.Sequence(lambda n: f"https://outlet{n}.example.org/")
    kind = Outlet.Kind.NEWS


class SourceFactory(ModelFactory[Source]):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Article {n}")
    url = factory.Sequence(lambda n: f"https://news.example.org/articles/{n}")
    outlet = factory.SubFactory(OutletFactory)
    kind = Source.Kind.ARTICLE
    text = "The minister said “no casualties” were reported.\u00a0Officials disagreed — twice."


class SpeakerFactory(ModelFactory[Speaker]):
    class Meta:
        model = Speaker

    name = factory.Sequence(lambda n: f"Speaker {n}")
    kind = Speaker.Kind.PERSON


class TagFactory(ModelFactory[Tag]):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"Tag {n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


class ClaimFactory(ModelFactory[Claim]):
    class Meta:
        model = Claim

    text = factory.Sequence(lambda n: f"Statement number {n} is true.")
    label = factory.Sequence(lambda n: f"claim {n}")
    speaker = factory.SubFactory(SpeakerFactory)
    verdict = factory.LazyFunction(lambda: Rating.objects.get(slug=Rating.UNVERIFIED))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """A published claim is created the way it happens: with an approved entry."""
        if kwargs.get("review_state") != Claim.ReviewState.PUBLISHED or kwargs.get(
            "published_entry"
        ):
            return super()._create(model_class, *args, **kwargs)
        claim = super()._create(model_class, *args, **{**kwargs, "review_state": "in_review"})
        claim.published_entry = VerdictEntry.objects.create(
            claim=claim, rating=claim.verdict, rationale="Checked.", holds_from=date(2020, 1, 1)
        )
        claim.review_state = Claim.ReviewState.PUBLISHED
        claim.save()
        return claim


class AppearanceFactory(ModelFactory[Appearance]):
    """An appearance anchored on the quote "no casualties" of the default source text."""

    class Meta:
        model = Appearance

    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory)
    exact = "no casualties"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        appearance = model_class(*args, **kwargs)
        appearance.full_clean()
        appearance.save()
        return appearance


class EvidenceFactory(ModelFactory[Evidence]):
    class Meta:
        model = Evidence

    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory, text="")
    stance = Evidence.Stance.REFUTES


class VerdictEntryFactory(ModelFactory[VerdictEntry]):
    """An Unverified entry (no evidence needed); pass rating= for others."""

    class Meta:
        model = "claims.VerdictEntry"

    claim = factory.SubFactory(ClaimFactory)
    rating = factory.LazyFunction(lambda: Rating.objects.get(slug=Rating.UNVERIFIED))
    rationale = "Not yet checked."
    holds_from = factory.Faker("past_date")


class GroupFactory(ModelFactory[Group]):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Group {n}")


class RatingFactory(ModelFactory[Rating]):
    class Meta:
        model = Rating

    slug = factory.Sequence(lambda n: f"rating-{n}")
    label = factory.Sequence(lambda n: f"Rating {n}")
    colour = "#336699"
    position = factory.Sequence(lambda n: 100 + n)
