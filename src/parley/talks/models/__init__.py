"""The talks' own record: the frame (process, rounds, sessions, delegations), the agenda and the
parties' positions, the negotiating texts and their signatures, commitments and communiqués."""

from parley.talks.models.agenda import AgendaItem, MediatorNote, Position, Visibility
from parley.talks.models.commitments import (
    Commitment,
    CommitmentAnswer,
    CommitmentEvidence,
    Communique,
)
from parley.talks.models.frame import Attendance, Delegation, Process, Round, Session
from parley.talks.models.texts import (
    Bracket,
    DraftText,
    Provision,
    ProvisionComment,
    SigningKey,
    TextSignature,
    TextVersion,
)

__all__ = [
    "AgendaItem",
    "Attendance",
    "Bracket",
    "Commitment",
    "CommitmentAnswer",
    "CommitmentEvidence",
    "Communique",
    "Delegation",
    "DraftText",
    "MediatorNote",
    "Position",
    "Process",
    "Provision",
    "ProvisionComment",
    "Round",
    "Session",
    "SigningKey",
    "TextSignature",
    "TextVersion",
    "Visibility",
]
