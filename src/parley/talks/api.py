from django.http import HttpRequest
from ninja import Router

from parley.core.auth import API_AUTH
from parley.talks import selectors
from parley.talks.schemas import ProcessOut, RoundOut

router = Router(tags=["talks"], auth=API_AUTH)


@router.get("/processes", response=list[ProcessOut])
def process_list(request: HttpRequest):
    return selectors.process_list(actor=request.auth)


@router.get("/processes/{process_id}", response=ProcessOut)
def process_detail(request: HttpRequest, process_id: int):
    return selectors.process_get(actor=request.auth, pk=process_id)


@router.get("/rounds", response=list[RoundOut])
def round_list(request: HttpRequest, process: int | None = None):
    parent = selectors.process_get(actor=request.auth, pk=process) if process is not None else None
    return selectors.round_list(actor=request.auth, process=parent)
