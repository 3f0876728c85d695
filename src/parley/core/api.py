from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from parley.core import selectors, services
from parley.core.auth import API_AUTH
from parley.core.errors import NotFound
from parley.core.schemas import PartyOut, TokenCreatedOut, TokenIn, TokenOut
from parley.core.types import ApiRequest

router = Router(tags=["parties"], auth=API_AUTH)


@router.get("/parties", response=list[PartyOut])
@paginate(LimitOffsetPagination)
def party_list(request: ApiRequest):
    return selectors.party_list(actor=request.auth)


@router.get("/tokens", response=list[TokenOut], tags=["tokens"])
@paginate(LimitOffsetPagination)
def token_list(request: ApiRequest):
    return selectors.api_token_list(actor=request.auth)


@router.post("/tokens", response={201: TokenCreatedOut}, tags=["tokens"])
def token_create(request: ApiRequest, payload: TokenIn):
    token, raw = services.api_token_create(actor=request.auth, name=payload.name,
                                           scope=payload.scope,
                                           expires_in_days=payload.expires_in_days)
    return Status(201, {**TokenOut.from_orm(token).model_dump(), "token": raw})


@router.delete("/tokens/{token_id}", response=TokenOut, tags=["tokens"])
def token_revoke(request: ApiRequest, token_id: int):
    token = selectors.api_token_list(actor=request.auth).filter(pk=token_id).first()
    if token is None:
        raise NotFound("token")
    return services.api_token_revoke(actor=request.auth, token=token)
