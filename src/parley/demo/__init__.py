"""The demo scenario, loaded through the services app by app: parties, accounts, talks and
agreements (`agreements`), then humanitarian access (`access`), then monitoring (`monitoring`),
then the talks' record (`talks`), then prisoner exchanges (`exchanges`), then the record's keys,
checkpoint and witnesses (`record`).

`load` is idempotent: running it again changes nothing that exists. Each app's module is a leaf
that only this package imports, so the demo adds no import between the apps.
"""

import sys

from parley.core.models import Party, User
from parley.demo.access import load_access_demo
from parley.demo.agreements import ACCOUNTS, PASSWORD, load_agreements_demo
from parley.demo.clock import next_spring_dst_change
from parley.demo.exchanges import load_exchanges_demo
from parley.demo.monitoring import load_monitoring_demo
from parley.demo.record import load_record_demo
from parley.demo.talks import load_talks_demo

__all__ = ["ACCOUNTS", "PASSWORD", "load", "next_spring_dst_change", "print_welcome"]


def load(stdout=None) -> None:
    """Create or refresh the demo scenario; running it again changes nothing that exists."""
    users, say = load_agreements_demo(stdout)
    load_access_demo(users, say=say)
    load_monitoring_demo(users, say=say)
    load_talks_demo(users, say=say)
    load_exchanges_demo(users, say=say)
    load_record_demo(say=say)


def print_welcome(host: str = "127.0.0.1", port: int = 8000, stdout=None) -> None:
    write = (stdout or sys.stdout).write
    parties = {party.slug: party for party in Party.objects.all()}
    write(f"\nParley is at http://{host}:{port}/\n\n")
    write(f"Demo accounts (password for all: {PASSWORD}):\n")
    for username, party, role, first, last in ACCOUNTS:
        name = parties[party].name_en if party in parties else party
        write(f"  {username:<13} {str(User.Role(role).label):<20} {first} {last}, {name}\n")
    write("\n")
