"""What each audit action is called on a page. Each app registers the names of its own actions
(from its AppConfig.ready), so a page of one app can name an entry another app wrote (access
terms set on an agreement's trail) without importing that app; no page shows a raw action code."""

from django.utils.translation import pgettext_lazy

_ACTION_NAMES: dict = {}


def register_action_names(names: dict) -> None:
    _ACTION_NAMES.update(names)


def action_name(action: str) -> str:
    return str(_ACTION_NAMES.get(action, pgettext_lazy("audit", "recorded a change")))
