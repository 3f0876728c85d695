"""The one error type of the time-window engine.

`reason` is a fixed English sentence marked with `gettext_noop`, so the Django layer can translate
it with `gettext(error.reason)`; values that vary (the bad text, the library's complaint) go into
`detail`, which is shown untranslated because it quotes the input.
"""


def gettext_noop(message: str) -> str:
    """Mark a string for `makemessages` without importing Django into an engine."""
    return message


class WindowError(ValueError):
    def __init__(self, field: str, reason: str, detail: str = "") -> None:
        self.field = field
        self.reason = reason
        self.detail = detail
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.field}: {self.reason}"
        return f"{text} ({self.detail})" if self.detail else text


def sibling_field(field: str, name: str) -> str:
    """`windows[1].rrule` -> `windows[1].tz`: the path of another key of the same object."""
    head, dot, _ = field.rpartition(".")
    return f"{head}{dot}{name}" if dot else name
