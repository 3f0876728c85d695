"""Humanitarian access fixtures: an agreed corridor open in the near future, and movements on it.

Everything is relative to the clock, because a notification is checked against the time it is
made (lead time) and only agreements that are not over take movements.
"""

import copy
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from parley.access import services
from parley.access.content import MovementContent
from parley.agreements.models import Agreement
from parley.core.models import Party, User
from tests.factories import AgreementFactory, Cast, PartyFactory, UserFactory, cast

# Along the factories' corridor (Vasylivka towards Zaporizhzhia, 2 km wide): its two ends and
# the point halfway, straight in longitude/latitude as the corridor's edge is.
ROUTE = {"type": "LineString",
         "coordinates": [[35.2745, 47.4373], [35.20705, 47.63805], [35.1396, 47.8388]]}
# The same, bent 0.1° (about 7.5 km) east at the middle: outside the corridor.
ROUTE_OUTSIDE = {"type": "LineString",
                 "coordinates": [[35.2745, 47.4373], [35.30705, 47.63805], [35.1396, 47.8388]]}
# The factories' corridor drawn as one feature per side of the line of contact, which it
# crosses halfway: the southern half controlled by Ukraine, the northern by Russia.
SIDES = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "id": "C1-UA",
     "geometry": {"type": "LineString", "coordinates": [[35.2745, 47.4373], [35.20705, 47.63805]]},
     "properties": {"width_m": 2000, "party": "ukraine"}},
    {"type": "Feature", "id": "C1-RU",
     "geometry": {"type": "LineString", "coordinates": [[35.20705, 47.63805], [35.1396, 47.8388]]},
     "properties": {"width_m": 2000, "party": "russia"}},
]}
# A quarter of the way along the corridor and back: on the Ukrainian side only, 11 km from
# the Russian side.
ROUTE_UKRAINIAN_SIDE = {"type": "LineString",
                        "coordinates": [[35.2745, 47.4373], [35.240775, 47.537675]]}
TRUCKS = [{"type": "truck", "plate": "AP 1201 KC"}, {"type": "truck", "plate": "AP 1202 KC"}]
CARGO = [{"item": "wheat flour", "quantity": 40, "unit": "t"}]
PERSONNEL = ["Giulia Romano (convoy leader)", "Driver 1", "Driver 2"]


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def window_start(days_ahead: int = 2) -> datetime:
    """Whole hour, `days_ahead` days from now: far enough for a 24-hour lead time."""
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    return now + timedelta(days=days_ahead)


@dataclass
class AccessCast:
    people: Cast
    agreement: Agreement
    start: datetime
    wfp: Party
    wfp_liaison: User
    wfp_driver: User
    third: Party
    third_delegate: User
    ru_liaison: User


def access_cast(*, hours: int = 8, lead_time_h: int = 24, margin_min: int = 30,
                areas: dict | None = None) -> AccessCast:
    """The cast of the talks, WFP (the notifying organisation), a belligerent party the
    agreement does not bind (its data must never leak there), and an agreed corridor whose one
    window opens two days from now."""
    people = cast()
    start = window_start()
    agreement = AgreementFactory(
        code="HP-2026-101", status=Agreement.Status.AGREED, owner=people.mediator,
        process=people.process, purpose=Agreement.Purpose.AID,
        version__windows=[{"start": iso(start), "end": iso(start + timedelta(hours=hours))}],
        version__lead_time_h=lead_time_h, version__margin_min=margin_min,
        **({"version__areas": copy.deepcopy(areas)} if areas else {}),
    )
    wfp = PartyFactory(slug="wfp", kind=Party.Kind.HUMANITARIAN, name_en="WFP",
                       time_zones=["Europe/Rome"])
    third = PartyFactory(slug="third-state", kind=Party.Kind.BELLIGERENT, name_en="Third State",
                         time_zones=["Europe/Minsk"])
    return AccessCast(
        people=people, agreement=agreement, start=start, wfp=wfp,
        wfp_liaison=UserFactory(username="wfp", party=wfp, role=User.Role.LIAISON),
        wfp_driver=UserFactory(username="wfp-driver", party=wfp, role=User.Role.OBSERVER),
        third=third,
        third_delegate=UserFactory(username="third-delegate", party=third,
                                   role=User.Role.DELEGATE),
        ru_liaison=UserFactory(username="ru-liaison", party=people.russia,
                               role=User.Role.LIAISON),
    )


def notify(c: AccessCast, *, route=None, depart: datetime | None = None, speed_kmh=40.0,
           hold_for_secretariat: bool = False):
    """WFP notifies a two-truck convoy leaving an hour after the window opens."""
    return services.movement_notify(
        actor=c.wfp_liaison, agreement=c.agreement, purpose="aid",
        hold_for_secretariat=hold_for_secretariat,
        content=MovementContent(
            route=route or ROUTE, depart=depart or c.start + timedelta(hours=1),
            speed_kmh=speed_kmh, vehicles=TRUCKS, personnel=PERSONNEL, cargo=CARGO,
            crossings=["Vasylivka checkpoint"],
        ),
    )
