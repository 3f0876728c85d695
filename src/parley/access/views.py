"""The access pages. Each view parses its input, makes one service or selector call, and
renders; `NotFound` is 404 (also for "not yours"), `Forbidden` 403, and a `ValidationError`
shows the form again with the errors on the fields they name."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
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
    can_set_access_terms,
)
from parley.agreements.selectors import agreement_get, settled_agreements
from parley.core.selectors import party_list
from parley.core.validation import point_warnings
from parley.engines.geo.sanity import positions_of
from parley.ui.pages import form_page, is_htmx, page, run_transition


@page
def dashboard(request):
    actor = request.user
    context = presenters.dashboard(
        actor=actor,
        movements=selectors.movement_list(actor=actor),
        awaiting=selectors.awaiting_my_acknowledgement(actor=actor),
        held=selectors.held_movements(actor=actor),
        overdue=selectors.overdue_acknowledgements(actor=actor),
        latency=selectors.acknowledgement_latency(actor=actor),
        summary=selectors.mission_summary(actor=actor),
        sites=selectors.site_list(actor=actor),
        notifications=selectors.notifications_of(actor=actor),
        hazards=selectors.hazard_list(actor=actor),
        terms=selectors.access_terms_list(actor=actor),
    )
    template = "access/dashboard.html"
    return render(request, f"{template}#panels" if is_htmx(request) else template, context)


def _form_page(request, form, *, movement=None, findings=None, checked=False):
    """The movement form, its route editor drawn over the agreements' areas, the sites and the
    hazards the reader may see, and the findings of a check listed and marked on that map."""
    actor = request.user
    agreements = [movement.agreement] if movement else list(getattr(form, "agreements", {})
                                                            .values())
    route = form.cleaned_data.get("route") if hasattr(form, "cleaned_data") else None
    zones = presenters.reader_zones_of(actor)
    return render(request, "access/movement_form.html", {
        "form": form, "movement": movement, "checked": checked,
        "findings": presenters.finding_rows(findings or [], zones),
        "route_context": presenters.route_context(
            agreements=agreements, sites=selectors.site_list(actor=actor),
            hazards=selectors.hazard_list(actor=actor), findings=findings or [],
            route=route if isinstance(route, dict) else None, zones=zones),
    })


def _route_geometry(form):
    """Where the findings are placed: the one line, whatever GeoJSON wrapper it came in."""
    route = form.cleaned_data.get("route")
    if isinstance(route, dict) and route.get("type") == "FeatureCollection":
        lines = [f.get("geometry") for f in route.get("features") or [] if isinstance(f, dict)]
        route = next((g for g in lines if isinstance(g, dict)
                      and g.get("type") in ("LineString", "MultiLineString")), None)
    if isinstance(route, dict) and route.get("type") == "Feature":
        route = route.get("geometry")
    if isinstance(route, dict) and route.get("type") == "MultiLineString" \
            and len(route.get("coordinates") or []) == 1:
        route = {"type": "LineString", "coordinates": route["coordinates"][0]}
    form.cleaned_data["route"] = route


def _submitted(request, form, *, movement=None, check=None, save):
    """The movement form after a valid POST: `check(kwargs)` (the "check" button) shows the
    findings; `save(kwargs, hold)` notifies or amends and answers; blocking findings and the
    services' errors go back on the form."""
    kwargs = form.service_kwargs()
    if form.errors:
        return _form_page(request, form, movement=movement)
    findings = None
    try:
        if check is not None and "check" in request.POST:
            findings = check(kwargs)
            _route_geometry(form)
            return _form_page(request, form, findings=findings, checked=True)
        return save(kwargs, form.cleaned_data.get("hold_for_secretariat", False))
    except FindingsError as error:
        form.add_service_errors(ValidationError(presenters.blocking_messages(
            error.findings, presenters.reader_zones_of(request.user))))
        findings = error.findings
    except ValidationError as error:
        form.add_service_errors(error)
    _route_geometry(form)
    return _form_page(request, form, movement=movement, findings=findings)


