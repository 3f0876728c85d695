"""Template filters of the agreement pages: phase and audited-action names."""

from django import template

from parley.agreements.wording import PHASE_NAMES
from parley.audit.wording import action_name as audit_action_name

register = template.Library()


@register.filter
def phase_name(phase: str) -> str:
    return str(PHASE_NAMES.get(phase, phase))


@register.filter
def action_name(action: str) -> str:
    return audit_action_name(action)
