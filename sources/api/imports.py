"""POST /api/v1/sources/import/: import an article from a web address or a file, as a
background job (202, the job's address in Location; its result_url is the source).

Editors and Reviewers only (those who may add sources). A malformed address, a file of
a kind that cannot be read or one over IMPORT_MAX_BYTES is a 400 at once; whatever
goes wrong while fetching or reading is the job's error.
"""

from collections.abc import Mapping

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from factcheck.api.links import Links
from factcheck.api.parsers import JSONParser
from factcheck.api.schema import address_or_file_request
from factcheck.api.views import refuse_unknown_fields
from jobs.api.serializers import JobSerializer
from jobs.api.views import job_accepted
from sources.intake.importing import FILE_TYPES, ImportFailed, file_type
from sources.intake.inputs import ImportInputError, address_or_file
from sources.intake.jobs import start_file_import, start_url_import

IMPORT_REQUEST = address_or_file_request(
    url_help="The page to import.",
    file_help="Or an HTML, PDF or text file.",
    file_types=tuple(sorted(set(FILE_TYPES.values()))),
    fields={"title": {"type": "string", "description": "A title, for a file that has none."}},
)


class SourceImportView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    request_body_required = True  # a url or a file (factcheck.api.schema)

    @extend_schema(
        operation_id="sources_import",
        request=IMPORT_REQUEST,
        responses={
            202: OpenApiResponse(JobSerializer, description="The import's job."),
            400: OpenApiResponse(description="No address or file, or one that is refused."),
            403: OpenApiResponse(description="Only Editors and Reviewers import sources."),
        },
    )
    def post(self, request):
        """Import an article from a web address (`{"url": …}`) or a file (multipart
        `file`): a job that fetches, extracts and stores it."""
        if not request.user.has_perm("sources.add_source"):
            raise PermissionDenied("Only Editors and Reviewers may import sources.")
        refuse_unknown_fields(request.data, {"url", "file", "title"})
        data = request.data
        if isinstance(data, Mapping) and not isinstance(data.get("title", ""), str):
            raise ValidationError({"title": ["Give the title as a string."]})
        try:
            url, upload = address_or_file(request.data)
            links = Links(request)
            if url:
                job = start_url_import(url, user=request.user, links=links)
            else:
                job = self._file_job(request, upload, links)
        except ImportInputError as error:
            raise ValidationError({error.field: [str(error)]}) from None
        return job_accepted(job, request)

    def _file_job(self, request, upload, links: Links):
        try:
            kind = file_type(upload.name, upload.content_type or "")
        except ImportFailed as error:
            raise ImportInputError("file", str(error)) from None
        title = str(request.data.get("title", "")).strip()
        return start_file_import(
            upload.name, upload.read(), kind, user=request.user, links=links, title=title
        )
