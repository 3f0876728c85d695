"""Word-level difference between two versions of a text (difflib over word tokens)."""

import difflib
import re
from dataclasses import dataclass

_TOKENS = re.compile(r"\s+|\[[^\s\[\]:]+:|[\[\]]|[^\s\[\]]+")


@dataclass(frozen=True)
class DiffPart:
    op: str  # "same", "removed", "added"
    text: str


def word_diff(old: str, new: str) -> list[DiffPart]:
    """Parts that spell `old` when the added ones are left out and `new` when the removed ones
    are; whitespace stays with the words so that the parts join back into the texts."""
    before = _TOKENS.findall(old)
    after = _TOKENS.findall(new)
    parts: list[DiffPart] = []

    def emit(op: str, tokens: list[str]) -> None:
        if not tokens:
            return
        text = "".join(tokens)
        if parts and parts[-1].op == op:
            parts[-1] = DiffPart(op, parts[-1].text + text)
        else:
            parts.append(DiffPart(op, text))

    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            emit("same", before[i1:i2])
        else:
            emit("removed", before[i1:i2])
            emit("added", after[j1:j2])
    return parts
