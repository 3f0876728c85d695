"""`parley ledger export DIR --user NAME`: the record as docs/formats.md §8 lays it out, with the
openings that account may see, and `parley ledger publish`: log, checkpoint and cosign now."""

import sys
from pathlib import Path

from parley.audit.models import LogEntry
from parley.core.models import User
from parley.engines.ledger.export import write_export
from parley.engines.ledger.note import parse_vkey
from parley.engines.ledger.verify import Invalid, verify
from parley.record import jobs, keys, selectors, services
from parley.record.models import Checkpoint, Witness
from parley.record.tree import current_tree


def export_command(*, directory: Path, username: str) -> int:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None or not user.party_id:
        print(f"parley ledger export: no active party member named {username!r}", file=sys.stderr)
        return 2
    checkpoint = Checkpoint.objects.order_by("-size").first()
    if checkpoint is None:
        print("parley ledger export: no checkpoint yet (run `parley ledger publish`)",
              file=sys.stderr)
        return 2
    size = checkpoint.size
    entries = [bytes(e) for e in LogEntry.objects.filter(seq__lt=size).order_by("seq")
               .values_list("entry", flat=True).iterator(chunk_size=10000)]
    witnesses = {w.party.slug: w for w in Witness.objects.select_related("party")}
    count = write_export(
        directory, checkpoint=checkpoint.served_note(), size=size, entries=entries,
        tree=current_tree(size), log=keys.log_verifier(),
        witnesses={slug: parse_vkey(w.vkey) for slug, w in witnesses.items()},
        openings=selectors.openings_for(actor=user),
    )
    print(f"exported {size} entries and {count} openings to {directory}")
    try:
        verify(directory)
    except Invalid as exc:
        print(f"parley ledger export: the export does not verify: {exc}", file=sys.stderr)
        return 1
    return 0


def publish_command() -> int:
    try:
        keys.log_signer()
    except keys.RecordNotConfigured as exc:
        print(f"parley ledger publish: {exc}", file=sys.stderr)
        return 2
    print(jobs.publish_and_witness())
    return 0


def clear_alarm_command(*, party_slug: str, username: str) -> int:
    from parley.core.errors import Forbidden
    from parley.core.models import Party

    user = User.objects.filter(username=username, is_active=True).first()
    party = Party.objects.filter(slug=party_slug).first()
    if user is None or party is None:
        print("parley ledger clear-alarm: no such account or party", file=sys.stderr)
        return 2
    try:
        services.witness_alarm_clear(actor=user, party=party)
    except Forbidden as exc:
        print(f"parley ledger clear-alarm: {exc}", file=sys.stderr)
        return 2
    print(f"the alarm of {party_slug}'s witness is cleared")
    return 0
