"""Shared wording of humanitarian access: finding titles and texts, audit actions, in one place.

The engines return codes and parameters (docs/formats.md §5); the sentences are made here.
"""

from datetime import datetime

from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from parley.access.models import Hazard
from parley.ui.clock import read_instant
from parley.ui.words import duration_words

FINDING_TITLES = {
    "route_outside_area": _("The route leaves the agreed areas"),
    "outside_window": _("The movement is outside the agreed windows"),
    "late_notice": _("Notified too late"),
    "crossing_congestion": _("Crossing point congested"),
    "near_hazard": _("The route passes near a reported hazard"),
    "vehicle_limit": _("More vehicles than the agreement allows"),
    "cargo_limit": _("More cargo than the agreement allows"),
}

# A finding in the reader's language, from the engine's `params` (`presenters.finding_text`);
# the English `detail` is the findings CSV's and stays as the engine wrote it.
FINDING_TEXTS = {
    "route_outside_area": _("The route goes %(distance)s m outside every area of agreement "
                            "%(agreement)s (more than %(limit)s m allowed), farthest at "
                            "longitude %(lon)s, latitude %(lat)s."),
    "starts_outside": _("The movement starts at %(start)s, outside every window of agreement "
                        "%(agreement)s."),
    "next_window": _("The next window: %(window)s."),
    "last_window": _("The last window was %(window)s."),
    "no_window": _("The agreement has no window."),
    "ends_at_close": _("The movement ends at %(end)s, the instant the window %(window)s of "
                       "agreement %(agreement)s closes; a window's end is outside it."),
    "still_under_way": _("The movement is still under way when the window %(window)s of "
                         "agreement %(agreement)s closes; it ends at %(end)s."),
    "after_margin": _("The movement ends at %(end)s, later than %(deadline)s: movements must "
                      "be out %(margin)s before the window %(window)s of agreement "
                      "%(agreement)s closes."),
    "late_notice": _("%(given)s of notice given, %(required)s required by agreement "
                     "%(agreement)s (notified at %(notified)s, the movement starts at "
                     "%(start)s)."),
    "notified_after_start": _("Notified %(late)s after the movement starts, %(required)s of "
                              "notice required by agreement %(agreement)s (notified at "
                              "%(notified)s, the movement starts at %(start)s)."),
    "crossing_congestion": ngettext_lazy(
        "%(count)s movement (%(movements)s) passes crossing %(crossing)s in the hour "
        "%(window)s; its capacity is %(capacity)s per hour.",
        "%(count)s movements (%(movements)s) pass crossing %(crossing)s in the hour "
        "%(window)s; its capacity is %(capacity)s per hour.", "count"),
    "hazard_crossed": _("The route crosses the %(kind)s hazard %(hazard)s%(note)s."),
    "near_hazard": _("The route passes %(distance)s m from the %(kind)s hazard "
                     "%(hazard)s%(note)s, within the %(buffer)s m to keep clear."),
    "vehicle_limit": ngettext_lazy(
        "%(count)s vehicle notified; agreement %(agreement)s allows at most %(limit)s per "
        "movement.",
        "%(count)s vehicles notified; agreement %(agreement)s allows at most %(limit)s per "
        "movement.", "count"),
    "cargo_limit": _("%(quantity)s %(units)s of %(item)s notified; agreement %(agreement)s "
                     "allows at most %(limit)s per movement."),
}

# The units a cargo row offers, by the code stored in `cargo[].unit` (docs/formats.md §5). The API
# takes any unit text; a stored unit not listed here is shown and offered as it is.
CARGO_UNITS = {
    "t": pgettext_lazy("cargo unit", "tonnes"),
    "kg": pgettext_lazy("cargo unit", "kilograms"),
    "pallets": pgettext_lazy("cargo unit", "pallets"),
    "boxes": pgettext_lazy("cargo unit", "boxes"),
    "l": pgettext_lazy("cargo unit", "litres"),
    "vehicles": pgettext_lazy("cargo unit", "vehicles"),
    "persons": pgettext_lazy("cargo unit", "persons"),
    "doses": pgettext_lazy("cargo unit", "doses"),
}


