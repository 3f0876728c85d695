"""Person lists, reconciliation and exchanges over HTTP: parse, one service or selector call,
render. Every identity in an answer is logged as a view; "not yours" is 404."""

from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from parley.core.auth import API_AUTH
from parley.core.models import Party
from parley.core.types import ApiRequest, existing
from parley.exchanges import selectors, services
from parley.exchanges.models import IdentityView
from parley.exchanges.schemas import (
    CorrectionIn,
    DecisionIn,
    ExchangeOut,
    FigureOut,
    ListOut,
    PairOut,
    PersonOut,
    ReconcileIn,
    ReconciliationOut,
    UploadOut,
)

router = Router(tags=["exchanges"], auth=API_AUTH)


def _list_out(person_list, listed: int | None = None) -> dict:
    return {"id": person_list.pk, "party": person_list.party.slug, "side": person_list.side,
            "counterpart": person_list.counterpart.slug, "title": person_list.title,
            "listed": listed if listed is not None
            else person_list.persons.filter(withdrawn=False).count(),
            "uploaded_at": person_list.uploaded_at}


def _person_out(actor, person, identity: dict) -> dict:
    sees_refusal = selectors.refusal_visible(actor)
    status = person.status
    if status == "refused" and not sees_refusal:
        status = "withdrawn"
    return {"id": person.pk, "reference": person.reference, "category": person.category,
            "seriously_wounded_or_sick": person.seriously_wounded_or_sick, "status": status,
            "withdrawn": person.withdrawn,
            "identity": {key: value for key, value in identity.items()
                         if isinstance(value, str)}}


@router.get("/exchanges/lists", response=list[ListOut])
def lists(request: ApiRequest):
    return [_list_out(item["list"], item["listed"])
            for item in selectors.list_summaries(actor=request.auth)]


@router.post("/exchanges/lists", response={201: UploadOut})
def upload(request: ApiRequest, title: Form[str], side: Form[str], counterpart: Form[str],
           file: File[UploadedFile]):
    """A CSV or XLSX list (docs/formats.md §6) as the list `title` of the caller's party: all or
    nothing, idempotent; 422 names every rejected row (`rows[N].field`)."""
    party = Party.objects.filter(slug=counterpart).first()
    report = services.person_list_upload(
        actor=request.auth, side=side, counterpart=party, title=title, content=file.read(),
        filename=file.name or "list.csv")
    return Status(201, {"list": _list_out(report.person_list), "created": report.created,
                        "updated": report.updated, "withdrawn": report.withdrawn,
                        "unchanged": report.unchanged})


@router.get("/exchanges/lists/{list_id}/persons", response=list[PersonOut])
def persons(request: ApiRequest, list_id: int, q: str = "", category: str = "",
            status: str = "", withdrawn: bool = False):
    actor = request.auth
    person_list = selectors.person_list_get(actor=actor, pk=list_id)
    rows = selectors.person_rows(actor=actor, person_list=person_list, query=q,
                                 category=category, status=status, withdrawn=withdrawn)
    identities = services.identities_reveal(actor=actor, persons=rows,
                                            surface=IdentityView.Surface.API)
    return [_person_out(actor, person, identities[person.pk]) for person in rows]


@router.patch("/exchanges/persons/{person_id}", response=PersonOut)
def correct(request: ApiRequest, person_id: int, payload: CorrectionIn):
    actor = request.auth
    person = selectors.person_get(actor=actor, pk=person_id)
    changes = dict(payload.fields)
    if payload.category is not None:
        changes["category"] = payload.category
    person = services.person_correct(actor=actor, person=person, changes=changes)
    identity = services.identities_reveal(actor=actor, persons=[person],
                                          surface=IdentityView.Surface.API)[person.pk]
    return _person_out(actor, person, identity)


@router.get("/exchanges/figures", response=list[FigureOut])
def figures(request: ApiRequest):
    """Counts per party, side and category: the only public figures."""
    return selectors.public_figures()


@router.post("/exchanges/reconciliations", response={201: ReconciliationOut})
def reconcile(request: ApiRequest, payload: ReconcileIn):
    actor = request.auth
    run = services.reconciliation_run(
        actor=actor, held_list=selectors.person_list_get(actor=actor, pk=payload.held_list),
        sought_list=selectors.person_list_get(actor=actor, pk=payload.sought_list),
        threshold=payload.threshold)
    return Status(201, {"id": run.pk, "held_list": run.held_list_id,
                        "sought_list": run.sought_list_id, "run_at": run.run_at,
                        "figures": run.figures})


@router.get("/exchanges/reconciliations/{run_id}/pairs", response=list[PairOut])
def pairs(request: ApiRequest, run_id: int, state: str = ""):
    actor = request.auth
    run = selectors.reconciliation_get(actor=actor, pk=run_id)
    return [{"id": pair.pk, "held": pair.held.reference, "sought": pair.sought.reference,
             "probability": pair.probability, "state": pair.state, "fields": pair.fields}
            for pair in selectors.reconciliation_pairs(actor=actor, run=run, state=state)]


@router.post("/exchanges/pairs/{pair_id}/decision", response=PairOut)
def decide(request: ApiRequest, pair_id: int, payload: DecisionIn):
    actor = request.auth
    pair = services.pair_decide(actor=actor, pair=selectors.pair_get(actor=actor, pk=pair_id),
                                same_person=payload.same_person)
    return {"id": pair.pk, "held": pair.held.reference, "sought": pair.sought.reference,
            "probability": pair.probability, "state": pair.state, "fields": pair.fields}


@router.get("/exchanges/{code}", response=ExchangeOut)
def exchange(request: ApiRequest, code: str):
    actor = request.auth
    view = selectors.exchange_view(
        actor=actor, agreement=selectors.exchange_get(actor=actor, code=code))
    return {
        "code": view.agreement.code, "title": view.agreement.title,
        "status": view.agreement.status, "version": existing(
            view.agreement.current_version, f"version of {code}").number,
        "formula": view.terms.get("formula", ""), "place": view.terms.get("place", ""),
        "days": view.terms.get("days", []),
        "sides": [{"party": existing(side.party, "a side's party").slug,
                   "receiving": existing(side.receiving, "a side's receiving party").slug,
                   "balance": side.balance,
                   "persons": [p.reference for p in side.persons] if view.sees_persons
                   else None} for side in view.sides],
    }
