"""The monitoring pages. Each view parses its input, makes one service or selector call, and
renders; `NotFound` is 404 (also for "not yours"), `Forbidden` 403, and a `ValidationError`
shows the form again with the errors on the fields they name."""

import datetime
import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parley.agreements.rules import SETTLED
from parley.agreements.selectors import agreement_list
from parley.monitoring import forms, presenters, rules, selectors, services
from parley.monitoring.models import Event
from parley.monitoring.wording import STATUS_NAMES, VERIFIED_MESSAGES
from parley.ui.pages import is_htmx, page

GEOJSON = "application/geo+json"


def _add_errors(form, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        target = field if field in form.fields else None
        for problem in problems:
            form.add_error(target, problem)


@page
def dashboard(request):
    actor = request.user
    now = timezone.now()
    board = selectors.monitoring_dashboard(actor=actor, now=now)
    rows = selectors.event_rows(actor=actor, events=selectors.event_list(actor=actor)[:200])
    context = presenters.dashboard(
        actor=actor, now=now, board=board, rows=rows,
        alerts=selectors.site_alerts(actor=actor, limit=10),
        runs=selectors.import_runs(actor=actor, limit=5),
    )
    if rules.can_change_monitoring_settings(actor):
        rule = services.monitoring_settings()
        context["settings_form"] = forms.SettingsForm(initial={
            "group_distance_m": rule.group_distance_m, "group_minutes": rule.group_minutes})
    context["can_import"] = rules.can_import_incidents(actor)
    context["can_report"] = rules.can_report_incident(actor)
    template = "monitoring/dashboard.html#panels" if is_htmx(request) else \
        "monitoring/dashboard.html"
    return render(request, template, context)


@require_POST
@page
def settings_update(request):
    if not rules.can_change_monitoring_settings(request.user):
        raise Http404
    form = forms.SettingsForm(request.POST)
    if form.is_valid():
        try:
            services.monitoring_settings_update(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Reports within %(metres)d m and %(minutes)d minutes of "
                                        "each other are now grouped as one event.")
                             % {"metres": form.cleaned_data["group_distance_m"],
                                "minutes": form.cleaned_data["group_minutes"]})
            return redirect("monitoring:dashboard")
    for field, problems in form.errors.items():
        for problem in problems:
            messages.error(request, f"{form.fields[field].label}: {problem}"
                           if field in form.fields else problem)
    return redirect("monitoring:dashboard")


def _filters(request) -> dict:
    day = None
    if request.GET.get("day"):
        try:
            day = datetime.date.fromisoformat(request.GET["day"])
        except ValueError:
            day = None
    status = request.GET.get("status") or None
    return {"status": status if status in Event.Status.values else None,
            "agreement": request.GET.get("agreement") or None,
            "area": request.GET.get("area") or None, "day": day}


@page
def event_list(request):
    filters = _filters(request)
    events = selectors.event_list(actor=request.user, **filters)
    rows = selectors.event_rows(actor=request.user, events=events)
    return render(request, "monitoring/event_list.html", {
        "rows": [{"row": row, "when": presenters.when(row.event.time_start, request.user),
                  "status_name": STATUS_NAMES[row.event.status]} for row in rows],
        "filters": filters, "statuses": STATUS_NAMES, "query": request.GET.urlencode(),
    })


def _export_rows(request):
    events = selectors.event_list(actor=request.user, **_filters(request))
    return selectors.event_rows(actor=request.user, events=events)


