"""Helpers for the history rules the apps register with `parley.audit.history`."""

from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps

from parley.core.rules import is_secretariat


def secretariat_reads(label: str) -> Callable[[Any], Iterable[Any]]:
    """The `visible` part of a rule for a kind that only the secretariat reads the history of
    (the back office's own objects)."""

    def visible(user: Any) -> Iterable[Any]:
        if not is_secretariat(user):
            return []
        return apps.get_model(label).objects.values_list("pk", flat=True)

    return visible


def own_party_reads(label: str, party_field: str = "party") -> Callable[[Any], Iterable[Any]]:
    """A kind whose history its own party and the secretariat read (webhooks, tokens)."""

    def visible(user: Any) -> Iterable[Any]:
        objects = apps.get_model(label).objects
        if is_secretariat(user):
            return objects.values_list("pk", flat=True)
        return objects.filter(**{f"{party_field}_id": user.party_id}).values_list("pk", flat=True)

    return visible
