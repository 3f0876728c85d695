"""Factories with no surprises: every value is visible here, nothing random that a test reads."""

import copy
import datetime
from dataclasses import dataclass

import factory

from parley.agreements.models import Agreement, AgreementVersion
from parley.core.models import Party, User
from parley.talks.models import Process, Round

# A 2 km wide corridor from Vasylivka towards Zaporizhzhia (docs/formats.md §2, longitude first).
CORRIDOR = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "id": "C1",
            "geometry": {
                "type": "LineString",
                "coordinates": [[35.2745, 47.4373], [35.1396, 47.8388]],
            },
            "properties": {"width_m": 2000},
        }
    ],
}
# One window of six hours on 1 March 2026, written in Kyiv time (UTC+2 in winter).
WINDOW = {"start": "2026-03-01T08:00:00+02:00", "end": "2026-03-01T14:00:00+02:00"}


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"party-{n}")
    kind = Party.Kind.BELLIGERENT
    name_en = factory.LazyAttribute(lambda party: party.slug.replace("-", " ").title())
    time_zones = factory.LazyFunction(lambda: ["Europe/Kyiv"])


def ukraine() -> Party:
    return PartyFactory(
        slug="ukraine", kind=Party.Kind.BELLIGERENT, name_en="Ukraine", name_uk="Україна",
        name_ru="Украина", time_zones=["Europe/Kyiv"],
    )


def russia() -> Party:
    return PartyFactory(
        slug="russia", kind=Party.Kind.BELLIGERENT, name_en="Russian Federation",
        name_uk="Російська Федерація", name_ru="Российская Федерация",
        time_zones=["Europe/Moscow"],
    )


def mediator() -> Party:
    return PartyFactory(
        slug="switzerland", kind=Party.Kind.MEDIATOR, name_en="Switzerland",
        time_zones=["Europe/Zurich"],
    )


def icrc() -> Party:
    return PartyFactory(
        slug="icrc", kind=Party.Kind.HUMANITARIAN, name_en="ICRC", time_zones=["Europe/Zurich"],
        is_intermediary=True,
    )


def monitor() -> Party:
    return PartyFactory(
        slug="monitor", kind=Party.Kind.MONITOR, name_en="Monitoring mission",
        time_zones=["Europe/Kyiv"],
    )


def observer() -> Party:
    return PartyFactory(
        slug="observer", kind=Party.Kind.OBSERVER, name_en="Observer state",
        time_zones=["Europe/Berlin"],
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    party = factory.SubFactory(PartyFactory)
    role = User.Role.DELEGATE
    password = factory.django.Password("correct horse battery staple")


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Process

    name = factory.Sequence(lambda n: f"Geneva Peace Talks {n}")
    host = factory.LazyFunction(mediator)
    mediator = factory.LazyFunction(mediator)
    description = "Talks on humanitarian pauses."


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    process = factory.SubFactory(ProcessFactory)
    name = factory.Sequence(lambda n: f"Day {n + 1}")
    date = datetime.date(2026, 2, 23)
    venue = "Palais des Nations"
    format = Round.Format.PLENARY


class AgreementVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementVersion

    agreement = factory.SubFactory("tests.factories.AgreementFactory", version=None)
    number = 1
    areas = factory.LazyFunction(lambda: copy.deepcopy(CORRIDOR))
    windows = factory.LazyFunction(lambda: [dict(WINDOW)])
    lead_time_h = 24
    margin_min = 30
    who_may_move = "Civilians on foot and in buses marked with the red cross."
    note = ""
    created_by = factory.LazyAttribute(
        lambda version: UserFactory(
            username=f"{version.agreement.owner.slug}-drafter",
            party=version.agreement.owner,
            role=User.Role.DELEGATE,
        )
    )


class AgreementFactory(factory.django.DjangoModelFactory):
    """An agreement with version 1 (the corridor and the window above), binding Ukraine and
    Russia unless `bound_parties=[...]` says otherwise; `version__windows=[...]` etc. change
    the text of version 1."""

    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"HP-2026-{n + 1:03d}")
    kind = Agreement.Kind.PAUSE
    title = factory.Sequence(lambda n: f"Vasylivka corridor {n + 1}")
    process = factory.SubFactory(ProcessFactory)
    round = None
    owner = factory.LazyFunction(ukraine)
    status = Agreement.Status.DRAFT
    purpose = Agreement.Purpose.EVACUATION
    public = False
    version = factory.RelatedFactory(AgreementVersionFactory, factory_related_name="agreement")

    @factory.post_generation
    def bound_parties(self, create, extracted, **kwargs):
        self.bound_parties.set(extracted if extracted is not None else [ukraine(), russia()])


@dataclass
class Cast:
    """Everyone at the table, one user per role that matters, in two belligerent parties so that
    every isolation test has a second party whose data could leak."""

    ukraine: Party
    russia: Party
    mediator: Party
    icrc: Party
    monitor: Party
    observer: Party
    ua_head: User
    ua_delegate: User
    ru_head: User
    ru_delegate: User
    secretariat: User
    icrc_liaison: User
    monitor_user: User
    observer_user: User
    process: Process
    day1: Round


def cast() -> Cast:
    ua, ru, med = ukraine(), russia(), mediator()
    icrc_party, monitor_party, observer_party = icrc(), monitor(), observer()
    process = ProcessFactory(name="Geneva Peace Talks", host=med, mediator=med)
    return Cast(
        ukraine=ua,
        russia=ru,
        mediator=med,
        icrc=icrc_party,
        monitor=monitor_party,
        observer=observer_party,
        ua_head=UserFactory(username="ua-head", party=ua, role=User.Role.HEAD_OF_DELEGATION),
        ua_delegate=UserFactory(username="ua-delegate", party=ua, role=User.Role.DELEGATE),
        ru_head=UserFactory(username="ru-head", party=ru, role=User.Role.HEAD_OF_DELEGATION),
        ru_delegate=UserFactory(username="ru-delegate", party=ru, role=User.Role.DELEGATE),
        secretariat=UserFactory(username="secretariat", party=med, role=User.Role.SECRETARIAT),
        icrc_liaison=UserFactory(username="icrc-liaison", party=icrc_party, role=User.Role.LIAISON),
        monitor_user=UserFactory(
            username="monitor", party=monitor_party, role=User.Role.MONITOR
        ),
        observer_user=UserFactory(
            username="observer", party=observer_party, role=User.Role.OBSERVER
        ),
        process=process,
        day1=RoundFactory(process=process, name="Day 1"),
    )
