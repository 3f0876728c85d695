from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal.httpkit import get_client_ip


class ClosedAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by each party's account administrators; nobody signs themselves
    up."""

    def is_open_for_signup(self, request):
        return False

    def _get_login_attempts_cache_key(self, request, **credentials):
        """Failed sign-ins are counted per account *and address* (ACCOUNT_RATE_LIMITS'
        `login_failed` key): an attacker guessing one account's password is slowed down, and the
        owner, signing in from elsewhere, is not locked out by the attacker's failures."""
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{get_client_ip(request) or '-'}"
