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


class RoundOut(Schema):
    id: int
    process: int
    name: str
    date: datetime.date
    venue: str
    format: str

    @staticmethod
    def resolve_process(round_) -> int:
        return round_.process_id
