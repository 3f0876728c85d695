"""The talks' API: the same services and selectors as the pages, the same need-to-know."""

from django.http import HttpResponse
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from parley.core.auth import API_AUTH
from parley.core.errors import NotFound
from parley.core.types import ApiRequest
from parley.talks import exports, selectors, services
from parley.talks.schemas import (
    AgendaItemIn,
    AgendaItemOut,
    AnswerIn,
    CommitmentOut,
    CommitmentStatusIn,
    ItemStatusIn,
    KeyIn,
    PositionIn,
    PositionOut,
    ProcessOut,
    PulseOut,
    ResolveIn,
    RoundOut,
    SessionOut,
    SignatureIn,
    TextOut,
    WordingIn,
)
from parley.talks.selectors.texts import bracket_label

router = Router(tags=["talks"], auth=API_AUTH)


@router.get("/processes", response=list[ProcessOut])
@paginate(LimitOffsetPagination)
def process_list(request: ApiRequest):
    return selectors.process_list(actor=request.auth)


@router.get("/processes/{process_id}", response=ProcessOut)
def process_detail(request: ApiRequest, process_id: int):
    return selectors.process_get(actor=request.auth, pk=process_id)


@router.get("/rounds", response=list[RoundOut])
@paginate(LimitOffsetPagination)
def round_list(request: ApiRequest, process: int | None = None):
    parent = selectors.process_get(actor=request.auth, pk=process) if process is not None else None
    return selectors.round_list(actor=request.auth, process=parent)


@router.get("/rounds/{round_id}/sessions", response=list[SessionOut])
@paginate(LimitOffsetPagination)
def session_list(request: ApiRequest, round_id: int):
    round_ = selectors.round_get(actor=request.auth, pk=round_id)
    return selectors.session_list(actor=request.auth, round=round_)


@router.get("/rounds/{round_id}/agenda", response=list[AgendaItemOut])
@paginate(LimitOffsetPagination)
def agenda(request: ApiRequest, round_id: int):
    round_ = selectors.round_get(actor=request.auth, pk=round_id)
    return selectors.agenda_items(actor=request.auth, round=round_)


@router.post("/agenda-items", response={201: AgendaItemOut})
def agenda_item_create(request: ApiRequest, payload: AgendaItemIn):
    round_ = selectors.round_get(actor=request.auth, pk=payload.round)
    item = services.agenda_item_create(actor=request.auth, round=round_, title=payload.title,
                                       topic=payload.topic)
    return Status(201, item)


@router.post("/agenda-items/{item_id}/status", response=AgendaItemOut)
def agenda_item_status(request: ApiRequest, item_id: int, payload: ItemStatusIn):
    item = selectors.agenda_item_get(actor=request.auth, pk=item_id)
    return services.agenda_item_set_status(actor=request.auth, item=item, status=payload.status)


@router.get("/agenda-items/{item_id}/positions", response=list[PositionOut])
@paginate(LimitOffsetPagination)
def positions(request: ApiRequest, item_id: int):
    item = selectors.agenda_item_get(actor=request.auth, pk=item_id)
    return selectors.positions(actor=request.auth, item=item)


@router.post("/agenda-items/{item_id}/positions", response={201: PositionOut})
def position_take(request: ApiRequest, item_id: int, payload: PositionIn):
    item = selectors.agenda_item_get(actor=request.auth, pk=item_id)
    round_ = selectors.round_get(actor=request.auth, pk=payload.round)
    position = services.position_take(actor=request.auth, item=item, round=round_,
                                      kind=payload.kind, text=payload.text,
                                      visibility=payload.visibility)
    return Status(201, position)


@router.get("/positions/{position_id}", response=PositionOut)
def position_detail(request: ApiRequest, position_id: int):
    return selectors.position_get(actor=request.auth, pk=position_id)


def _text_out(actor, text) -> dict:
    export = selectors.text_export(text)
    return {
        "id": text.pk, "agreement": text.agreement.code, "title": text.title,
        "status": text.status, "sha256": export["sha256"],
        "provisions": [
            {"id": view.provision.pk, "number": view.provision.number,
             "body": view.provision.body,
             "brackets": [{"id": b.pk, "party": bracket_label(b.party), "wording": b.wording,
                           "resolved": b.resolved_at is not None} for b in view.brackets],
             "comments": [{"party": c.party.slug, "text": c.text, "visibility": c.visibility}
                          for c in view.comments],
             "terms_problem": view.terms_problem}
            for view in selectors.text_provisions(actor=actor, text=text)],
    }


@router.get("/texts/{text_id}", response=TextOut)
def text_detail(request: ApiRequest, text_id: int):
    return _text_out(request.auth, selectors.text_get(actor=request.auth, pk=text_id))


def _provision(actor, text_id: int, number: str):
    text = selectors.text_get(actor=actor, pk=text_id)
    article, _dot, paragraph = number.partition(".")
    provision = text.provisions.filter(article=article, paragraph=paragraph).first() \
        if article.isdigit() and paragraph.isdigit() else None
    if provision is None:
        raise NotFound("provision")
    return text, provision


