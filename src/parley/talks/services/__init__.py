"""Every write to the talks' record: one function per change, each checking a named rule,
validating, saving in one transaction and appending its audit entry."""

from parley.talks.services.agenda import (
    agenda_item_create,
    agenda_item_link,
    agenda_item_set_status,
    agenda_item_table,
    mediator_note_add,
    position_take,
)
from parley.talks.services.commitments import (
    commitment_answer,
    commitment_create,
    commitment_set_status,
    communique_draft,
    communique_publish,
    communique_update,
)
from parley.talks.services.frame import (
    delegation_set,
    process_create,
    round_create,
    session_create,
)
from parley.talks.services.texts import (
    bracket_propose,
    bracket_resolve,
    comment_add,
    provision_add,
    signing_key_register,
    text_create,
    text_initial,
    text_sign,
    text_version_save,
)

__all__ = [
    "agenda_item_create",
    "agenda_item_link",
    "agenda_item_set_status",
    "agenda_item_table",
    "bracket_propose",
    "bracket_resolve",
    "comment_add",
    "commitment_answer",
    "commitment_create",
    "commitment_set_status",
    "communique_draft",
    "communique_publish",
    "communique_update",
    "delegation_set",
    "mediator_note_add",
    "position_take",
    "process_create",
    "provision_add",
    "round_create",
    "session_create",
    "signing_key_register",
    "text_create",
    "text_initial",
    "text_sign",
    "text_version_save",
]
