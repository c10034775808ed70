"""API tokens in the admin: issued and revoked through claims.services.tokens, never
named by their key.

DRF's own token admin shows every key in the list, and names a token by its key
everywhere else: page titles, messages (kept in a cookie) and the admin's log
(object_repr). This one lists the key's first characters, names a token "Token for
<user> (abcd1234…)" (IssuedToken.__str__), and shows the key once, on the page that
follows its creation. Like DRF's, it addresses a token by its user's id (TokenProxy's
pk), never by its key, so that no key reaches an address or an access log.
"""

import json

from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

# DRF's admin registers itself when its module is imported: import it first, whatever
# the order of INSTALLED_APPS, so that it can be replaced here.
from rest_framework.authtoken import admin as drf_token_admin
from rest_framework.authtoken.models import TokenProxy

from claims.models import IssuedToken, TokenEvent, token_label
from claims.models.tokens import KEY_PREFIX_LENGTH
from claims.services.tokens import Via, token_issue, token_revoke

if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)


@admin.register(IssuedToken)
class IssuedTokenAdmin(drf_token_admin.TokenAdmin):
    """DRF's TokenAdmin (its addresses by user id), with the key kept out of sight."""

    list_display = ("key_start", "user", "created")
    fields = ("user",)
    readonly_fields = ()

    @admin.display(description="key starts with")
    def key_start(self, token) -> str:
        return f"{token.key[:KEY_PREFIX_LENGTH]}…"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def get_readonly_fields(self, request, obj=None):
        # A token belongs to one user for good: revoke it and issue another instead.
        return ("user", "key_start", "created") if obj is not None else ()

    def get_fields(self, request, obj=None):
        return ("user", "key_start", "created") if obj is not None else ("user",)

    def has_change_permission(self, request, obj=None) -> bool:
        return False if obj is not None else super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        token, _ = token_issue(user=form.cleaned_data["user"], actor=request.user, via=Via.ADMIN)
        obj.key, obj.created, obj.user = token.key, token.created, token.user

    def delete_model(self, request, obj):
        token_revoke(token=obj, actor=request.user, via=Via.ADMIN)

    def delete_queryset(self, request, queryset):
        for token in queryset.select_related("user"):
            token_revoke(token=token, actor=request.user, via=Via.ADMIN)

    def response_add(self, request, obj, post_url_continue=None):
        """The key, once: it is not shown again (the list shows its first characters)."""
        if "_popup" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{obj} issued",
            "token": obj,
            "changelist_url": reverse("admin:claims_issuedtoken_changelist"),
        }
        response = TemplateResponse(request, "admin/claims/issuedtoken/issued.html", context)
        response["Cache-Control"] = "no-store"
        return response

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(request, f"{obj_display} was revoked.")
        return HttpResponseRedirect(reverse("admin:claims_issuedtoken_changelist"))

    # The admin's log names a token by its user and the key's first characters, and
    # points at it by its user's id (the address this admin uses), never by its key.

    def _log(self, request, token, action_flag: int, message) -> LogEntry:
        return LogEntry.objects.create(
            user_id=request.user.pk,
            content_type=ContentType.objects.get_for_model(IssuedToken, for_concrete_model=False),
            object_id=str(token.user_id),
            object_repr=str(token)[:200],
            action_flag=action_flag,
            change_message=message if isinstance(message, str) else json.dumps(message),
        )

    def log_addition(self, request, obj, message):
        return self._log(request, obj, ADDITION, message)

    def log_change(self, request, obj, message):
        return self._log(request, obj, CHANGE, message)

    def log_deletions(self, request, queryset):
        return [self._log(request, token, DELETION, "") for token in queryset]


@admin.register(TokenEvent)
class TokenEventAdmin(admin.ModelAdmin):
    """Who issued and revoked which token: a record, read only."""

    list_display = ("created_at", "action", "token", "actor_name", "via")
    list_filter = ("action", "via")
    search_fields = ("username", "actor_name", "key_prefix")
    date_hierarchy = "created_at"

    @admin.display(description="token", ordering="username")
    def token(self, event: TokenEvent) -> str:
        return token_label(username=event.username, key=event.key_prefix)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
