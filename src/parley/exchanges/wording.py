"""Shared wording of the exchange pages, in one place."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SERIOUS_LABEL = _("seriously wounded or sick")

FIELD_LABELS = {
    "record_id": _("record id"),
    "family_name": _("family name"),
    "given_name": _("given names"),
    "patronymic": _("father's name"),
    "date_of_birth": _("date of birth"),
    "place_of_birth": _("place of birth"),
    "rank": _("rank"),
    "service_number": _("service number"),
    "military_unit": pgettext_lazy("military", "unit"),
    "power_depended_on": _("power depended on"),
    "next_of_kin": _("who to inform"),
    "mothers_maiden_name": _("mother's maiden name"),
    "sex": _("sex"),
    "date_of_capture": _("date of capture or detention"),
    "place_of_capture": _("place of capture or detention"),
    "health": _("health"),
    "category": _("category"),
}

FORMULA_NAMES = {
    "all_for_all": _("All for all"),
    "all_identified": _("All identified for all identified"),
    "n_for_m": _("N for M"),
    "category": _("A category (such as the seriously wounded and sick)"),
    "remains": _("Remains"),
}

FIELD_STATES = {
    "agree": _("agree"),
    "close": _("close"),
    "disagree": _("disagree"),
    "missing": _("missing"),
}

# What the parties see of a person who refused repatriation at the interview: not the reason.
WITHDRAWN = _("Withdrawn from the list")


AUDIT_ACTIONS = {
    "exchanges.list_upload": pgettext_lazy("audit", "uploaded a list"),
    "exchanges.person_correct": pgettext_lazy("audit", "corrected a record"),
    "exchanges.reconcile": pgettext_lazy("audit", "reconciled the lists"),
    "exchanges.pair_decide": pgettext_lazy("audit", "decided on a match"),
    "exchanges.interview": pgettext_lazy("audit", "recorded an interview"),
    "exchanges.handover": pgettext_lazy("audit", "recorded a handover"),
    "exchanges.day_sign": pgettext_lazy("audit", "signed the day's totals"),
}
