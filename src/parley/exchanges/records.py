"""A person as the matcher reads it."""

from parley.exchanges import crypto


def matcher_record(person, identity: dict | None = None) -> dict[str, str]:
    """docs/formats.md §6 columns of a person, its reference standing in for a missing record_id."""
    identity = identity if identity is not None else crypto.unseal(person.identity_token)
    record = {key: value for key, value in identity.items() if isinstance(value, str)}
    record["category"] = person.category
    record.setdefault("record_id", person.reference)
    return record