@router.post("/texts/{text_id}/provisions/{number}/brackets", response={201: TextOut})
def bracket_propose(request: ApiRequest, text_id: int, number: str, payload: WordingIn):
    text, provision = _provision(request.auth, text_id, number)
    rounds = sorted(text.process.rounds.all(), key=lambda r: (r.date, r.name))
    if not rounds:
        raise NotFound("round")
    services.bracket_propose(actor=request.auth, provision=provision, wording=payload.wording,
                             round=rounds[-1])
    return Status(201, _text_out(request.auth, text))


@router.post("/texts/{text_id}/provisions/{number}/resolve", response=TextOut)
def bracket_resolve(request: ApiRequest, text_id: int, number: str, payload: ResolveIn):
    text, provision = _provision(request.auth, text_id, number)
    bracket = None
    if payload.bracket is not None:
        bracket = provision.brackets.filter(pk=payload.bracket).first()
        if bracket is None:
            raise NotFound("bracket")
    services.bracket_resolve(actor=request.auth, provision=provision, bracket=bracket,
                             wording=payload.wording)
    return _text_out(request.auth, text)


@router.post("/texts/{text_id}/initial", response=TextOut)
def text_initial(request: ApiRequest, text_id: int):
    text = selectors.text_get(actor=request.auth, pk=text_id)
    return _text_out(request.auth, services.text_initial(actor=request.auth, text=text))


@router.post("/signing-keys", response={201: dict})
def signing_key_register(request: ApiRequest, payload: KeyIn):
    key = services.signing_key_register(actor=request.auth, public_key=payload.public_key)
    return Status(201, {"party": key.party.slug, "key_id": key.key_id})


@router.post("/texts/{text_id}/signatures", response={201: TextOut})
def text_sign(request: ApiRequest, text_id: int, payload: SignatureIn):
    text = selectors.text_get(actor=request.auth, pk=text_id)
    services.text_sign(actor=request.auth, text=text, signature=payload.signature)
    return Status(201, _text_out(request.auth,
                                 selectors.text_get(actor=request.auth, pk=text_id)))


@router.get("/texts/{text_id}/export", response=dict)
def text_export(request: ApiRequest, text_id: int):
    """The signed export (`parley-signed-text/1`) that `parley text verify` checks."""
    text = selectors.text_get(actor=request.auth, pk=text_id)
    return HttpResponse(exports.export_json(text), content_type="application/json")


def _commitment_out(commitment) -> dict:
    return {
        "id": commitment.pk, "party": commitment.party.slug, "what": commitment.what,
        "due_at": commitment.due_at, "verification": commitment.verification,
        "status": commitment.status,
        "provision": f"{commitment.provision.text.agreement.code} {commitment.provision.number}"
        if commitment.provision_id else None,
        "evidence": [{"kind": e.kind, "reference": e.reference, "note": e.note}
                     for e in commitment.evidence.all()],
        "answers": [{"party": a.party.slug, "text": a.text, "created_at": a.created_at}
                    for a in commitment.answers.all()],
    }


@router.get("/commitments", response=list[CommitmentOut])
@paginate(LimitOffsetPagination)
def commitment_list(request: ApiRequest, process: int | None = None):
    parent = selectors.process_get(actor=request.auth, pk=process) if process is not None else None
    return [_commitment_out(c)
            for c in selectors.visible_commitments(actor=request.auth, process=parent)]


@router.get("/commitments/{commitment_id}", response=CommitmentOut)
def commitment_detail(request: ApiRequest, commitment_id: int):
    return _commitment_out(selectors.commitment_get(actor=request.auth, pk=commitment_id))


@router.post("/commitments/{commitment_id}/status", response=CommitmentOut)
def commitment_status(request: ApiRequest, commitment_id: int, payload: CommitmentStatusIn):
    commitment = selectors.commitment_get(actor=request.auth, pk=commitment_id)
    services.commitment_set_status(
        actor=request.auth, commitment=commitment, status=payload.status,
        evidence=[(e.kind, e.reference) for e in payload.evidence], note=payload.note)
    return _commitment_out(selectors.commitment_get(actor=request.auth, pk=commitment_id))


@router.post("/commitments/{commitment_id}/answers", response={201: CommitmentOut})
def commitment_answer(request: ApiRequest, commitment_id: int, payload: AnswerIn):
    commitment = selectors.commitment_get(actor=request.auth, pk=commitment_id)
    services.commitment_answer(actor=request.auth, commitment=commitment, text=payload.text)
    return Status(201, _commitment_out(
        selectors.commitment_get(actor=request.auth, pk=commitment_id)))


@router.get("/processes/{process_id}/pulse", response=PulseOut)
def pulse(request: ApiRequest, process_id: int, public: bool = False):
    process = selectors.process_get(actor=request.auth, pk=process_id)
    figures = selectors.pulse(actor=request.auth, process=process, public=public)
    return {
        "days_since_last_round": figures.days_since_last_round,
        "items_agreed": figures.items_agreed, "items_open": figures.items_open,
        "pauses_agreed": figures.pauses_agreed, "pause_hours": figures.pause_hours,
        "share_without_confirmed_violation": figures.share_without_confirmed,
        "texts_signed": figures.texts_signed,
        "commitments": {party or "all": dict(counts)
                        for party, counts in figures.commitments.items()},
        "figures": {key: value for key, _label, value in figures.figures},
    }
