"""Shared wording of humanitarian access: finding titles and audit actions, in one place."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

FINDING_TITLES = {
    "route_outside_area": _("The route leaves the agreed areas"),
    "outside_window": _("The movement is outside the agreed windows"),
    "late_notice": _("Notified too late"),
    "crossing_congestion": _("Crossing point congested"),
    "near_hazard": _("The route passes near a reported hazard"),
    "vehicle_limit": _("More vehicles than the agreement allows"),
    "cargo_limit": _("More cargo than the agreement allows"),
}

SEVERITY_NAMES = {
    "blocking": pgettext_lazy("finding", "blocking"),
    "warning": pgettext_lazy("finding", "warning"),
}

# Said wherever an acknowledgement is asked for or shown: the page, the API and the e-mail.
RECEIPT_NOT_GUARANTEE = _(
    "An acknowledgement is a receipt of the notification, not a security guarantee."
)

AUDIT_ACTIONS = {
    "movement.notify": _("notified"),
    "movement.amend": _("amended"),
    "movement.withdraw": _("withdrew"),
    "movement.override": _("overrode the findings"),
    "movement.acknowledge": _("acknowledged"),
    "movement.object": _("objected"),
    "movement.check_in": _("checked in"),
    "movement.complete": _("completed"),
    "movement.impede": _("reported impeded"),
    "movement.deny": _("denied"),
    "movement.cancel": _("cancelled"),
    "site.notify": _("notified the site"),
    "site.amend": _("amended the site"),
    "site.withdraw": _("withdrew the site"),
    "access_terms.set": _("set the access terms"),
}


def finding_title(code: str) -> str:
    return str(FINDING_TITLES.get(code, code))

# What people are told about a movement, in-app and by e-mail (`tasks.announce_movement`).
EVENT_TEXTS = {
    "movement.notified": _("%(organisation)s notified movement %(reference)s under "
                           "%(agreement)s (version %(version)d); please acknowledge receipt."),
    "movement.held": _("Movement %(reference)s of %(organisation)s has blocking findings and "
                       "waits for the secretariat's decision."),
    "movement.acknowledged": _("%(detail)s acknowledged receipt of %(reference)s."),
    "movement.objected": _("%(detail)s acknowledged %(reference)s with an objection."),
    "movement.overdue": _("%(detail)s has not acknowledged %(reference)s by its deadline; the "
                          "secretariat follows it up."),
    "movement.status": _("Movement %(reference)s is now %(status)s. %(detail)s"),
}
