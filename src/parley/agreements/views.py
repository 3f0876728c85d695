"""The agreement pages. Each view parses its input, makes one service or selector call, and renders.

Services raise `NotFound` (shown as 404, also for "not yours"), `Forbidden` (403) and
`ValidationError` (the form is shown again with the errors on the fields they name).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parley.agreements import forms, presenters, selectors, services
from parley.core.selectors import party_list
from parley.talks.selectors import process_list, round_list
from parley.ui.pages import is_htmx, page


@page
def calendar(request):
    now = timezone.now()
    span = forms.CalendarRangeForm(
        request.GET or None, initial={"start": now.date(), "days": forms.CALENDAR_DAYS}
    )
    start, end, days = span.range(now.date())
    entries = selectors.calendar_entries(actor=request.user, start=start, end=end)
    context = presenters.calendar(entries=entries, start=start, days=days, now=now)
    context["range_form"] = span
    template = "agreements/calendar.html"
    return render(request, f"{template}#timeline" if is_htmx(request) else template, context)


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


def _window_formset(request, initial=None):
    return forms.WindowFormSet(
        request.POST or None, initial=initial, prefix="windows",
        form_kwargs={"default_zone": request.user.zone},
    )


@page
def agreement_new(request):
    if not request.user.has_perm("agreements.add_agreement"):
        raise Http404
    form = forms.ProposeForm(
        request.POST or None, request.FILES or None,
        processes=process_list(actor=request.user),
        rounds=round_list(actor=request.user),
        parties=party_list(actor=request.user),
    )
    windows = _window_formset(request)
    if request.method == "POST" and all([form.is_valid(), windows.is_valid()]):
        try:
            agreement = services.agreement_create_draft(
                actor=request.user, **form.service_kwargs(windows)
            )
        except ValidationError as error:
            form.add_service_errors(error, windows)
        else:
            messages.success(request, _("Draft %(code)s saved. Propose it when it is ready.")
                             % {"code": agreement.code})
            return redirect("agreements:agreement_detail", code=agreement.code)
    return render(request, "agreements/agreement_form.html", presenters.agreement_form(
        form=form, windows=windows, agreement=None))


@page
def agreement_counter(request, code):
    agreement = selectors.agreement_get(actor=request.user, code=code)
    actions = selectors.agreement_available_actions(actor=request.user, agreement=agreement)
    if not actions["counter"]:
        raise Http404
    current = agreement.current_version
    form = forms.CounterForm(
        request.POST or None, request.FILES or None,
        initial=forms.CounterForm.initial_from_version(current),
    )
    windows = _window_formset(request, initial=[
        forms.WindowForm.initial_from_spec(spec, request.user.zone) for spec in current.windows
    ])
    if request.method == "POST" and all([form.is_valid(), windows.is_valid()]):
        try:
            version = services.agreement_counter(
                actor=request.user, agreement=agreement, **form.service_kwargs(windows)
            )
        except ValidationError as error:
            form.add_service_errors(error, windows)
        else:
            messages.success(request, _("Version %(number)d of %(code)s is on the table.")
                             % {"number": version.number, "code": agreement.code})
            return redirect("agreements:agreement_detail", code=agreement.code)
    return render(request, "agreements/agreement_form.html", presenters.agreement_form(
        form=form, windows=windows, agreement=agreement))


def _transition(request, code, call, form_class=None):
    """Run one state transition from a button on the detail page, then show the page again."""
    agreement = selectors.agreement_get(actor=request.user, code=code)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{capfirst(form.fields[field].label)}: {error}")
        return redirect("agreements:agreement_detail", code=code)
    try:
        call(agreement, form.cleaned_data if form else {})
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(reverse("agreements:agreement_detail", kwargs={"code": code}))


@require_POST
@page
def agreement_propose(request, code):
    def call(agreement, data):
        services.agreement_propose(actor=request.user, agreement=agreement)
        messages.success(request, _("%(code)s is proposed to the parties.") % {"code": code})

    return _transition(request, code, call)


@require_POST
@page
def agreement_consent(request, code):
    def call(agreement, data):
        services.agreement_consent(actor=request.user, agreement=agreement,
                                   version=data["version"])
        messages.success(request, _("Your party's consent to %(code)s is recorded.")
                         % {"code": code})

    return _transition(request, code, call, forms.ConsentForm)


@require_POST
@page
def agreement_suspend(request, code):
    def call(agreement, data):
        services.agreement_suspend(actor=request.user, agreement=agreement,
                                   reason=data["reason"])
        messages.success(request, _("%(code)s is suspended.") % {"code": code})

    return _transition(request, code, call, forms.ReasonForm)


@require_POST
@page
def agreement_resume(request, code):
    def call(agreement, data):
        services.agreement_resume(actor=request.user, agreement=agreement, reason=data["reason"])
        messages.success(request, _("%(code)s is back in force.") % {"code": code})

    return _transition(request, code, call, forms.ReasonForm)


@require_POST
@page
def agreement_terminate(request, code):
    def call(agreement, data):
        services.agreement_terminate(actor=request.user, agreement=agreement,
                                     reason=data["reason"])
        messages.success(request, _("%(code)s is terminated.") % {"code": code})

    return _transition(request, code, call, forms.ReasonForm)
