"""The negotiating text: provisions and brackets, comments, versions and their diff, initials,
the delegations' keys and signatures, and the exports."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parley.talks import exports, forms, presenters, rules, selectors, services
from parley.talks.models import DraftText, SigningKey, TextSignature
from parley.talks.providers import visible_agreements
from parley.talks.selectors.texts import bracket_label, signing_parties
from parley.ui.pages import page


@require_POST
@page
def text_add(request, pk):
    process = selectors.process_get(actor=request.user, pk=pk)
    agreements = visible_agreements(actor=request.user).filter(process=process)
    form = forms.TextForm(request.POST, agreements=agreements)
    if form.is_valid():
        try:
            text = services.text_create(actor=request.user,
                                        agreement=form.agreements[form.cleaned_data["agreement"]],
                                        title=form.cleaned_data["title"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            return redirect("talks:text", pk=text.pk)
    return redirect("talks:process", pk=process.pk)


def _text_page(request, text, *, provision_form=None, failed=None, key_form=None,
               signature_form=None, status=200):
    """`failed` is (provision pk, form name, bound form) when one provision's form failed."""
    actor = request.user
    at_table = rules.at_the_table(actor)
    views = selectors.text_provisions(actor=actor, text=text)
    rounds = sorted(text.process.rounds.all(), key=lambda r: (r.date, r.name))
    for view in views:
        open_brackets = [b for b in view.brackets if b.resolved_at is None]
        view.open_brackets = [{"bracket": b, "label": bracket_label(b.party)}
                              for b in open_brackets]
        view.forms = {}
        if text.status == DraftText.Status.NEGOTIATING:
            if rules.can_propose_wording(actor):
                view.forms["wording"] = forms.WordingForm(prefix=f"p{view.provision.pk}")
            if rules.can_resolve_brackets(actor) and (open_brackets or not view.provision.body):
                view.forms["resolve"] = forms.ResolveForm(brackets=open_brackets,
                                                          prefix=f"p{view.provision.pk}")
        if rules.can_comment(actor) and at_table:
            view.forms["comment"] = forms.CommentForm(prefix=f"p{view.provision.pk}")
        if failed and failed[0] == view.provision.pk:
            view.forms[failed[1]] = failed[2]
    marks = selectors.text_signatures(text)
    parties = signing_parties(text)
    signatory = rules.can_sign_texts(actor) and actor.party_id in {p.pk for p in parties}
    own_key = SigningKey.objects.filter(party=actor.party, revoked_at__isnull=True).first() \
        if signatory else None
    marked = {(m.kind, m.party_id) for m in marks}
    return render(request, "talks/text.html", {
        "text": text, "views": views, "rounds": rounds,
        "open_count": selectors.open_brackets(text).count() if at_table else 0,
        "versions": selectors.text_versions(actor=actor, text=text),
        "marks": [{"mark": m, "when": presenters.when(m.at, actor)} for m in marks],
        "parties": parties, "can_manage": rules.can_manage_talks(actor),
        "provision_form": provision_form or (
            forms.ProvisionForm() if rules.can_manage_talks(actor)
            and text.status == DraftText.Status.NEGOTIATING else None),
        "can_initial": signatory and text.status == DraftText.Status.NEGOTIATING
        and (TextSignature.Kind.INITIAL, actor.party_id) not in marked,
        "own_key": own_key,
        "key_form": key_form or (forms.KeyForm() if signatory else None),
        "signature_form": signature_form or (
            forms.SignatureForm() if signatory and text.status == DraftText.Status.INITIALLED
            and (TextSignature.Kind.SIGNATURE, actor.party_id) not in marked else None),
        "export": selectors.text_export(text),
    }, status=status)


@page
def text_detail(request, pk):
    return _text_page(request, selectors.text_get(actor=request.user, pk=pk))


@require_POST
@page
def provision_add(request, pk):
    text = selectors.text_get(actor=request.user, pk=pk)
    form = forms.ProvisionForm(request.POST)
    if form.is_valid():
        try:
            services.provision_add(actor=request.user, text=text, **form.cleaned_data)
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            return redirect("talks:text", pk=text.pk)
    return _text_page(request, text, provision_form=form, status=422)


def _provision(request, pk):
    text = selectors.text_get(actor=request.user, pk=pk)
    if not rules.at_the_table(request.user):
        raise Http404
    try:
        provision = text.provisions.get(pk=request.POST.get("provision"))
    except (ValueError, TypeError, text.provisions.model.DoesNotExist) as exc:
        raise Http404 from exc
    return text, provision


