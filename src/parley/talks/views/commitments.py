"""Commitments and compliance, and the pulse of the talks (full and public)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parley.audit.wording import action_name as audit_action_name
from parley.core.models import Party
from parley.talks import forms, presenters, rules, selectors, services
from parley.talks.models import Provision
from parley.ui.pages import page


def _commitment_form(request, process, data=None):
    parties = Party.objects.filter(kind=Party.Kind.BELLIGERENT)
    provisions = Provision.objects.filter(
        text__in=selectors.visible_texts(actor=request.user).filter(process=process)
    ).select_related("text__agreement")
    return forms.CommitmentForm(data, parties=parties, provisions=provisions,
                                zones=[request.user.zone, *presenters.clock_zones(request.user)])


def _list_page(request, process, *, form=None, status=200):
    actor = request.user
    if not rules.can_view_commitments(actor):
        raise Http404
    commitments = list(selectors.visible_commitments(actor=actor, process=process))
    tally = selectors.compliance(commitments)
    return render(request, "talks/commitments.html", {
        "process": process,
        "rows": [{"commitment": c, "due": presenters.when(c.due_at, actor)}
                 for c in commitments],
        "per_party": presenters.status_bars(tally.per_party),
        "per_agreement": presenters.status_bars(tally.per_agreement),
        "per_month": presenters.status_bars(presenters.monthly_rows(tally.per_month)),
        "form": form or (_commitment_form(request, process)
                         if rules.can_manage_commitments(actor) else None),
    }, status=status)


@page
def commitment_list(request, pk):
    return _list_page(request, selectors.process_get(actor=request.user, pk=pk))


@require_POST
@page
def commitment_add(request, pk):
    process = selectors.process_get(actor=request.user, pk=pk)
    form = _commitment_form(request, process, request.POST)
    if form.is_valid():
        try:
            commitment = services.commitment_create(actor=request.user, process=process,
                                                    **form.service_kwargs())
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            return redirect("talks:commitment", pk=commitment.pk)
    return _list_page(request, process, form=form, status=422)


def _detail_page(request, commitment, *, status_form=None, answer_form=None, status=200):
    actor = request.user
    return render(request, "talks/commitment.html", {
        "commitment": commitment, "due": presenters.when(commitment.due_at, actor),
        "evidence": [{"item": e, "when": presenters.when(e.added_at, actor)}
                     for e in commitment.evidence.all()],
        "answers": [{"answer": a, "when": presenters.when(a.created_at, actor)}
                    for a in commitment.answers.all()],
        "audit": [{"entry": e, "when": presenters.when(e.at, actor),
                   "action": audit_action_name(e.action)}
                  for e in selectors.commitment_audit_trail(actor=actor,
                                                            commitment=commitment)],
        "status_form": status_form or (
            forms.CommitmentStatusForm(initial={"status": commitment.status})
            if rules.can_manage_commitments(actor) else None),
        "answer_form": answer_form or (forms.AnswerForm()
                                       if rules.can_answer_commitment(actor) else None),
    }, status=status)


@page
def commitment_detail(request, pk):
    return _detail_page(request, selectors.commitment_get(actor=request.user, pk=pk))


@require_POST
@page
def commitment_status(request, pk):
    commitment = selectors.commitment_get(actor=request.user, pk=pk)
    form = forms.CommitmentStatusForm(request.POST)
    if form.is_valid():
        try:
            services.commitment_set_status(actor=request.user, commitment=commitment,
                                           status=form.cleaned_data["status"],
                                           evidence=form.evidence(),
                                           note=form.cleaned_data["note"])
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("The commitment's status is recorded."))
            return redirect("talks:commitment", pk=commitment.pk)
    return _detail_page(request, commitment, status_form=form, status=422)


@require_POST
@page
def commitment_answer(request, pk):
    commitment = selectors.commitment_get(actor=request.user, pk=pk)
    form = forms.AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.commitment_answer(actor=request.user, commitment=commitment,
                                       text=form.cleaned_data["text"])
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            return redirect("talks:commitment", pk=commitment.pk)
    return _detail_page(request, commitment, answer_form=form, status=422)


def _pulse_page(request, pk, *, public: bool):
    actor = request.user
    process = selectors.process_get(actor=actor, pk=pk)
    now = timezone.now()
    pulse = selectors.pulse(actor=actor, process=process, now=now, public=public)
    full = not public and rules.can_view_full_pulse(actor)
    return render(request, "talks/pulse.html", {
        "process": process, "pulse": pulse, "full": full,
        "last_round": pulse.last_round,
        "share": presenters.share(pulse.share_without_confirmed),
        "commitment_bars": presenters.status_bars(pulse.commitments),
        "timeline": presenters.timeline(pulse.timeline, actor),
        "communiques": selectors.published_communiques(actor=actor, process=process),
    })


@page
def pulse(request, pk):
    return _pulse_page(request, pk, public=False)


@page
def pulse_public(request, pk):
    return _pulse_page(request, pk, public=True)
