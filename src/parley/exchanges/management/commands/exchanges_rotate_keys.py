from django.core.management.base import BaseCommand

from parley.exchanges.services import identities_rotate


class Command(BaseCommand):
    help = "Re-encrypt every identity under the first configured key (after adding a new one)."

    def handle(self, *args, **options):
        count = identities_rotate()
        self.stdout.write(f"Re-encrypted {count} records under the first key.")
