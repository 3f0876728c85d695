"""Shared wording of the monitoring pages, in one place."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from parley.monitoring.models import Event

STATUS_NAMES: dict[str, Promise] = {
    Event.Status.CANDIDATE: pgettext_lazy("event", "Candidate"),
    Event.Status.UNDER_REVIEW: pgettext_lazy("event", "Under review"),
    Event.Status.CONFIRMED: pgettext_lazy("event", "Confirmed violation"),
    Event.Status.DISMISSED: pgettext_lazy("event", "Dismissed"),
    Event.Status.UNVERIFIABLE: pgettext_lazy("event", "Unverifiable"),
}

VERIFY_BUTTONS: dict[str, Promise] = {
    Event.Status.UNDER_REVIEW: _("Start the review"),
    Event.Status.CONFIRMED: _("Confirm the violation"),
    Event.Status.DISMISSED: _("Dismiss"),
    Event.Status.UNVERIFIABLE: _("Mark unverifiable"),
}

VERIFIED_MESSAGES = {
    Event.Status.UNDER_REVIEW: _("%(reference)s is under review."),
    Event.Status.CONFIRMED: _("%(reference)s is confirmed as a violation of the pause."),
    Event.Status.DISMISSED: _("%(reference)s is dismissed."),
    Event.Status.UNVERIFIABLE: _("%(reference)s is marked unverifiable."),
}

AUDIT_ACTIONS = {
    "event.start_review": pgettext_lazy("audit", "started the review"),
    "event.confirm": pgettext_lazy("audit", "confirmed the violation"),
    "event.dismiss": pgettext_lazy("audit", "dismissed"),
    "event.mark_unverifiable": pgettext_lazy("audit", "marked unverifiable"),
    "event.attach_account": pgettext_lazy("audit", "attached the party's account"),
}
