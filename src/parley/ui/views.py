"""The dashboard: the panels the apps registered (`parley.ui.panels`) for the reader's audience,
refreshed by htmx."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parley.ui import panels
from parley.ui.pages import is_htmx, page

AUDIENCE_LINES = {
    panels.SECRETARIAT: _("What awaits the secretariat comes first: held notifications, missed "
                          "acknowledgements, proposals awaiting the parties."),
    panels.PARTY: _("What awaits your party comes first: consents, acknowledgements, drafts."),
    panels.ORGANISATION: _("Your organisation's movements come first, then the windows open now "
                           "and next."),
    panels.MONITOR: _("Your review queue comes first, then the violations by pause."),
    panels.OBSERVER: _("The public summary: windows open now and next, agreements in figures, "
                       "violations."),
}


@page
def dashboard(request):
    audience = panels.audience(request)
    context = {
        "panels": panels.render_panels(request, timezone.now()),
        "audience": audience,
        "audience_line": AUDIENCE_LINES[audience],
    }
    template = "ui/dashboard.html#panels" if is_htmx(request) else "ui/dashboard.html"
    return render(request, template, context)