def _current_round(text):
    rounds = sorted(text.process.rounds.all(), key=lambda r: (r.date, r.name))
    if not rounds:
        raise ValidationError({"wording": [_("The process has no round yet.")]})
    return rounds[-1]


@require_POST
@page
def bracket_add(request, pk):
    text, provision = _provision(request, pk)
    form = forms.WordingForm(request.POST, prefix=f"p{provision.pk}")
    if form.is_valid():
        try:
            services.bracket_propose(actor=request.user, provision=provision,
                                     wording=form.cleaned_data["wording"],
                                     round=_current_round(text))
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            return redirect(f"{text_url(text)}#p{provision.number}")
    return _text_page(request, text, failed=(provision.pk, "wording", form), status=422)


def text_url(text) -> str:
    return reverse("talks:text", kwargs={"pk": text.pk})


@require_POST
@page
def bracket_resolve(request, pk):
    text, provision = _provision(request, pk)
    brackets = list(provision.brackets.filter(resolved_at__isnull=True).select_related("party"))
    form = forms.ResolveForm(request.POST, brackets=brackets, prefix=f"p{provision.pk}")
    if form.is_valid():
        try:
            services.bracket_resolve(actor=request.user, provision=provision,
                                     bracket=form.brackets.get(form.cleaned_data["bracket"]),
                                     wording=form.cleaned_data["wording"])
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("Provision %(number)s is agreed.")
                             % {"number": provision.number})
            return redirect(f"{text_url(text)}#p{provision.number}")
    return _text_page(request, text, failed=(provision.pk, "resolve", form), status=422)


@require_POST
@page
def comment_add(request, pk):
    text, provision = _provision(request, pk)
    form = forms.CommentForm(request.POST, prefix=f"p{provision.pk}")
    if form.is_valid():
        try:
            services.comment_add(actor=request.user, provision=provision, **form.cleaned_data)
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            return redirect(f"{text_url(text)}#p{provision.number}")
    return _text_page(request, text, failed=(provision.pk, "comment", form), status=422)


@require_POST
@page
def version_save(request, pk):
    text = selectors.text_get(actor=request.user, pk=pk)
    try:
        version = services.text_version_save(actor=request.user, text=text,
                                             round=_current_round(text))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Version %(number)s is kept.") % {"number": version.number})
    return redirect("talks:text", pk=text.pk)


@page
def text_diff(request, pk):
    text = selectors.text_get(actor=request.user, pk=pk)
    versions = {str(v.number): v for v in selectors.text_versions(actor=request.user, text=text)}
    old, new = versions.get(request.GET.get("from")), versions.get(request.GET.get("to"))
    if old is None or new is None:
        raise Http404
    return render(request, "talks/text_diff.html", {
        "text": text, "old": old, "new": new, "diff": selectors.version_diff(old, new),
        "versions": list(versions.values()),
    })


@require_POST
@page
def text_initial(request, pk):
    text = selectors.text_get(actor=request.user, pk=pk)
    try:
        services.text_initial(actor=request.user, text=text)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your party has initialled the text."))
    return redirect("talks:text", pk=text.pk)


@require_POST
@page
def key_register(request, pk):
    text = selectors.text_get(actor=request.user, pk=pk)
    form = forms.KeyForm(request.POST)
    if form.is_valid():
        try:
            key = services.signing_key_register(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("Key %(key)s is your delegation's signing key.")
                             % {"key": key.key_id})
            return redirect("talks:text", pk=text.pk)
    return _text_page(request, text, key_form=form, status=422)


@require_POST
@page
def text_sign(request, pk):
    text = selectors.text_get(actor=request.user, pk=pk)
    form = forms.SignatureForm(request.POST)
    if form.is_valid():
        try:
            services.text_sign(actor=request.user, text=text, **form.cleaned_data)
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("Your party's signature is on the text."))
            return redirect("talks:text", pk=text.pk)
    return _text_page(request, text, signature_form=form, status=422)


def _download(content, *, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@page
def text_export(request, pk, fmt):
    text = selectors.text_get(actor=request.user, pk=pk)
    name = f"{text.agreement.code}-text"
    if fmt == "json":
        return _download(exports.export_json(text), content_type="application/json",
                         name=f"{name}.json")
    if fmt == "md":
        return _download(exports.export_markdown(text),
                         content_type="text/markdown; charset=utf-8", name=f"{name}.md")
    if fmt == "xml":
        return _download(exports.export_xml(text), content_type="application/xml",
                         name=f"{name}.xml")
    if fmt == "pdf":
        return _download(exports.export_pdf(text, request=request),
                         content_type="application/pdf", name=f"{name}.pdf")
    raise Http404
