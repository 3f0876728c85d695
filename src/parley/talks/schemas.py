import datetime

from ninja import Schema


class ProcessOut(Schema):
    id: int
    name: str
    host: str
    mediator: str
    description: str

    @staticmethod
    def resolve_host(process) -> str:
        return process.host.slug

    @staticmethod
    def resolve_mediator(process) -> str:
        return process.mediator.slug


class DelegationOut(Schema):
    party: str
    head: str | None
    members: list[str]

    @staticmethod
    def resolve_party(delegation) -> str:
        return delegation.party.slug

    @staticmethod
    def resolve_head(delegation) -> str | None:
        return delegation.head.username if delegation.head_id else None

    @staticmethod
    def resolve_members(delegation) -> list[str]:
        return sorted(member.username for member in delegation.members.all())


class RoundOut(Schema):
    id: int
    process: int
    name: str
    date: datetime.date
    venue: str
    format: str
    delegations: list[DelegationOut]

    @staticmethod
    def resolve_delegations(round_) -> list:
        return list(round_.delegations.all())

    @staticmethod
    def resolve_process(round_) -> int:
        return round_.process_id
