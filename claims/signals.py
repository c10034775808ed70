"""Keep anchors right when a source's text changes, from wherever the change comes.

sources never imports claims, so the re-anchoring hangs off the Source model's
save signals. Source.save() runs in a transaction, which the re-anchoring joins:
a refused anchor write undoes the text change too.
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from rest_framework.authtoken.models import Token

from claims.models.tokens import TokenEvent
from claims.services.reanchor import source_reanchor
from claims.services.tokens import token_record_outside_service
from claims.suggestions.jobs import schedule_suggestions
from sources.models import Source


@receiver(pre_save, sender=Source, dispatch_uid="claims.remember_source_hash")
def remember_stored_hash(sender, instance: Source, raw=False, **kwargs):
    # Source.save() has already hashed the new text; the stored row still has the old hash.
    # Carried on the instance to the post_save handler below: no field of Source.
    instance._stored_content_hash = (  # type: ignore[attr-defined]
        None
        if raw or instance.pk is None
        else Source.objects.filter(pk=instance.pk).values_list("content_hash", flat=True).first()
    )


@receiver(post_save, sender=Source, dispatch_uid="claims.reanchor_source")
def reanchor_changed_text(sender, instance: Source, created=False, raw=False, **kwargs):
    """Re-locate the source's quotes when its text changed.

    Not for fixtures (raw): they carry their anchors for the text they load.
    """
    stored = getattr(instance, "_stored_content_hash", None)
    if raw or created or stored is None or stored == instance.content_hash:
        return
    # For the admin to show what moved (claims.admin.annotate): no field of Source.
    instance.reanchor_report = source_reanchor(source=instance)  # type: ignore[attr-defined]


@receiver(post_save, sender=Source, dispatch_uid="claims.suggest_source")
def suggest_changed_text(sender, instance: Source, created=False, raw=False, **kwargs):
    """Score a new or changed text's sentences (claims.suggestions): once the save
    commits for a short text, in a job for a long one."""
    stored = getattr(instance, "_stored_content_hash", None)
    if raw or not (created or (stored is not None and stored != instance.content_hash)):
        return
    schedule_suggestions(instance)


# API tokens are audited however they are written (claims/services/tokens.py).


@receiver(post_save, sender=Token, dispatch_uid="claims.record_token_issued")
def record_token_issued(sender, instance: Token, created=False, raw=False, **kwargs):
    if created and not raw:
        token_record_outside_service(TokenEvent.Action.ISSUED, instance)


@receiver(post_delete, sender=Token, dispatch_uid="claims.record_token_revoked")
def record_token_revoked(sender, instance: Token, **kwargs):
    token_record_outside_service(TokenEvent.Action.REVOKED, instance)
