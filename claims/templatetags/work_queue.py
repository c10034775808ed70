"""The work queue on the admin's front page (admin/index.html): what waits for the
signed-in user, each a count linking to the list that shows it."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from claims.read.queue import work_queue

register = template.Library()


@register.inclusion_tag("admin/claims/work_queue.html", takes_context=True)
def show_work_queue(context):
    request = context["request"]
    lines = []
    for line in work_queue(request.user):
        app_label, model_name = line.model.split(".")
        url = reverse(f"admin:{app_label}_{model_name}_changelist")
        lines.append({"line": line, "url": f"{url}?{urlencode(line.params)}"})
    return {"lines": lines}
