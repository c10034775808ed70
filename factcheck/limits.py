"""How long a reason, a rationale or a note may be: one limit, one message.

Every free-text explanation an editor writes (a transition's or a retraction's
reason, a verdict's rationale, an appearance's, evidence's or a link's note, an
outlet's reliability note) is held to REASON_MAX_LENGTH. The model fields carry
``validate_reason_length`` (so ``full_clean`` says it for the admin's forms and the
generic services); the services that take a reason outside a model field call
``check_reason``; the API's input fields and the admin's form fields declare the
same limit with ``REASON_ERRORS`` (so the schema and the page say it too). The API
(400), the admin (a form error) and the commands (CommandError) show one sentence.
"""

from typing import Any

from django.core.exceptions import ValidationError

REASON_MAX_LENGTH = 2000
REASON_TOO_LONG = f"Keep it to {REASON_MAX_LENGTH:,} characters or fewer."
# For a form or serializer field declared with max_length=REASON_MAX_LENGTH.
REASON_ERRORS: dict[str, Any] = {"max_length": REASON_TOO_LONG}


def validate_reason_length(value: str) -> None:
    """A model field validator: ``value`` within REASON_MAX_LENGTH characters."""
    if value is not None and len(value) > REASON_MAX_LENGTH:
        raise ValidationError(REASON_TOO_LONG, code="max_length")


def check_reason(value: str, *, field: str) -> str:
    """``value``, if within REASON_MAX_LENGTH characters; else a ValidationError on ``field``."""
    try:
        validate_reason_length(value)
    except ValidationError as error:
        raise ValidationError({field: error}) from None
    return value
