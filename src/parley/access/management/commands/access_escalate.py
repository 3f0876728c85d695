from django.core.management.base import BaseCommand

from parley.access.tasks import escalate_overdue_acknowledgements


class Command(BaseCommand):
    help = ("Escalate missed acknowledgement deadlines to the secretariat now (`parley worker` "
            "does it every round).")

    def handle(self, *args, **options):
        count = escalate_overdue_acknowledgements.call()
        self.stdout.write(f"{count} missed deadlines escalated\n")
