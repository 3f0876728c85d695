"""The dashboard: the panels the apps registered (`parley.ui.panels`), refreshed by htmx."""

from django.shortcuts import render
from django.utils import timezone

from parley.ui.pages import is_htmx, page
from parley.ui.panels import render_panels


@page
def dashboard(request):
    context = {"panels": render_panels(request, timezone.now())}
    template = "ui/dashboard.html#panels" if is_htmx(request) else "ui/dashboard.html"
    return render(request, template, context)
