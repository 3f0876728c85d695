"""Verification of events by monitors, and the parties' own accounts of an event."""


from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext

from parley.audit.services import audit_append
from parley.core.types import Actor, party_of
from parley.monitoring import rules
from parley.monitoring.models import (
    Event,
    PartyAccount,
    Verification,
)
from parley.monitoring.services.common import TRANSITIONS, _ensure
from parley.monitoring.services.reports import _store_evidence


def _verify(
    *, actor: Actor, event: Event, to_status: str, reasoning: str, files: Iterable[UploadedFile],
) -> Event:
    from parley.monitoring.selectors import event_get

    event = event_get(actor=actor, reference=event.reference)
    _ensure(rules.can_verify_event, actor, message=gettext("Only monitors verify events."))
    reasoning = (reasoning or "").strip()
    if "\x00" in reasoning:
        raise ValidationError({"reasoning": [gettext("Remove the NUL character from the text.")]})
    if to_status != Event.Status.UNDER_REVIEW and not reasoning:
        raise ValidationError({"reasoning": [gettext("Give the reasoning for the conclusion.")]})
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        action = TRANSITIONS.get((event.status, to_status))
        if action is None:
            raise ValidationError({"status": [
                gettext("Event %(reference)s is %(status)s; it cannot become %(target)s.")
                % {"reference": event.reference, "status": event.get_status_display(),
                   "target": Event.Status(to_status).label}
            ]})
        before = event.status
        event.status = to_status
        event.save(update_fields=["status", "updated_at"])
        step = Verification.objects.create(event=event, from_status=before, to_status=to_status,
                                           reasoning=reasoning, actor=actor)
        for upload in files:
            _store_evidence(actor=actor, upload=upload, verification=step)
        audit_append(actor=actor, action=action, obj=event, before={"status": before},
                     after={"status": to_status, "reasoning": reasoning,
                            "files": [e.sha256 for e in step.evidence.all()]})
    return event


def event_start_review(
    *, actor: Actor, event: Event, reasoning: str = "", files: Iterable[UploadedFile] = (),
) -> Event:
    return _verify(actor=actor, event=event, to_status=Event.Status.UNDER_REVIEW,
                   reasoning=reasoning, files=files)


def event_confirm(
    *, actor: Actor, event: Event, reasoning: str, files: Iterable[UploadedFile] = (),
) -> Event:
    return _verify(actor=actor, event=event, to_status=Event.Status.CONFIRMED,
                   reasoning=reasoning, files=files)


def event_dismiss(
    *, actor: Actor, event: Event, reasoning: str, files: Iterable[UploadedFile] = (),
) -> Event:
    return _verify(actor=actor, event=event, to_status=Event.Status.DISMISSED,
                   reasoning=reasoning, files=files)


def event_mark_unverifiable(
    *, actor: Actor, event: Event, reasoning: str, files: Iterable[UploadedFile] = (),
) -> Event:
    return _verify(actor=actor, event=event, to_status=Event.Status.UNVERIFIABLE,
                   reasoning=reasoning, files=files)


def party_account_attach(
    *, actor: Actor, event: Event, text: str, shared: bool = False,
) -> PartyAccount:
    """A belligerent party's own account of an event it can see."""
    from parley.monitoring.selectors import event_get

    event = event_get(actor=actor, reference=event.reference)
    _ensure(rules.can_attach_account, actor,
            message=gettext("A party's delegates give its account of an event."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [gettext("Write the account.")]})
    if "\x00" in text:
        raise ValidationError({"text": [gettext("Remove the NUL character from the text.")]})
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=event.pk)
        account = PartyAccount.objects.create(event=event, party=party_of(actor), author=actor,
                                              text=text, shared=bool(shared))
        audit_append(actor=actor, action="event.attach_account", obj=event,
                     after={"account": account.pk, "party": party_of(actor).slug,
                            "shared": account.shared})
    return account