@page
def events_geojson(request):
    response = JsonResponse(selectors.events_geojson(_export_rows(request)),
                            content_type=GEOJSON, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="parley-events.geojson"'
    return response


@page
def events_csv(request):
    response = HttpResponse(selectors.events_csv(_export_rows(request)),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="parley-events.csv"'
    return response


def _event_page(request, event, *, verify_form=None, account_form=None, status=200):
    actor = request.user
    placements = selectors.event_placements(actor=actor, events=[event]).get(event.pk, [])
    context = presenters.event_detail(
        actor=actor, event=event, placements=placements,
        reports=selectors.event_reports(actor=actor, event=event),
        steps=selectors.event_verifications(actor=actor, event=event),
        accounts=selectors.event_accounts(actor=actor, event=event),
        audit=selectors.event_audit_trail(actor=actor, event=event),
        now=timezone.now(),
    )
    context["verify_form"] = verify_form or forms.VerifyForm()
    context["account_form"] = account_form or forms.AccountForm()
    return render(request, "monitoring/event_detail.html", context, status=status)


@page
def event_detail(request, reference):
    return _event_page(request, selectors.event_get(actor=request.user, reference=reference))


@require_POST
@page
def event_verify(request, reference):
    event = selectors.event_get(actor=request.user, reference=reference)
    form = forms.VerifyForm(request.POST, request.FILES)
    if form.is_valid():
        to = form.cleaned_data["to"]
        call = {
            Event.Status.UNDER_REVIEW: services.event_start_review,
            Event.Status.CONFIRMED: services.event_confirm,
            Event.Status.DISMISSED: services.event_dismiss,
            Event.Status.UNVERIFIABLE: services.event_mark_unverifiable,
        }[to]
        try:
            call(actor=request.user, event=event, reasoning=form.cleaned_data["reasoning"],
                 files=form.cleaned_data["files"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, VERIFIED_MESSAGES[to] % {"reference": reference})
            return redirect("monitoring:event_detail", reference=reference)
    return _event_page(request, event, verify_form=form, status=422)


@require_POST
@page
def event_account(request, reference):
    event = selectors.event_get(actor=request.user, reference=reference)
    form = forms.AccountForm(request.POST)
    if form.is_valid():
        try:
            services.party_account_attach(actor=request.user, event=event,
                                          text=form.cleaned_data["text"],
                                          shared=form.cleaned_data["shared"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your party's account of %(reference)s is attached.")
                             % {"reference": reference})
            return redirect("monitoring:event_detail", reference=reference)
    return _event_page(request, event, account_form=form, status=422)


@page
def report(request):
    if not rules.can_report_incident(request.user):
        raise Http404
    zones = list(dict.fromkeys([request.user.zone, *presenters.zones_for(request.user)]))
    form = forms.ReportForm(request.POST or None, request.FILES or None, zones=zones)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.monitor_report(actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if incident.event_id:
                messages.success(request, _("Report filed; it falls in a pause and is part of "
                                            "%(reference)s.") % {"reference":
                                                                 incident.event.reference})
                return redirect("monitoring:event_detail", reference=incident.event.reference)
            messages.success(request, _("Report filed; it falls in no open pause window."))
            return redirect("monitoring:report")
    now = timezone.now()
    agreements = [a for a in agreement_list(actor=request.user) if a.status in SETTLED]
    return render(request, "monitoring/report.html", {
        "form": form,
        "map_data": {"type": "FeatureCollection",
                     "features": presenters.area_features(agreements, now)},
    })


@page
def import_page(request):
    if not rules.can_import_incidents(request.user):
        raise Http404
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.import_queue(
                actor=request.user, kind=form.cleaned_data["source"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("monitoring:import_detail", pk=run.pk)
    return render(request, "monitoring/import.html", {
        "form": form, "runs": selectors.import_runs(actor=request.user),
    })


@page
def import_detail(request, pk):
    run = selectors.import_run_get(actor=request.user, pk=pk)
    template = "monitoring/import_detail.html#run" if is_htmx(request) else \
        "monitoring/import_detail.html"
    return render(request, template, {
        "run": run, "when": presenters.when(run.started_at, request.user),
    })


@page
def evidence_file(request, pk):
    evidence = selectors.evidence_get(actor=request.user, pk=pk)
    content_type = evidence.content_type or mimetypes.guess_type(evidence.name)[0] or \
        "application/octet-stream"
    response = FileResponse(evidence.file.open("rb"), content_type=content_type,
                            as_attachment=True, filename=evidence.name)
    response["X-Content-SHA256"] = evidence.sha256
    return response
