"""The exchange pages. Each view parses its input, makes one service or selector call, and
renders; `NotFound` is 404 (also for "not yours"), `Forbidden` 403, and a `ValidationError`
shows the form again with the errors on the fields (or rows) they name."""

import datetime
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import ChoiceField
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from parley.access.rules import can_notify_movement
from parley.agreements import services as agreement_services
from parley.agreements.models import Agreement
from parley.agreements.selectors import agreement_available_actions, parties_yet_to_consent
from parley.core.models import Party
from parley.core.types import existing
from parley.engines import csvsafe
from parley.exchanges import forms, presenters, rules, selectors, services
from parley.exchanges.models import Category, IdentityView, Pair
from parley.exchanges.wording import FIELD_LABELS, FORMULA_NAMES
from parley.talks.selectors import process_list
from parley.ui.forms import form_field
from parley.ui.pages import page

EXPORT_FIELDS = ("record_id", "family_name", "given_name", "patronymic", "date_of_birth",
                 "place_of_birth", "military_unit", "service_number", "rank", "category", "sex",
                 "date_of_capture", "place_of_capture", "health")


def _add_errors(form, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        target = field if field in form.fields else None
        for problem in problems:
            form.add_error(target, problem if target else f"{field}: {problem}"
                           if field != "__all__" else problem)


def _row_errors(error: ValidationError) -> list[dict]:
    rows = []
    for field, problems in error.message_dict.items():
        for problem in problems:
            rows.append({"where": field, "reason": problem})
    return rows


@page
def index(request):
    actor = request.user
    context = {
        "lists": selectors.list_summaries(actor=actor),
        "runs": selectors.reconciliation_list(actor=actor),
        "exchanges": selectors.exchange_list(actor=actor),
        "figures": _figures(),
        "can_upload": rules.can_upload_list(actor),
        "can_reconcile": rules.can_reconcile(actor),
        "can_propose": rules.can_propose_exchange(actor),
    }
    if context["can_reconcile"]:
        context["reconcile_form"] = forms.ReconcileForm(
            lists=selectors.visible_lists(actor=actor))
    context["categories"] = Category.choices
    return render(request, "exchanges/index.html", context)


@page
def upload(request):
    if not rules.can_upload_list(request.user):
        raise Http404
    counterparts = Party.objects.filter(kind=Party.Kind.BELLIGERENT).exclude(
        pk=request.user.party_id)
    form = forms.UploadForm(request.POST or None, request.FILES or None,
                            counterparts=counterparts)
    rejected = []
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            report = services.person_list_upload(
                actor=request.user, side=form.cleaned_data["side"],
                counterpart=form.cleaned_data["counterpart"], title=form.cleaned_data["title"],
                content=upload_file.read(), filename=upload_file.name)
        except ValidationError as error:
            rejected = _row_errors(error)
            form.add_error(None, ngettext(
                "The file was not saved: %(count)d problem to fix.",
                "The file was not saved: %(count)d problems to fix.", len(rejected))
                % {"count": len(rejected)})
        else:
            if report.changed:
                messages.success(request, _(
                    "Saved: %(created)d added, %(updated)d changed, %(withdrawn)d no longer on "
                    "the list, %(unchanged)d unchanged.") % {
                    "created": report.created, "updated": report.updated,
                    "withdrawn": report.withdrawn, "unchanged": report.unchanged})
            else:
                messages.info(request, _("The list already holds this content; nothing "
                                         "changed."))
            return redirect("exchanges:list", pk=report.person_list.pk)
    return render(request, "exchanges/upload.html", {"form": form, "rejected": rejected})


@page
def list_detail(request, pk):
    actor = request.user
    person_list = selectors.person_list_get(actor=actor, pk=pk)
    filters = forms.FilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    persons = selectors.person_rows(
        actor=actor, person_list=person_list, query=values.get("q", ""),
        category=values.get("category", ""), status=values.get("status", ""),
        serious=values.get("serious", False), withdrawn=values.get("withdrawn", False))
    identities = services.identities_reveal(actor=actor, persons=persons,
                                            surface=IdentityView.Surface.PAGE)
    sees_refusal = selectors.refusal_visible(actor)
    return render(request, "exchanges/list.html", {
        "person_list": person_list, "filters": filters, "query": request.GET.urlencode(),
        "rows": [presenters.person_row(p, identities.get(p.pk), sees_refusal=sees_refusal)
                 for p in persons],
    })


@page
def list_csv(request, pk):
    actor = request.user
    person_list = selectors.person_list_get(actor=actor, pk=pk)
    persons = selectors.person_rows(actor=actor, person_list=person_list, limit=1_000_000)
    identities = services.identities_reveal(actor=actor, persons=persons,
                                            surface=IdentityView.Surface.EXPORT)
    buffer = io.StringIO()
    writer = csvsafe.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_FIELDS)
    for person in persons:
        identity = {**identities.get(person.pk, {}), "category": person.category}
        writer.writerow([identity.get(key, "") for key in EXPORT_FIELDS])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="parley-list-{person_list.pk}.csv"'
    return response


