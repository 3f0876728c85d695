from django.conf import settings
from django.core.management.base import BaseCommand

from parley.exchanges.crypto import create_key_file


class Command(BaseCommand):
    help = "Create the identity key file (settings.IDENTITY_KEY_FILE) unless it exists."

    def handle(self, *args, **options):
        path = settings.IDENTITY_KEY_FILE
        if create_key_file(path):
            self.stdout.write(f"Created {path}; keep a copy outside this machine.")
        else:
            self.stdout.write(f"{path} exists; nothing changed.")