@page
def movement_new(request):
    if not can_notify_movement(request.user):
        raise Http404
    form = forms.MovementNotifyForm(
        request.POST or None, request.FILES or None, default_zone=request.user.zone,
        agreements=selectors.agreements_for_movements(actor=request.user),
        # A link may preselect the agreement and purpose (an exchange's handover under a pause).
        initial={key: request.GET[key] for key in ("agreement", "purpose") if key in request.GET})
    if request.method != "POST" or not form.is_valid():
        return _form_page(request, form)

    def save(kwargs, hold):
        movement = services.movement_notify(actor=request.user, hold_for_secretariat=hold, **kwargs)
        _announce(request, movement)
        return redirect("access:movement_detail", reference=movement.reference)

    return _submitted(request, form, save=save,
                      check=lambda kwargs: services.movement_check(actor=request.user, **kwargs))


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
    form = forms.MovementAmendForm.for_movement(request, movement)
    if request.method != "POST" or not form.is_valid():
        return _form_page(request, form, movement=movement)

    def save(kwargs, hold):
        version = services.movement_amend(actor=request.user, movement=movement,
                                          hold_for_secretariat=hold, **kwargs)
        messages.success(request, presenters.amended_message(version))
        return redirect("access:movement_detail", reference=reference)

    return _submitted(request, form, movement=movement, save=save)


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
    version = movement.current_version
    agreement_version = movement.agreement.current_version
    context["route_warnings"] = point_warnings(
        positions_of(version.route), field="route",
        near_areas=agreement_version.areas if agreement_version else None) if version else []
    return render(request, "access/movement_detail.html", context)


def _warn(request, warnings: list[dict]) -> None:
    """Doubts about coordinates that were accepted (issue 8, finding 13), shown on the next
    page."""
    for warning in warnings:
        messages.warning(request, warning["message"])


@page
def movement_check_in(request, reference):
    movement = selectors.movement_get(actor=request.user, reference=reference)
    if not selectors.available_actions(request.user, movement)["check_in"]:
        raise Http404
    form = forms.CheckInForm(request.POST or None)
    at = timezone.now()
    position = {}
    if request.method == "POST" and form.is_valid():
        position = {"lon": form.cleaned_data["lon"], "lat": form.cleaned_data["lat"]}
    warnings = presenters.check_in_warnings(movement, at=at, **position)
    context = presenters.check_in_page(
        movement, selectors.check_ins_of(actor=request.user, movement=movement), warnings)
    if position and warnings and not request.POST.get("despite_warnings"):
        # The warnings are shown once more with the position entered; the officer confirms.
        return render(request, "access/check_in.html",
                      {"form": form, **context, "confirming": True})

    def save(data):
        services.movement_check_in(actor=request.user, movement=movement, **data)
        return reverse("access:movement_check_in", kwargs={"reference": reference}), _(
            "Check-in recorded.")

    return form_page(request, form=form, save=save, template="access/check_in.html",
                     context=context)


def _transition(request, reference, call, form_class):
    """A status button of the detail page (`parley.ui.pages.run_transition`)."""
    movement = selectors.movement_get(actor=request.user, reference=reference)
    return run_transition(
        request, form=form_class(request.POST), call=lambda data: call(movement, data),
        back_to=reverse("access:movement_detail", kwargs={"reference": reference}),
    )


def _simple(service, form_class, done, keyword="reason"):
    @require_POST
    @page
    def view(request, reference):
        def call(movement, data):
            service(actor=request.user, movement=movement, **{keyword: data.get("reason", "")})
            return done % {"reference": reference}

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
        return _("Your party's receipt of %(reference)s is recorded.") % {"reference": reference}

    return _transition(request, reference, call, forms.VersionForm)


@require_POST
@page
def movement_object(request, reference):
    def call(movement, data):
        services.movement_object(actor=request.user, movement=movement,
                                 version=data["version"], reason=data["reason"])
        return _("Your party's receipt of %(reference)s is recorded with its objection.") % {
            "reference": reference}

    return _transition(request, reference, call, forms.ObjectionForm)


@page
def site_new(request):
    if not can_notify_site(request.user):
        raise Http404

    def save(data):
        site = services.site_notify(actor=request.user, **data)
        _warn(request, point_warnings([(site.lon, site.lat)], field="lon"))
        return reverse("access:dashboard"), _("Site %(reference)s is notified to every party.") % {
            "reference": site.reference}

    return form_page(request, form=forms.SiteForm(request.POST or None),
                     template="access/site_form.html", context={"site": None}, save=save)


@page
def site_amend(request, reference):
    site = selectors.site_get(actor=request.user, reference=reference)
    if not can_amend_site(request.user, site):
        raise Http404

    def save(data):
        amended = services.site_amend(actor=request.user, site=site, **data)
        _warn(request, point_warnings([(amended.lon, amended.lat)], field="lon"))
        return reverse("access:dashboard"), _("Site %(reference)s is amended.") % {
            "reference": reference}

    form = forms.SiteForm(request.POST or None, initial=forms.SiteForm.initial_from(site))
    return form_page(request, form=form, template="access/site_form.html",
                     context={"site": site}, save=save)


