"""The monitoring pages. Each view parses its input, makes one service or selector call, and
renders; `NotFound` is 404 (also for "not yours"), `Forbidden` 403, and a `ValidationError`
shows the form again with the errors on the fields they name."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parley.agreements.selectors import settled_agreements
from parley.core.models import Party
from parley.core.selectors import party_list
from parley.monitoring import forms, presenters, rules, selectors, services
from parley.monitoring.models import Event
from parley.monitoring.wording import STATUS_NAMES, VERIFIED_MESSAGES
from parley.ui.forms import add_service_errors
from parley.ui.pages import form_page, is_htmx, page, run_transition

GEOJSON = "application/geo+json"


@page
def dashboard(request):
    actor, now = request.user, timezone.now()
    context = presenters.dashboard(
        actor=actor, now=now, board=selectors.monitoring_dashboard(actor=actor, now=now),
        rows=selectors.event_rows(actor=actor, events=selectors.event_list(actor=actor)[:200]),
        alerts=selectors.site_alerts(actor=actor, limit=10),
        runs=selectors.import_runs(actor=actor, limit=5),
    )
    context["settings_form"] = forms.SettingsForm.for_rule(selectors.grouping_rule(actor=actor))
    template = "monitoring/dashboard.html"
    return render(request, f"{template}#panels" if is_htmx(request) else template, context)


@require_POST
@page
def settings_update(request):
    if not rules.can_change_monitoring_settings(request.user):
        raise Http404

    def call(data):
        services.monitoring_settings_update(actor=request.user, **data)
        return _("Reports within %(metres)d m and %(minutes)d minutes of each other are now "
                 "grouped as one event.") % {"metres": data["group_distance_m"],
                                              "minutes": data["group_minutes"]}

    return run_transition(request, form=forms.SettingsForm(request.POST), call=call,
                          back_to=reverse("monitoring:dashboard"))


EVENTS_PER_PAGE = 50


def _event_filters(request) -> forms.EventFilterForm:
    """The events list's filters from the URL; the exports read the same ones."""
    return forms.EventFilterForm(
        request.GET or None, statuses=STATUS_NAMES, zone=request.user.zone,
        agreements=settled_agreements(actor=request.user),
        parties=party_list(actor=request.user).filter(kind=Party.Kind.BELLIGERENT),
    )


def _found_events(request, form) -> list:
    return selectors.event_search(actor=request.user,
                                  query=selectors.EventQuery(**form.query()))


# The statuses from which a batch can take an event a step (`services.BULK_STEPS`).
BULK_FROM = frozenset({Event.Status.CANDIDATE, Event.Status.UNDER_REVIEW})


@page
def event_list(request):
    """Events the reader may see, filtered by the GET form (kept in the URL), 50 to a page;
    a monitor selects several and takes them one step in one go (`events_bulk`)."""
    form = _event_filters(request)
    listing = Paginator(_found_events(request, form), EVENTS_PER_PAGE).get_page(
        request.GET.get("page"))
    rows = selectors.event_rows(actor=request.user, events=list(listing.object_list))
    may_verify = rules.can_verify_event(request.user)
    items = [{"row": row, "when": presenters.when(row.event.time_start, request.user),
              "status_name": STATUS_NAMES[row.event.status],
              "selectable": may_verify and row.event.status in BULK_FROM} for row in rows]
    return render(request, "monitoring/event_list.html", {
        "form": form, "listing": listing, "count": listing.paginator.count, "rows": items,
        "any_selectable": any(item["selectable"] for item in items),
        "bulk_form": forms.BulkVerifyForm(initial={"back": request.GET.urlencode()})
        if may_verify else None,
        "filtered": any(value for key, value in request.GET.items() if key != "page"),
        "query": request.GET.urlencode(),
    })


BULK_DONE = {
    Event.Status.UNDER_REVIEW: _("Under review now (%(count)d): %(references)s."),
    Event.Status.DISMISSED: _("Dismissed (%(count)d): %(references)s."),
    Event.Status.UNVERIFIABLE: _("Marked unverifiable (%(count)d): %(references)s."),
}


