"""Template filters of the agreement pages: phase and audited-action names."""

from django import template

from parley.agreements.wording import AUDIT_ACTIONS, PHASE_NAMES

register = template.Library()


@register.filter
def phase_name(phase: str) -> str:
    return str(PHASE_NAMES.get(phase, phase))


@register.filter
def action_name(action: str) -> str:
    return str(AUDIT_ACTIONS.get(action, action))
