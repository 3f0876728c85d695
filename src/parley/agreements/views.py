"""The agreement pages. Each view parses its input, makes one service or selector call, and renders.

Services raise `NotFound` (shown as 404, also for "not yours"), `Forbidden` (403) and
`ValidationError` (the form is shown again with the errors on the fields they name).
"""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parley.agreements import forms, presenters, rules, selectors, services
from parley.core.errors import Forbidden
from parley.core.selectors import party_list
from parley.talks.selectors import process_list, round_list
from parley.ui import maplayers
from parley.ui.pages import form_page, is_htmx, page, run_transition

AGREEMENTS_PER_PAGE = 25


@page
def agreement_index(request):
    """Every agreement the reader may see, searched and filtered by the GET form's values (kept
    in the URL, so that a filtered list can be bookmarked and shared), 25 to a page."""
    form = forms.AgreementFilterForm(request.GET or None, parties=party_list(actor=request.user))
    found = selectors.agreement_search(
        actor=request.user, query=selectors.AgreementQuery(**form.query()), now=timezone.now()
    )
    listing = Paginator(found, AGREEMENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = presenters.agreement_index(
        form=form, listing=listing, now=timezone.now(), zone=request.user.zone
    )
    return render(request, "agreements/agreement_list.html", context)


@page
def calendar(request, *, feed_form=None, new_feed=None, status=200):
    now = timezone.now()
    zone = request.user.zone
    today = now.astimezone(ZoneInfo(zone)).date()
    span = forms.CalendarRangeForm(
        request.GET or None, initial={"start": today, "days": forms.CALENDAR_DAYS}
    )
    start, end, days = span.range(today, zone)
    entries = selectors.calendar_entries(actor=request.user, start=start, end=end)
    context = presenters.calendar(entries=entries, start=start, end=end, days=days, now=now,
                                  zone=zone)
    context["range_form"] = span
    context["feeds"] = selectors.calendar_feed_list(actor=request.user)
    context["feed_form"] = feed_form or forms.CalendarFeedForm()
    context["new_feed"] = new_feed
    template = "agreements/calendar.html"
    return render(request, f"{template}#timeline" if is_htmx(request) else template, context,
                  status=status)


@page
@require_POST
def calendar_feed_new(request):
    """Create a calendar feed and show its links, once: only the secret's digest is kept."""
    form = forms.CalendarFeedForm(request.POST)
    if form.is_valid():
        try:
            feed, raw = services.calendar_feed_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            links = presenters.calendar_feed_links(
                base_url=request.build_absolute_uri("/"), feed=feed, raw=raw)
            response = calendar(request, new_feed={"feed": feed, **links})
            # The page holds the secret: no cache keeps it.
            response["Cache-Control"] = "no-store"
            return response
    return calendar(request, feed_form=form, status=422)


@page
@require_POST
def calendar_feed_revoke(request, feed_id):
    feed = services.calendar_feed_revoke(actor=request.user, feed_id=feed_id)
    messages.success(request, _("The feed “%(label)s” is revoked: its address opens nothing "
                                "any more.") % {"label": feed.label})
    return redirect(reverse("agreements:calendar") + "#feeds")


@page
def contact_line(request):
    """The contact line shown on every map; the secretariat imports a new one here."""
    form = forms.ContactLineForm(request.POST or None, request.FILES or None)
    current = selectors.contact_line_current(actor=request.user)

    def save(data):
        services.contact_line_import(actor=request.user, geometry=data["geometry"],
                                     valid_on=data["valid_on"], source=data.get("source", ""))
        return reverse("agreements:contact_line"), _("The contact line is imported.")

    context = {**presenters.contact_line_page(current),
               "can_import": rules.can_import_contact_line(request.user)}
    if request.method == "POST" and not context["can_import"]:
        raise Forbidden(_("Only the secretariat imports the contact line."))
    return form_page(request, form=form, template="agreements/contact_line.html", save=save,
                     context=context, status=422)


@page
def contact_line_data(request):
    """The contact line as GeoJSON for the maps (null when there is none)."""
    line = selectors.contact_line_current(actor=request.user)
    return JsonResponse(presenters.contact_line_feature(line), safe=False)


@page
def area_map(request):
    agreements = selectors.agreement_list(actor=request.user)
    return render(request, "agreements/map.html", presenters.area_map(agreements, timezone.now()))


@page
def agreement_detail(request, code):
    agreement = selectors.agreement_get(actor=request.user, code=code)
    context = presenters.agreement_detail(
        agreement,
        versions=selectors.agreement_versions(actor=request.user, agreement=agreement),
        audit=selectors.agreement_audit_trail(actor=request.user, agreement=agreement),
        actions=selectors.agreement_available_actions(actor=request.user, agreement=agreement),
        now=timezone.now(),
    )
    return render(request, "agreements/agreement_detail.html", context)


@page
def agreement_version(request, code, number):
    """One version against the one before it: the changes in words and both on one map."""
    agreement = selectors.agreement_get(actor=request.user, code=code)
    context = presenters.version_compare(
        agreement, number=number,
        versions=selectors.agreement_versions(actor=request.user, agreement=agreement))
    if context is None:
        raise Http404
    return render(request, "agreements/version_compare.html", context)


def _version_page(request, *, form, windows, agreement, save):
    """A new draft or a counter-proposal: `save(kwargs)` on a valid POST returns the agreement
    and the message to show; otherwise (or on the services' errors) the form again."""
    if request.method == "POST" and all([form.is_valid(), windows.is_valid()]):
        try:
            saved, done = save(form.service_kwargs(windows))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, done)
            return redirect("agreements:agreement_detail", code=saved.code)
    near = maplayers.bounding_box(selectors.agreement_areas_geojson(agreement)["features"]) \
        if agreement else None
    return render(request, "agreements/agreement_form.html", presenters.agreement_form(
        form=form, windows=windows, agreement=agreement,
        around=maplayers.context_features(request, near=near)))


