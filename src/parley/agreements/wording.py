"""Wording of the agreement pages: names of phases and of audited actions, in one place."""

from django.utils.translation import pgettext_lazy

PHASE_NAMES = {
    "draft": pgettext_lazy("phase", "Draft"),
    "proposed": pgettext_lazy("phase", "Proposed"),
    "countered": pgettext_lazy("phase", "Countered"),
    "agreed": pgettext_lazy("phase", "Agreed"),
    "in_force": pgettext_lazy("phase", "In force"),
    "active": pgettext_lazy("phase", "Active now"),
    "completed": pgettext_lazy("phase", "Completed"),
    "suspended": pgettext_lazy("phase", "Suspended"),
    "terminated": pgettext_lazy("phase", "Terminated"),
}

AUDIT_ACTIONS = {
    "agreement.create_draft": pgettext_lazy("audit", "drafted"),
    "agreement.update_draft": pgettext_lazy("audit", "edited the draft"),
    "agreement.propose": pgettext_lazy("audit", "proposed"),
    "agreement.counter": pgettext_lazy("audit", "counter-proposed"),
    "agreement.consent": pgettext_lazy("audit", "consented"),
    "agreement.suspend": pgettext_lazy("audit", "suspended"),
    "agreement.resume": pgettext_lazy("audit", "resumed"),
    "agreement.terminate": pgettext_lazy("audit", "terminated"),
    "contact_line.import": pgettext_lazy("audit", "imported the contact line"),
}
