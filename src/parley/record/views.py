"""The Record page, the "verify" page of an audit entry, and the log served as C2SP tlog-tiles
(read-only) with the witness exchange (C2SP tlog-witness add-checkpoint, pulled by the party's
witness: it GETs the request body, checks it, and POSTs back the cosigned checkpoint).

The log and witness endpoints take a signed-in session or a personal API token
(`Authorization: Bearer prl_...`); the POSTs take only the token (no cookies, so no CSRF).
"""

import functools

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from parley.core.auth import SAFE_METHODS
from parley.core.errors import Forbidden, NotFound, Unauthenticated
from parley.core.services import api_token_authenticate
from parley.record import presenters, selectors, services


def _member(view):
    """Session or bearer token; 404 for anyone who is not a party member."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            try:
                user = api_token_authenticate(raw=header.removeprefix("Bearer ").strip(),
                                              write=request.method not in SAFE_METHODS)
            except Unauthenticated as error:
                return HttpResponse(f"{error}\n", status=401, content_type="text/plain")
            except Forbidden as error:
                return HttpResponse(f"{error}\n", status=403, content_type="text/plain")
            if user is None:
                return HttpResponse("unknown token\n", status=401, content_type="text/plain")
            request.user = user
        elif request.method != "GET":
            return HttpResponse("a personal API token is required\n", status=401,
                                content_type="text/plain")
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404(str(error)) from error
        except Forbidden as error:
            return HttpResponse(f"{error}\n", status=403, content_type="text/plain")
        except ValidationError as error:
            return HttpResponse("\n".join(error.messages) + "\n", status=422,
                                content_type="text/plain")

    return wrapper


@require_GET
@_member
def checkpoint(request):
    response = HttpResponse(selectors.checkpoint_note(actor=request.user),
                            content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@_member
def tile(request, path):
    response = HttpResponse(selectors.tile_bytes(actor=request.user, path=f"tile/{path}"),
                            content_type="application/octet-stream")
    response["Cache-Control"] = "private, max-age=604800, immutable"
    return response


@require_GET
@_member
def add_checkpoint(request):
    old = request.GET.get("old", "0")
    if not old.isdigit():
        return HttpResponse("old is a tree size\n", status=400, content_type="text/plain")
    body = selectors.add_checkpoint_body(actor=request.user, old_size=int(old))
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


@csrf_exempt
@require_POST
@_member
def cosignature(request):
    services.cosignature_add(actor=request.user, note=request.body)
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
@_member
def alarm(request):
    message = request.body.decode(errors="replace").strip() or "(no message)"
    services.witness_alarm_raise(actor=request.user, message=message)
    return HttpResponse(status=204)


def _page(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        from django.contrib.auth.views import redirect_to_login

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404(str(error)) from error

    return wrapper


@_page
def record_page(request):
    overview = selectors.record_overview(actor=request.user)
    return render(request, "record/record.html", presenters.record(overview, actor=request.user))


@_page
def entry_verify(request, entry_id: int):
    verification = selectors.entry_verification(actor=request.user, entry_id=entry_id)
    return render(request, "record/verify.html",
                  presenters.verification(verification, actor=request.user))