@page
def agreement_new(request):
    if not request.user.has_perm("agreements.add_agreement"):
        raise Http404
    form, windows = forms.propose_forms(
        request, processes=process_list(actor=request.user),
        rounds=round_list(actor=request.user), parties=party_list(actor=request.user))

    def save(kwargs):
        agreement = services.agreement_create_draft(actor=request.user, **kwargs)
        return agreement, _("Draft %(code)s saved. Propose it when it is ready.") % {
            "code": agreement.code}

    return _version_page(request, form=form, windows=windows, agreement=None, save=save)


@page
def agreement_counter(request, code):
    agreement = selectors.agreement_get(actor=request.user, code=code)
    actions = selectors.agreement_available_actions(actor=request.user, agreement=agreement)
    if not actions["counter"]:
        raise Http404
    form, windows = forms.counter_forms(request, agreement.current_version)

    def save(kwargs):
        version = services.agreement_counter(actor=request.user, agreement=agreement, **kwargs)
        return agreement, _("Version %(number)d of %(code)s is on the table.") % {
            "number": version.number, "code": agreement.code}

    return _version_page(request, form=form, windows=windows, agreement=agreement, save=save)


def _button(request, code, form_class, call):
    """A status button of the detail page (`parley.ui.pages.run_transition`)."""
    agreement = selectors.agreement_get(actor=request.user, code=code)
    return run_transition(
        request, form=form_class(request.POST) if form_class else None,
        call=lambda data: call(agreement, data),
        back_to=reverse("agreements:agreement_detail", kwargs={"code": code}),
    )


@require_POST
@page
def agreement_propose(request, code):
    def call(agreement, data):
        services.agreement_propose(actor=request.user, agreement=agreement)
        return _("%(code)s is proposed to the parties.") % {"code": code}

    return _button(request, code, None, call)


@require_POST
@page
def agreement_consent(request, code):
    def call(agreement, data):
        services.agreement_consent(actor=request.user, agreement=agreement,
                                   version=data["version"])
        return _("Your party's consent to %(code)s is recorded.") % {"code": code}

    return _button(request, code, forms.ConsentForm, call)


@require_POST
@page
def agreement_suspend(request, code):
    def call(agreement, data):
        services.agreement_suspend(actor=request.user, agreement=agreement,
                                   reason=data["reason"])
        return _("%(code)s is suspended.") % {"code": code}

    return _button(request, code, forms.ReasonForm, call)


@require_POST
@page
def agreement_resume(request, code):
    def call(agreement, data):
        services.agreement_resume(actor=request.user, agreement=agreement, reason=data["reason"])
        return _("%(code)s is back in force.") % {"code": code}

    return _button(request, code, forms.ReasonForm, call)


@require_POST
@page
def agreement_terminate(request, code):
    def call(agreement, data):
        services.agreement_terminate(actor=request.user, agreement=agreement,
                                     reason=data["reason"])
        return _("%(code)s is terminated.") % {"code": code}

    return _button(request, code, forms.ReasonForm, call)
