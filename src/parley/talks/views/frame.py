"""Processes, rounds with their sessions and communiqué, agenda items with the positions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parley.audit.wording import action_name as audit_action_name
from parley.core.errors import Forbidden
from parley.talks import forms, presenters, rules, selectors, services
from parley.talks.models import AgendaItem, Communique
from parley.talks.providers import visible_agreements
from parley.ui.pages import page


@page
def home(request):
    processes = list(selectors.process_list(actor=request.user))
    if len(processes) == 1:
        return redirect("talks:process", pk=processes[0].pk)
    return render(request, "talks/home.html", {"processes": processes})


def _process_page(request, process, *, round_form=None, text_form=None, status=200):
    actor = request.user
    manage = rules.can_manage_talks(actor)
    with_text = {t.agreement_id for t in process.texts.all()}
    agreements = visible_agreements(actor=actor).filter(process=process).exclude(
        pk__in=with_text).order_by("code")
    return render(request, "talks/process.html", {
        "process": process,
        "rounds": selectors.round_list(actor=actor, process=process),
        "items": selectors.agenda_items(actor=actor, process=process),
        "texts": selectors.visible_texts(actor=actor).filter(process=process),
        "communiques": selectors.published_communiques(actor=actor, process=process),
        "can_manage": manage,
        "round_form": round_form or (forms.RoundForm() if manage else None),
        "text_form": text_form or (forms.TextForm(agreements=agreements)
                                   if manage and agreements else None),
        "can_view_commitments": rules.can_view_commitments(actor),
    }, status=status)


@page
def process_detail(request, pk):
    return _process_page(request, selectors.process_get(actor=request.user, pk=pk))


@require_POST
@page
def round_add(request, pk):
    process = selectors.process_get(actor=request.user, pk=pk)
    form = forms.RoundForm(request.POST)
    if form.is_valid():
        try:
            round_ = services.round_create(actor=request.user, process=process,
                                           **form.cleaned_data)
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("%(round)s is open.") % {"round": round_.name})
            return redirect("talks:round", pk=round_.pk)
    return _process_page(request, process, round_form=form, status=422)


def _zones(actor) -> list[str]:
    return [actor.zone, *presenters.clock_zones(actor)]


def _round_page(request, round_, *, session_form=None, item_form=None, communique_form=None,
                status=200):
    actor = request.user
    manage = rules.can_manage_talks(actor)
    delegations = list(round_.delegations.all())
    sessions = [{"session": s, "starts": presenters.when(s.starts_at, actor),
                 "ends": presenters.when(s.ends_at, actor)}
                for s in selectors.session_list(actor=actor, round=round_)]
    items = list(selectors.agenda_items(actor=actor, round=round_))
    earlier = [item for item in selectors.agenda_items(actor=actor, process=round_.process)
               if item not in items]
    communique = selectors.communique_for(actor=actor, round=round_)
    return render(request, "talks/round.html", {
        "round": round_, "sessions": sessions, "delegations": delegations, "items": items,
        "communique": communique, "can_manage": manage,
        "session_form": session_form or (forms.SessionForm(
            zones=_zones(actor), delegations=delegations,
            initial={"venue": round_.venue, "kind": round_.format,
                     "parties": [str(d.party_id) for d in delegations]}) if manage else None),
        "item_form": item_form or (forms.AgendaItemForm() if manage else None),
        "table_form": forms.TableItemForm(items=earlier) if manage and earlier else None,
        "communique_form": communique_form or (
            forms.CommuniqueForm(initial={"body": communique.body})
            if manage and communique and communique.status == Communique.Status.DRAFT
            else None),
    }, status=status)


@page
def round_detail(request, pk):
    return _round_page(request, selectors.round_get(actor=request.user, pk=pk))


@require_POST
@page
def session_add(request, pk):
    round_ = selectors.round_get(actor=request.user, pk=pk)
    form = forms.SessionForm(request.POST, zones=_zones(request.user),
                             delegations=list(round_.delegations.all()))
    if form.is_valid():
        try:
            services.session_create(actor=request.user, round=round_, **form.service_kwargs())
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("The session is on the round's schedule."))
            return redirect("talks:round", pk=round_.pk)
    return _round_page(request, round_, session_form=form, status=422)


@require_POST
@page
def item_add(request, pk):
    round_ = selectors.round_get(actor=request.user, pk=pk)
    form = forms.AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            item = services.agenda_item_create(actor=request.user, round=round_,
                                               **form.cleaned_data)
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("Item %(number)s is on the agenda.")
                             % {"number": item.number})
            return redirect("talks:round", pk=round_.pk)
    return _round_page(request, round_, item_form=form, status=422)


@require_POST
@page
def item_table(request, pk):
    round_ = selectors.round_get(actor=request.user, pk=pk)
    items = selectors.agenda_items(actor=request.user, process=round_.process)
    form = forms.TableItemForm(request.POST, items=items)
    if form.is_valid():
        services.agenda_item_table(actor=request.user, item=form.items[form.cleaned_data["item"]],
                                   round=round_)
    return redirect("talks:round", pk=round_.pk)


@require_POST
@page
def communique_draft(request, pk):
    round_ = selectors.round_get(actor=request.user, pk=pk)
    try:
        services.communique_draft(actor=request.user, round=round_)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("talks:round", pk=round_.pk)


@require_POST
@page
def communique_save(request, pk):
    round_ = selectors.round_get(actor=request.user, pk=pk)
    communique = selectors.communique_for(actor=request.user, round=round_)
    if communique is None:
        raise Forbidden(_("There is no draft to change."))
    form = forms.CommuniqueForm(request.POST)
    if form.is_valid():
        try:
            if "publish" in request.POST:
                services.communique_update(actor=request.user, communique=communique,
                                           body=form.cleaned_data["body"])
                services.communique_publish(actor=request.user, communique=communique)
                messages.success(request, _("The communiqué is published."))
            else:
                services.communique_update(actor=request.user, communique=communique,
                                           body=form.cleaned_data["body"])
                messages.success(request, _("The draft is saved."))
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            return redirect("talks:round", pk=round_.pk)
    return _round_page(request, round_, communique_form=form, status=422)


def _item_page(request, item, *, position_form=None, note_form=None, status=200):
    actor = request.user
    rounds = sorted(item.rounds.all(), key=lambda r: (r.date, r.name))
    shown = selectors.positions(actor=actor, item=item)
    by_round = [{"round": r, "positions": [p for p in shown if p.round_id == r.pk]}
                for r in rounds]
    return render(request, "talks/item.html", {
        "item": item, "by_round": by_round,
        "history": selectors.position_history(actor=actor, item=item),
        "notes": selectors.mediator_notes(actor=actor, item=item),
        "audit": [{"entry": e, "when": presenters.when(e.at, actor),
                   "action": audit_action_name(e.action)}
                  for e in selectors.item_audit_trail(actor=actor, item=item)],
        "can_manage": rules.can_manage_talks(actor),
        "status_form": forms.ItemStatusForm(initial={"status": item.status})
        if rules.can_manage_talks(actor) else None,
        "position_form": position_form or (forms.PositionForm(rounds=rounds)
                                           if rules.can_take_position(actor) else None),
        "note_form": note_form or (forms.NoteForm()
                                   if rules.can_read_mediator_notes(actor) else None),
        "statuses": AgendaItem.Status,
    }, status=status)


@page
def item_detail(request, pk):
    return _item_page(request, selectors.agenda_item_get(actor=request.user, pk=pk))


@require_POST
@page
def item_status(request, pk):
    item = selectors.agenda_item_get(actor=request.user, pk=pk)
    form = forms.ItemStatusForm(request.POST)
    if form.is_valid():
        services.agenda_item_set_status(actor=request.user, item=item,
                                        status=form.cleaned_data["status"])
    return redirect("talks:item", pk=item.pk)


@require_POST
@page
def position_add(request, pk):
    item = selectors.agenda_item_get(actor=request.user, pk=pk)
    form = forms.PositionForm(request.POST, rounds=list(item.rounds.all()))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.position_take(actor=request.user, item=item,
                                   round=form.rounds[data["round"]], kind=data["kind"],
                                   text=data["text"], visibility=data["visibility"])
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("Your party's position is recorded."))
            return redirect("talks:item", pk=item.pk)
    return _item_page(request, item, position_form=form, status=422)


@require_POST
@page
def note_add(request, pk):
    item = selectors.agenda_item_get(actor=request.user, pk=pk)
    form = forms.NoteForm(request.POST)
    if form.is_valid():
        rounds = sorted(item.rounds.all(), key=lambda r: (r.date, r.name))
        try:
            services.mediator_note_add(actor=request.user, item=item, round=rounds[-1],
                                       text=form.cleaned_data["text"])
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            return redirect("talks:item", pk=item.pk)
    return _item_page(request, item, note_form=form, status=422)
