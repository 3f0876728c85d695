"""Shared wording of the talks pages: what each audit action of the talks is called on a page."""

from django.utils.translation import pgettext_lazy

AUDIT_ACTIONS = {
    "process.create": pgettext_lazy("audit", "opened the process"),
    "round.create": pgettext_lazy("audit", "opened a round"),
    "session.create": pgettext_lazy("audit", "scheduled a session"),
    "delegation.set": pgettext_lazy("audit", "set the delegation"),
    "agenda_item.create": pgettext_lazy("audit", "added an agenda item"),
    "agenda_item.link": pgettext_lazy("audit", "linked the agenda item"),
    "agenda_item.status": pgettext_lazy("audit", "changed the item's status"),
    "agenda_item.table": pgettext_lazy("audit", "tabled the item"),
    "position.take": pgettext_lazy("audit", "stated a position"),
    "mediator_note.add": pgettext_lazy("audit", "added a mediator's note"),
    "text.create": pgettext_lazy("audit", "created the text"),
    "text.version": pgettext_lazy("audit", "issued a new version"),
    "text.initial": pgettext_lazy("audit", "initialled the text"),
    "text.sign": pgettext_lazy("audit", "signed the text"),
    "provision.add": pgettext_lazy("audit", "added a provision"),
    "provision.resolve": pgettext_lazy("audit", "resolved a provision"),
    "bracket.propose": pgettext_lazy("audit", "proposed bracketed wording"),
    "comment.add": pgettext_lazy("audit", "commented"),
    "signing_key.register": pgettext_lazy("audit", "registered a signing key"),
    "commitment.create": pgettext_lazy("audit", "recorded a commitment"),
    "commitment.answer": pgettext_lazy("audit", "answered on the commitment"),
    "commitment.status": pgettext_lazy("audit", "changed the commitment's status"),
    "communique.draft": pgettext_lazy("audit", "drafted a communiqué"),
    "communique.update": pgettext_lazy("audit", "edited the communiqué"),
    "communique.publish": pgettext_lazy("audit", "published the communiqué"),
}