# Codes that are unit symbols, shown beside the name ("tonnes (t)"); the other codes are English
# words, which a reader in another language does not need to see.
UNIT_SYMBOLS = {"t", "kg", "l"}


def cargo_unit_name(code: str) -> str:
    """"tonnes (t)", "pallets"; a unit outside the list as it was stored."""
    name = CARGO_UNITS.get(code)
    if name is None:
        return code
    return f"{name} ({code})" if code in UNIT_SYMBOLS else str(name)


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


def _number(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def _duration(seconds: float) -> str:
    """Hours and minutes, and the whole seconds when there are any: notice one second short of
    the lead time must not read as the lead time, and no fraction of a second is shown."""
    return duration_words(seconds, seconds=True)


def finding_text(finding: dict, zones=()) -> str:
    """The finding in the active language from the engine's `params`, instants in UTC and in
    `zones`; the engine's English detail for findings stored before params existed."""
    params = finding.get("params")
    if not params:
        return finding["detail"]
    code = finding["code"]

    def when(text: str) -> str:
        return read_instant(datetime.fromisoformat(text), list(zones))

    def window(pair: list[str]) -> str:
        return f"{when(pair[0])} – {when(pair[1])}"

    values = {"agreement": params.get("agreement", "")}
    if code == "route_outside_area":
        values.update(distance=_number(params["distance_m"]), limit=_number(params["limit_m"]),
                      lon=f"{finding['lon']:.6f}", lat=f"{finding['lat']:.6f}")
        return FINDING_TEXTS[code] % values
    if code == "outside_window":
        case = params["case"]
        if case == "starts_outside":
            text = FINDING_TEXTS[case] % {**values, "start": when(params["start"])}
            for key in ("next_window", "last_window"):
                if key in params:
                    return f"{text} {FINDING_TEXTS[key] % {'window': window(params[key])}}"
            return f"{text} {FINDING_TEXTS['no_window']}"
        values.update(end=when(params["end"]), window=window(params["window"]))
        if case == "after_margin":
            values.update(deadline=when(params["deadline"]), margin=_duration(params["margin_s"]))
        return FINDING_TEXTS[case] % values
    if code == "late_notice":
        values.update(required=_duration(params["required_s"]),
                      notified=when(params["notified_at"]), start=when(params["start"]))
        if params["notice_s"] < 0:
            return FINDING_TEXTS["notified_after_start"] % {
                **values, "late": _duration(params["notice_s"])}
        return FINDING_TEXTS[code] % {**values, "given": _duration(params["notice_s"])}
    if code == "crossing_congestion":
        return FINDING_TEXTS[code] % {
            "count": params["count"], "movements": ", ".join(params["movements"]),
            "crossing": params["crossing"], "window": window(params["window"]),
            "capacity": _number(params["capacity"])}
    if code == "near_hazard":
        kind = params["kind"]
        values.update(hazard=params["hazard"],
                      note=f" ({params['note']})" if params["note"] else "",
                      kind=str(Hazard.Kind(kind).label).lower() if kind in Hazard.Kind.values
                      else kind)
        if params["distance_m"] == 0:
            return FINDING_TEXTS["hazard_crossed"] % values
        return FINDING_TEXTS[code] % {**values, "distance": _number(params["distance_m"]),
                                      "buffer": _number(params["buffer_m"])}
    if code == "vehicle_limit":
        return FINDING_TEXTS[code] % {**values, "count": params["count"],
                                      "limit": _number(params["limit"])}
    if code == "cargo_limit":
        return FINDING_TEXTS[code] % {**values, "quantity": _number(params["quantity"]),
                                      "units": params["units"], "item": params["item"],
                                      "limit": _number(params["limit"])}
    return finding["detail"]