@require_POST
@page
def site_withdraw(request, reference):
    site = selectors.site_get(actor=request.user, reference=reference)

    def call(data):
        services.site_withdraw(actor=request.user, site=site, reason=data["reason"])
        return _("Site %(reference)s is withdrawn.") % {"reference": reference}

    return run_transition(request, form=forms.ReasonForm(request.POST), call=call,
                          back_to=reverse("access:dashboard"))


@page
def access_terms(request, code):
    agreement = agreement_get(actor=request.user, code=code)
    if not can_set_access_terms(request.user):
        raise Http404

    def save(data):
        services.access_terms_set(actor=request.user, agreement=agreement, **data)
        return reverse("access:dashboard"), _("The access terms of %(code)s are set.") % {
            "code": code}

    form = forms.AccessTermsForm(request.POST or None, initial=forms.AccessTermsForm.initial_from(
        selectors.access_terms_of(agreement)))
    return form_page(request, form=form, template="access/terms_form.html",
                     context={"agreement": agreement}, save=save)


@page
def hazard_new(request):
    if not can_report_hazard(request.user):
        raise Http404

    def save(data):
        hazard = services.hazard_report(actor=request.user, **data)
        _warn(request, point_warnings(positions_of(hazard.geometry), field="geometry"))
        return reverse("access:dashboard"), _(
            "Hazard %(reference)s is reported; routes near it are warned.") % {
            "reference": hazard.reference}

    # Beneath the new hazard: the sites and the hazards already reported.
    around = presenters.sites_map(selectors.site_list(actor=request.user),
                                  selectors.hazard_list(actor=request.user))
    return form_page(request, form=forms.HazardForm(request.POST or None),
                     template="access/hazard_form.html", save=save,
                     context={"hazard_context": {"areas": around}})


@require_POST
@page
def hazard_clear(request, reference):
    hazard = selectors.hazard_get(actor=request.user, reference=reference)

    def call(data):
        services.hazard_clear(actor=request.user, hazard=hazard, reason=data["reason"])
        return _("Hazard %(reference)s is cleared.") % {"reference": reference}

    return run_transition(request, form=forms.ReasonForm(request.POST), call=call,
                          back_to=reverse("access:dashboard"))


MOVEMENTS_PER_PAGE = 50


@page
def movement_list(request):
    """Movements the reader may see, filtered by the GET form (kept in the URL), 50 to a page;
    a party's liaison or delegation selects those awaiting its receipt and acknowledges them in
    one go (`movements_acknowledge`)."""
    actor = request.user
    form = forms.MovementFilterForm(
        request.GET or None, zone=actor.zone,
        agreements=settled_agreements(actor=actor),
        parties=party_list(actor=actor).exclude(kind__in=("mediator", "monitor", "observer")),
    )
    found = selectors.movement_search(actor=actor, query=selectors.MovementQuery(**form.query()))
    listing = Paginator(found, MOVEMENTS_PER_PAGE).get_page(request.GET.get("page"))
    awaiting = {movement.pk for movement in selectors.awaiting_my_acknowledgement(actor=actor)}
    rows = presenters.movement_rows(list(listing.object_list), zone=actor.zone,
                                    awaiting=awaiting)
    return render(request, "access/movement_list.html", {
        "form": form, "listing": listing, "count": listing.paginator.count, "rows": rows,
        "any_selectable": any(row["selectable"] for row in rows),
        "back": request.GET.urlencode(),
        "filtered": any(value for key, value in request.GET.items() if key != "page"),
    })


@require_POST
@page
def movements_acknowledge(request):
    """The selected movements of the list, acknowledged all or none; refusals named per
    movement, and the list shown again with its filters."""
    back = reverse("access:movement_list")
    query = request.POST.get("back", "")
    if query and url_has_allowed_host_and_scheme(f"{back}?{query}", allowed_hosts=None):
        back = f"{back}?{query}"
    try:
        outcome = services.movements_acknowledge_bulk(
            actor=request.user, receipts=forms.bulk_receipts(request.POST.getlist("movements")))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(back)
    for reference, reasons in outcome.refused.items():
        for reason in reasons:
            messages.error(request, f"{reference}: {reason}")
    if outcome.refused:
        messages.warning(request, _("Nothing was acknowledged: unselect or fix the movements "
                                    "named above, then try again."))
    else:
        messages.success(request, _("Your party's receipt is recorded (%(count)d): "
                                    "%(references)s.") % {
            "count": len(outcome.done), "references": ", ".join(outcome.done)})
    return redirect(back)