@page
def person_detail(request, pk):
    actor = request.user
    person = selectors.person_get(actor=actor, pk=pk)
    can_correct = rules.can_correct_list(actor, person.person_list)
    form = None
    if request.method == "POST":
        if not can_correct:
            raise Http404
        form = forms.CorrectionForm(request.POST)
        if form.is_valid():
            try:
                services.person_correct(actor=actor, person=person, changes=form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The correction is saved."))
                return redirect("exchanges:person", pk=person.pk)
    identity = services.identities_reveal(actor=actor, persons=[person],
                                          surface=IdentityView.Surface.PAGE)[person.pk]
    if can_correct and form is None:
        form = forms.CorrectionForm(initial={**identity, "category": person.category})
    sees_refusal = selectors.refusal_visible(actor)
    return render(request, "exchanges/person.html", {
        "person": person, "name": presenters.full_name(identity),
        "lines": presenters.identity_lines(identity),
        "status": presenters.status_label(person, sees_refusal=sees_refusal),
        "history": [{"change": change, "label": presenters.history_label(change)}
                    for change in selectors.person_history(actor=actor, person=person)],
        "views": selectors.person_views(actor=actor, person=person),
        "form": form,
    })


@require_POST
@page
def reconcile(request):
    actor = request.user
    form = forms.ReconcileForm(request.POST, lists=selectors.visible_lists(actor=actor))
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, str(problem))
        return redirect("exchanges:index")
    try:
        run = services.reconciliation_run(actor=actor, **form.cleaned_data)
    except ValidationError as error:
        for texts in error.message_dict.values():
            for problem in texts:
                messages.error(request, problem)
        return redirect("exchanges:index")
    messages.success(request, _("The lists are reconciled."))
    return redirect("exchanges:run", pk=run.pk)


@page
def run_detail(request, pk):
    actor = request.user
    run = selectors.reconciliation_get(actor=actor, pk=pk)
    state = request.GET.get("state", Pair.State.UNCERTAIN)
    if state not in Pair.State.values:
        state = Pair.State.UNCERTAIN
    pairs = selectors.reconciliation_pairs(actor=actor, run=run, state=state)[:100]
    persons = [p for pair in pairs for p in (pair.held, pair.sought)]
    identities = services.identities_reveal(actor=actor, persons=persons,
                                            surface=IdentityView.Surface.REVIEW)
    return render(request, "exchanges/run.html", {
        "run": run, "state": state, "states": Pair.State.choices,
        "now": selectors.reconciliation_state_counts(actor=actor, run=run),
        "pairs": [presenters.pair_view(pair, identities.get(pair.held_id, {}),
                                       identities.get(pair.sought_id, {})) for pair in pairs],
        "can_decide": rules.can_decide_pair(actor),
    })


@require_POST
@page
def pair_decide(request, pk):
    pair = selectors.pair_get(actor=request.user, pk=pk)
    same = request.POST.get("decision") == "same"
    services.pair_decide(actor=request.user, pair=pair, same_person=same)
    messages.success(request, _("Decided: the same person.") if same
                     else _("Decided: two different persons."))
    return redirect(request.POST.get("next") or "exchanges:index")


