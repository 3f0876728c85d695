"""The access pages. Each view parses its input, makes one service or selector call, and
renders; `NotFound` is 404 (also for "not yours"), `Forbidden` 403, and a `ValidationError`
shows the form again with the errors on the fields they name."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parley.access import forms, presenters, selectors, services
from parley.access.checks import FindingsError
from parley.access.models import CoordinateAccessLog
from parley.access.rules import (
    can_amend_site,
    can_notify_movement,
    can_notify_site,
    can_report_hazard,
    can_see_access_statistics,
    can_set_access_terms,
)
from parley.agreements.selectors import agreement_get
from parley.ui.pages import is_htmx, page


@page
def dashboard(request):
    actor = request.user
    context = presenters.dashboard(
        actor=actor,
        movements=selectors.movement_list(actor=actor),
        awaiting=selectors.awaiting_my_acknowledgement(actor=actor),
        held=selectors.held_movements(actor=actor),
        overdue=selectors.overdue_acknowledgements(actor=actor),
        latency=selectors.acknowledgement_latency(actor=actor)
        if can_see_access_statistics(actor) else [],
        summary=selectors.mission_summary(actor=actor),
        sites=selectors.site_list(actor=actor),
        notifications=selectors.notifications_of(actor=actor),
        hazards=selectors.hazard_list(actor=actor),
    )
    context["terms"] = [
        (agreement, selectors.access_terms_of(agreement))
        for agreement in selectors.agreements_for_movements(actor=actor)
    ] if can_set_access_terms(actor) else []
    context["can_notify"] = can_notify_movement(actor)
    context["can_report_hazard"] = can_report_hazard(actor)
    context["can_notify_site"] = can_notify_site(actor)
    template = "access/dashboard.html#panels" if is_htmx(request) else "access/dashboard.html"
    return render(request, template, context)


def _form_page(request, form, *, movement=None, findings=None, agreement=None, checked=False):
    route = form.cleaned_data.get("route") if hasattr(form, "cleaned_data") else None
    agreement = agreement or (movement.agreement if movement else None)
    check_map = None
    if agreement is not None and (findings is not None or route):
        check_map = presenters.check_map(
            agreement=agreement, route=route if isinstance(route, dict) else None,
            findings=findings or [])
    return render(request, "access/movement_form.html", {
        "form": form, "movement": movement, "checked": checked,
        "findings": presenters.finding_rows(
            findings or [], presenters.reader_zones_of(request.user)), "check_map": check_map,
    })


def _route_geometry(form):
    """What the map shows of the route: the one line, whatever GeoJSON wrapper it came in."""
    route = form.cleaned_data.get("route")
    if isinstance(route, dict) and route.get("type") == "FeatureCollection":
        lines = [f.get("geometry") for f in route.get("features") or [] if isinstance(f, dict)]
        route = next((g for g in lines if isinstance(g, dict)
                      and g.get("type") == "LineString"), None)
    if isinstance(route, dict) and route.get("type") == "Feature":
        route = route.get("geometry")
    form.cleaned_data["route"] = route


@page
def movement_new(request):
    if not can_notify_movement(request.user):
        raise Http404
    form = forms.MovementNotifyForm(
        request.POST or None, request.FILES or None,
        agreements=selectors.agreements_for_movements(actor=request.user),
        default_zone=request.user.zone,
        # A link may preselect the agreement and purpose (an exchange's handover under a pause).
        initial={key: request.GET[key] for key in ("agreement", "purpose") if key in request.GET},
    )
    if request.method != "POST" or not form.is_valid():
        return _form_page(request, form)
    kwargs = form.service_kwargs()
    agreement = kwargs["agreement"]
    if form.errors:
        return _form_page(request, form, agreement=agreement)
    hold = form.cleaned_data.get("hold_for_secretariat", False)
    findings = None
    try:
        if "check" in request.POST:
            findings = services.movement_check(actor=request.user, **kwargs)
            _route_geometry(form)
            return _form_page(request, form, findings=findings, agreement=agreement,
                              checked=True)
        movement = services.movement_notify(actor=request.user, hold_for_secretariat=hold,
                                            **kwargs)
    except FindingsError as error:
        form.add_service_errors(ValidationError(presenters.blocking_messages(
            error.findings, presenters.reader_zones_of(request.user))))
        findings = error.findings
    except ValidationError as error:
        form.add_service_errors(error)
    else:
        _announce(request, movement)
        return redirect("access:movement_detail", reference=movement.reference)
    _route_geometry(form)
    return _form_page(request, form, findings=findings, agreement=agreement)


def _announce(request, movement):
    if movement.status == "held":
        messages.warning(request, _("%(reference)s has blocking findings and is held for the "
                                    "secretariat; the parties do not see it yet.")
                         % {"reference": movement.reference})
    else:
        messages.success(request, _("%(reference)s is notified to the parties.")
                         % {"reference": movement.reference})
    for row in presenters.finding_rows(movement.current_version.findings,
                                       presenters.reader_zones_of(request.user)):
        messages.warning(request, f"{row['title']}: {row['text']}")


@page
def movement_amend(request, reference):
    movement = selectors.movement_get(actor=request.user, reference=reference)
    if not selectors.available_actions(request.user, movement)["amend"]:
        raise Http404
    form = forms.MovementAmendForm(
        request.POST or None, request.FILES or None, default_zone=request.user.zone,
        initial=forms.MovementAmendForm.initial_from_version(movement.current_version,
                                                             request.user.zone),
    )
    if request.method != "POST" or not form.is_valid():
        return _form_page(request, form, movement=movement)
    kwargs = form.service_kwargs()
    if form.errors:
        return _form_page(request, form, movement=movement)
    findings = None
    try:
        version = services.movement_amend(
            actor=request.user, movement=movement,
            hold_for_secretariat=form.cleaned_data.get("hold_for_secretariat", False), **kwargs)
    except FindingsError as error:
        form.add_service_errors(ValidationError(presenters.blocking_messages(
            error.findings, presenters.reader_zones_of(request.user))))
        findings = error.findings
    except ValidationError as error:
        form.add_service_errors(error)
    else:
        messages.success(request, _("Version %(number)d of %(reference)s is notified; the parties "
                                    "acknowledge it afresh.")
                         % {"number": version.number, "reference": reference})
        return redirect("access:movement_detail", reference=reference)
    _route_geometry(form)
    return _form_page(request, form, movement=movement, findings=findings)


@page
def movement_detail(request, reference):
    actor = request.user
    movement = selectors.movement_get(actor=actor, reference=reference)
    services.coordinate_view_log(actor=actor, movement=movement,
                                 via=CoordinateAccessLog.Via.PAGE)
    context = presenters.movement_detail(
        movement,
        actor=actor,
        versions=selectors.movement_versions(actor=actor, movement=movement),
        check_ins=selectors.check_ins_of(actor=actor, movement=movement),
        coordinate_views=selectors.coordinate_views(actor=actor, movement=movement),
        audit=selectors.movement_audit_trail(actor=actor, movement=movement),
        actions=selectors.available_actions(actor, movement),
    )
    return render(request, "access/movement_detail.html", context)


@page
def movement_check_in(request, reference):
    movement = selectors.movement_get(actor=request.user, reference=reference)
    if not selectors.available_actions(request.user, movement)["check_in"]:
        raise Http404
    form = forms.CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.movement_check_in(actor=request.user, movement=movement,
                                       **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Check-in recorded."))
            return redirect("access:movement_check_in", reference=reference)
    return render(request, "access/check_in.html", {
        "movement": movement, "form": form, "badge": presenters.STATUS_BADGE[movement.status],
        "check_ins": selectors.check_ins_of(actor=request.user, movement=movement)[-3:],
    })


def _transition(request, reference, call, form_class):
    """Run one transition from a button on the detail page, then show the page again."""
    movement = selectors.movement_get(actor=request.user, reference=reference)
    form = form_class(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{capfirst(label)}: {error}" if label else error)
        return redirect("access:movement_detail", reference=reference)
    try:
        call(movement, form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("access:movement_detail", reference=reference)


def _simple(service, form_class, done, keyword="reason"):
    @require_POST
    @page
    def view(request, reference):
        def call(movement, data):
            service(actor=request.user, movement=movement, **{keyword: data.get("reason", "")})
            messages.success(request, done % {"reference": reference})

        return _transition(request, reference, call, form_class)

    return view


movement_override = _simple(services.movement_override, forms.ReasonForm,
                            _("%(reference)s is released to the parties despite its findings."))
movement_withdraw = _simple(services.movement_withdraw, forms.OptionalReasonForm,
                            _("%(reference)s is withdrawn."))
movement_complete = _simple(services.movement_complete, forms.OptionalReasonForm,
                            _("%(reference)s is completed."), keyword="note")
movement_impede = _simple(services.movement_impede, forms.ReasonForm,
                          _("%(reference)s is recorded as impeded."))
movement_deny = _simple(services.movement_deny, forms.ReasonForm,
                        _("%(reference)s is recorded as denied."))
movement_cancel = _simple(services.movement_cancel, forms.ReasonForm,
                          _("%(reference)s is cancelled."))


@require_POST
@page
def movement_acknowledge(request, reference):
    def call(movement, data):
        services.movement_acknowledge(actor=request.user, movement=movement,
                                      version=data["version"])
        messages.success(request, _("Your party's receipt of %(reference)s is recorded.")
                         % {"reference": reference})

    return _transition(request, reference, call, forms.VersionForm)


@require_POST
@page
def movement_object(request, reference):
    def call(movement, data):
        services.movement_object(actor=request.user, movement=movement,
                                 version=data["version"], reason=data["reason"])
        messages.success(request, _("Your party's receipt of %(reference)s is recorded with its "
                                    "objection.") % {"reference": reference})

    return _transition(request, reference, call, forms.ObjectionForm)


@page
def site_new(request):
    if not can_notify_site(request.user):
        raise Http404
    form = forms.SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            site = services.site_notify(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Site %(reference)s is notified to every party.")
                             % {"reference": site.reference})
            return redirect("access:dashboard")
    return render(request, "access/site_form.html", {"form": form, "site": None})


@page
def site_amend(request, reference):
    site = selectors.site_get(actor=request.user, reference=reference)
    if not can_amend_site(request.user, site):
        raise Http404
    form = forms.SiteForm(request.POST or None, initial={
        "name": site.name, "kind": site.kind, "lon": site.lon, "lat": site.lat,
        "radius_m": site.radius_m, "note": site.note})
    if request.method == "POST" and form.is_valid():
        try:
            services.site_amend(actor=request.user, site=site, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Site %(reference)s is amended.")
                             % {"reference": reference})
            return redirect("access:dashboard")
    return render(request, "access/site_form.html", {"form": form, "site": site})


@require_POST
@page
def site_withdraw(request, reference):
    site = selectors.site_get(actor=request.user, reference=reference)
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason."))
        return redirect("access:dashboard")
    try:
        services.site_withdraw(actor=request.user, site=site, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Site %(reference)s is withdrawn.") % {"reference": reference})
    return redirect("access:dashboard")


@page
def access_terms(request, code):
    agreement = agreement_get(actor=request.user, code=code)
    if not can_set_access_terms(request.user):
        raise Http404
    form = forms.AccessTermsForm(
        request.POST or None,
        initial=forms.AccessTermsForm.initial_from(selectors.access_terms_of(agreement)))
    if request.method == "POST" and form.is_valid():
        try:
            services.access_terms_set(actor=request.user, agreement=agreement,
                                      **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The access terms of %(code)s are set.") % {"code": code})
            return redirect("access:dashboard")
    return render(request, "access/terms_form.html", {"form": form, "agreement": agreement})


@page
def hazard_new(request):
    if not can_report_hazard(request.user):
        raise Http404
    form = forms.HazardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            hazard = services.hazard_report(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Hazard %(reference)s is reported; routes near it are "
                                        "warned.") % {"reference": hazard.reference})
            return redirect("access:dashboard")
    return render(request, "access/hazard_form.html", {"form": form})


@require_POST
@page
def hazard_clear(request, reference):
    hazard = selectors.hazard_get(actor=request.user, reference=reference)
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason."))
        return redirect("access:dashboard")
    services.hazard_clear(actor=request.user, hazard=hazard, reason=form.cleaned_data["reason"])
    messages.success(request, _("Hazard %(reference)s is cleared.") % {"reference": reference})
    return redirect("access:dashboard")