@require_POST
@page
def events_bulk(request):
    """The selected events of the list, one step for all or for none; the refusals are named
    per event and the list is shown again with its filters."""
    if not rules.can_verify_event(request.user):
        raise Http404
    form = forms.BulkVerifyForm(request.POST)
    back = reverse("monitoring:event_list")
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect(back)
    query = form.cleaned_data["back"]
    if query and url_has_allowed_host_and_scheme(f"{back}?{query}", allowed_hosts=None):
        back = f"{back}?{query}"
    try:
        outcome = services.events_verify_bulk(
            actor=request.user, references=request.POST.getlist("events"),
            to_status=form.cleaned_data["action"], reasoning=form.cleaned_data["reasoning"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(back)
    for reference, reasons in outcome.refused.items():
        for reason in reasons:
            messages.error(request, f"{reference}: {reason}")
    if outcome.refused:
        messages.warning(request, _("Nothing was changed: unselect or fix the events named "
                                    "above, then try again."))
    else:
        messages.success(request, BULK_DONE[form.cleaned_data["action"]] % {
            "count": len(outcome.done), "references": ", ".join(outcome.done)})
    return redirect(back)


def _export_rows(request):
    events = _found_events(request, _event_filters(request))
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


def _event_form(request, event, form, *, key: str, save):
    """A form of the event page: `save(cleaned_data)` returns the success message; a service's
    `ValidationError` shows the page again with the errors on the form (422)."""
    if form.is_valid():
        try:
            done = save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("monitoring:event_detail", reference=event.reference)
    return _event_page(request, event, status=422, **{key: form})


VERIFY = {
    Event.Status.UNDER_REVIEW: services.event_start_review,
    Event.Status.CONFIRMED: services.event_confirm,
    Event.Status.DISMISSED: services.event_dismiss,
    Event.Status.UNVERIFIABLE: services.event_mark_unverifiable,
}


@require_POST
@page
def event_verify(request, reference):
    event = selectors.event_get(actor=request.user, reference=reference)

    def save(data):
        VERIFY[data["to"]](actor=request.user, event=event, reasoning=data["reasoning"],
                           files=data["files"])
        return VERIFIED_MESSAGES[data["to"]] % {"reference": reference}

    return _event_form(request, event, forms.VerifyForm(request.POST, request.FILES),
                       key="verify_form", save=save)


@require_POST
@page
def event_account(request, reference):
    event = selectors.event_get(actor=request.user, reference=reference)

    def save(data):
        services.party_account_attach(actor=request.user, event=event, text=data["text"],
                                      shared=data["shared"])
        return _("Your party's account of %(reference)s is attached.") % {"reference": reference}

    return _event_form(request, event, forms.AccountForm(request.POST), key="account_form",
                       save=save)


@page
def report(request):
    if not rules.can_report_incident(request.user):
        raise Http404
    zones = list(dict.fromkeys([request.user.zone, *presenters.zones_for(request.user)]))
    form = forms.ReportForm(request.POST or None, request.FILES or None, zones=zones)

    def save(data):
        return presenters.report_filed(
            services.monitor_report(actor=request.user, **form.service_kwargs()))

    return form_page(request, form=form, template="monitoring/report.html", save=save,
                     context=presenters.report_map(settled_agreements(actor=request.user),
                                                   timezone.now()))


@page
def import_page(request):
    if not rules.can_import_incidents(request.user):
        raise Http404

    def save(data):
        run = services.import_queue(actor=request.user, kind=data["source"], upload=data["file"])
        return reverse("monitoring:import_detail", kwargs={"pk": run.pk}), None

    return form_page(request, form=forms.ImportForm(request.POST or None, request.FILES or None),
                     template="monitoring/import.html", save=save,
                     context={"runs": selectors.import_runs(actor=request.user)})


REJECTED_PER_PAGE = 50


@page
def import_detail(request, pk):
    run = selectors.import_run_get(actor=request.user, pk=pk)
    template = "monitoring/import_detail.html#run" if is_htmx(request) else \
        "monitoring/import_detail.html"
    rejected = Paginator(run.rejected_rows, REJECTED_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, template, {
        "run": run, "when": presenters.when(run.started_at, request.user),
        "rejected": rejected, "rejected_kept": len(run.rejected_rows),
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