@page
def exchange_new(request):
    actor = request.user
    if not rules.can_propose_exchange(actor):
        raise Http404
    form = forms.ProposeForm(
        request.POST or None, processes=process_list(actor=actor),
        pauses=Agreement.objects.filter(kind=Agreement.Kind.PAUSE,
                                        status=Agreement.Status.AGREED),
        belligerents=Party.objects.filter(kind=Party.Kind.BELLIGERENT))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        counts = {}
        for party, count in ((data["party_a"], data["count_a"]),
                             (data["party_b"], data["count_b"])):
            if count:
                counts[party.slug] = count
        try:
            agreement = services.exchange_propose(
                actor=actor, process=data["process"], title=data["title"],
                parties=[data["party_a"], data["party_b"]], formula=data["formula"],
                category=data["category"], counts=counts, place=data["place"],
                days=forms.split_days(data["days"]),
                pause=data["pause"].code if data["pause"] else "", note=data["note"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("%(code)s is proposed.") % {"code": agreement.code})
            return redirect("exchanges:exchange", code=agreement.code)
    return render(request, "exchanges/exchange_new.html", {"form": form})


def _exchange_context(request, agreement, **extra) -> dict:
    actor = request.user
    view = selectors.exchange_view(actor=actor, agreement=agreement)
    sees_refusal = selectors.refusal_visible(actor)
    sides = []
    for side in view.sides:
        identities = (services.identities_reveal(actor=actor, persons=side.persons,
                                                 surface=IdentityView.Surface.EXCHANGE)
                      if view.sees_persons else {})
        sides.append({"side": side, "rows": [
            {**presenters.person_row(person, identities.get(person.pk),
                                     sees_refusal=sees_refusal),
             "entry": side.entries.get(person.pk),
             "recordable": presenters.recordable(side.entries.get(person.pk)),
             "outcome": presenters.outcome_label(side.entries.get(person.pk),
                                                 sees_refusal=sees_refusal)}
            for person in side.persons]})
    parties = {party.pk: party for party in view.agreement.bound_parties.all()}
    days = [{"view": day, "lines": presenters.day_lines(day, parties, sees_refusal=sees_refusal),
             "signed_by_me": any(s.party_id == actor.party_id for s in day.signoffs)}
            for day in view.days]
    actions = agreement_available_actions(actor=actor, agreement=view.agreement)
    agreed = view.agreement.status == Agreement.Status.AGREED
    return {
        "view": view, "days": days, "agreement": view.agreement, "terms": view.terms,
        "sides": sides,
        "formula": FORMULA_NAMES.get(view.terms.get("formula", ""), ""),
        "version": view.agreement.current_version,
        "actions": actions, "awaiting": parties_yet_to_consent(view.agreement),
        "can_interview": agreed and rules.can_interview(actor),
        "can_record": agreed and rules.can_record_handover(actor, view.agreement),
        "can_sign": agreed and rules.can_sign_day(actor, view.agreement),
        "can_notify_movement": agreed and can_notify_movement(actor),
        "sees_refusal": sees_refusal, "outcomes": form_field(
            forms.HandoverForm(), "outcome", ChoiceField).choices,
        "counter_form": forms.CounterForm(initial={
            "place": view.terms.get("place", ""),
            "days": " ".join(view.terms.get("days", []))}),
        **extra,
    }


@page
def exchange_detail(request, code):
    agreement = selectors.exchange_get(actor=request.user, code=code)
    return render(request, "exchanges/exchange.html", _exchange_context(request, agreement))


def _report_errors(request, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        for problem in problems:
            label = FIELD_LABELS.get(field, "")
            messages.error(request, f"{label}: {problem}" if label else problem)


@require_POST
@page
def exchange_act(request, code):
    """Consent, counter, suspend, resume, terminate: the agreements app's lifecycle."""
    actor = request.user
    agreement = selectors.exchange_get(actor=actor, code=code)
    action = request.POST.get("action")
    reason = request.POST.get("reason", "")
    try:
        if action == "consent":
            agreement_services.agreement_consent(
                actor=actor, agreement=agreement, version=int(request.POST.get("version", 0)))
            messages.success(request, _("Your party's consent is recorded."))
        elif action == "counter":
            form = forms.CounterForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors)
            keep = {int(pk) for pk in request.POST.getlist("keep") if pk.isdigit()}
            releases = {slug: [pk for pk in ids if pk in keep]
                        for slug, ids in existing(
                            agreement.current_version, f"version of {agreement.code}",
                        ).terms["releases"].items()}
            services.exchange_counter(
                actor=actor, agreement=agreement,
                version=int(request.POST.get("version", 0)), releases=releases,
                place=form.cleaned_data["place"],
                days=forms.split_days(form.cleaned_data["days"]),
                note=form.cleaned_data["note"])
            messages.success(request, _("Your counter-proposal is on the table."))
        elif action in ("suspend", "resume", "terminate"):
            transition = getattr(agreement_services, f"agreement_{action}")
            transition(actor=actor, agreement=agreement, reason=reason)
            messages.success(request, _("Done."))
        else:
            raise Http404
    except ValidationError as error:
        _report_errors(request, error)
    except ValueError:
        messages.error(request, _("The form was not complete."))
    return redirect("exchanges:exchange", code=agreement.code)


@require_POST
@page
def exchange_interview(request, code, person):
    actor = request.user
    agreement = selectors.exchange_get(actor=actor, code=code)
    subject = selectors.person_get(actor=actor, pk=person)
    form = forms.InterviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say whether the person wishes to be repatriated."))
        return redirect("exchanges:exchange", code=code)
    try:
        services.exchange_interview(actor=actor, agreement=agreement, person=subject,
                                    **form.cleaned_data)
    except ValidationError as error:
        _report_errors(request, error)
    else:
        messages.success(request, _("The interview of %(person)s is recorded.")
                         % {"person": subject.reference})
    return redirect("exchanges:exchange", code=code)


@require_POST
@page
def exchange_handover(request, code, person):
    actor = request.user
    agreement = selectors.exchange_get(actor=actor, code=code)
    subject = selectors.person_get(actor=actor, pk=person)
    form = forms.HandoverForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what happened and the day."))
        return redirect("exchanges:exchange", code=code)
    try:
        services.exchange_handover_record(actor=actor, agreement=agreement, person=subject,
                                          **form.cleaned_data)
    except ValidationError as error:
        _report_errors(request, error)
    else:
        messages.success(request, _("Recorded for %(person)s.") % {"person": subject.reference})
    return redirect("exchanges:exchange", code=code)


@require_POST
@page
def exchange_sign(request, code):
    actor = request.user
    agreement = selectors.exchange_get(actor=actor, code=code)
    try:
        day = datetime.date.fromisoformat(request.POST.get("day", ""))
        services.exchange_day_sign(actor=actor, agreement=agreement, day=day)
    except ValidationError as error:
        _report_errors(request, error)
    except ValueError:
        messages.error(request, _("Choose the day."))
    else:
        messages.success(request, _("Your party's signature under the totals of %(day)s is "
                                    "recorded.") % {"day": day.isoformat()})
    return redirect("exchanges:exchange", code=code)


@page
def exchange_report(request, code):
    actor = request.user
    agreement = selectors.exchange_get(actor=actor, code=code)
    report = selectors.discrepancy_report(actor=actor, agreement=agreement)
    persons = {person.pk: person for person in (
        report.already_exchanged + report.unplaced
        + [item[0] for item in report.category_conflicts]
        + [p for first, second, _p in report.on_both_sides for p in (first, second)])}
    identities = services.identities_reveal(actor=actor, persons=list(persons.values()),
                                            surface=IdentityView.Surface.EXCHANGE)
    sees_refusal = selectors.refusal_visible(actor)

    def row(person):
        return presenters.person_row(person, identities.get(person.pk), sees_refusal=sees_refusal)

    return render(request, "exchanges/report.html", {
        "agreement": agreement, "listed": report.listed,
        "already": [row(p) for p in report.already_exchanged],
        "conflicts": [{**row(p), "other": Category(other).label}
                      for p, other in report.category_conflicts],
        "both": [{"first": row(a), "second": row(b), "percent": round(prob * 100)}
                 for a, b, prob in report.on_both_sides],
        "unplaced": [row(p) for p in report.unplaced],
    })


def _figures() -> list[dict]:
    parties = {party.slug: party.name for party in Party.objects.all()}
    return presenters.figures_table(selectors.public_figures(), parties)


@page
def figures(request):
    return render(request, "exchanges/figures.html", {"figures": _figures(),
                                                      "categories": Category.choices})
