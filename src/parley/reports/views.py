"""The daily situation report: the page and the same report as a PDF in the reader's language."""

import datetime
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from parley.reports import forms, presenters, selectors
from parley.ui.pages import page


def _context(request) -> dict:
    now = timezone.now()
    form = forms.DayForm(request.GET or None)
    zone_default = request.user.zone
    today = now.astimezone(ZoneInfo(zone_default)).date()
    day, zone = form.chosen(today=today, default_zone=zone_default)
    if not form.is_bound:
        form = forms.DayForm(initial={"day": day, "zone": zone})
    report = selectors.daily_report(actor=request.user, day=day, zone=zone)
    context = presenters.daily(report, now=now, reader=request.user)

    def query(on: datetime.date) -> str:
        return urlencode({"day": on.isoformat(), "zone": zone})

    context.update(
        {
            "form": form,
            "pdf_url": f"{reverse('reports:daily_pdf')}?{query(day)}",
            "previous_url": f"?{query(day - datetime.timedelta(days=1))}",
            "next_url": f"?{query(day + datetime.timedelta(days=1))}",
        }
    )
    return context


@page
def daily(request):
    return render(request, "reports/daily.html", _context(request))


@page
def daily_pdf(request):
    from weasyprint import HTML

    context = _context(request)
    html = render_to_string("reports/daily_pdf.html", context, request=request)
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    name = f"parley-daily-{context['report'].day.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
