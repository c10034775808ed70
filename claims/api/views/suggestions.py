"""GET /api/v1/sources/<id>/suggestions/ (a source's check-worthy sentences and who
asserts them) and POST …/suggestions/<sid>/dismiss/ and …/accept/: Editors and
Reviewers only."""

from django.core.exceptions import PermissionDenied as DjangoDenied
from django.core.exceptions import ValidationError as DjangoInvalid
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.models import Suggestion
from claims.read.visibility import sees_unpublished
from claims.suggestions.jobs import pending_job, start_suggestions
from claims.suggestions.scoring import DEFAULT_MIN_SCORE
from claims.suggestions.services import (
    is_computed,
    language_support,
    needs_job,
    suggestion_accept,
    suggestion_dismiss,
    suggestions_for,
    suggestions_refresh,
)
from factcheck.api.links import API_NAMESPACE
from factcheck.api.views import refuse_unknown_params
from sources.models import Source

NEWSROOM_ONLY = "Suggestions are for Editors and Reviewers."


def _newsroom(request) -> None:
    if not sees_unpublished(request.user):
        raise PermissionDenied(NEWSROOM_ONLY)


def parse_min_score(value: str | None) -> float:
    if value is None or value == "":
        return DEFAULT_MIN_SCORE
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not 0 <= number <= 1:  # also refuses nan
        raise ValidationError({"min_score": ["Give min_score as a number from 0 to 1."]})
    return number


def suggestion_dict(row: Suggestion) -> dict:
    speaker = None
    if row.speaker_id or row.speaker_name:
        speaker = {"name": row.speaker_name, "id": row.speaker_id, "kind": row.speaker_kind}
    return {
        "id": row.pk,
        "start": row.start,
        "end": row.end,
        "quote": row.quote,
        "score": row.score,
        "speaker": speaker,
        "attribution": row.attribution,
        "reasons": row.reasons,
    }


class SourceSuggestionsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="source_suggestions",
        parameters=[
            OpenApiParameter(
                "min_score",
                {"type": "number", "minimum": 0, "maximum": 1},
                description=f"Only sentences scoring at least this (0..1; {DEFAULT_MIN_SCORE}).",
            )
        ],
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="results (by position), language, supported, status "
                "(ready or computing, with the job's address).",
            ),
            400: OpenApiResponse(description="min_score is not a number from 0 to 1."),
            403: OpenApiResponse(description=NEWSROOM_ONLY),
        },
    )
    def get(self, request, pk: int):
        """The source's check-worthy sentences not yet claimed, with their score, the
        speaker and attribution the article presents, and why they scored."""
        _newsroom(request)
        refuse_unknown_params(request, {"min_score"})
        min_score = parse_min_score(request.query_params.get("min_score"))
        source = get_object_or_404(Source.objects.select_related("outlet"), pk=pk)
        language, supported, detail = language_support(source.language, source.text)
        body: dict = {"language": language, "supported": supported, "min_score": min_score}
        if detail:
            body["detail"] = detail
        status = "ready"
        if supported and not is_computed(source):
            if needs_job(source):
                job = pending_job(source) or start_suggestions(
                    source=source, requested_by=request.user
                )
                status = "computing"
                body["job"] = reverse(f"{API_NAMESPACE}:job-detail", args=[job.pk])
            else:
                suggestions_refresh(source=source)
        rows = suggestions_for(source, min_score=min_score) if status == "ready" else []
        body["status"] = status
        body["results"] = [suggestion_dict(row) for row in rows]
        return Response(body)


class SuggestionDecisionView(APIView):
    permission_classes = [IsAuthenticated]
    decide = staticmethod(suggestion_dismiss)

    @extend_schema(
        request=None,
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The suggestion, decided."),
            403: OpenApiResponse(description=NEWSROOM_ONLY),
            404: OpenApiResponse(description="No such suggestion of this source."),
        },
    )
    def post(self, request, pk: int, sid: int):
        _newsroom(request)
        row = get_object_or_404(Suggestion, pk=sid, source_id=pk)
        try:
            row = type(self).decide(suggestion=row, by=request.user)
        except DjangoDenied as error:
            raise PermissionDenied(str(error)) from None
        except DjangoInvalid as error:
            raise ValidationError({"status": error.messages}) from None
        return Response({**suggestion_dict(row), "status": row.status})


class SuggestionDismissView(SuggestionDecisionView):
    """Dismiss a suggestion: hidden for everyone, and kept dismissed when the text is
    saved again."""

    decide = staticmethod(suggestion_dismiss)


class SuggestionAcceptView(SuggestionDecisionView):
    """Mark a suggestion as taken up as a claim."""

    decide = staticmethod(suggestion_accept)
