from allauth.account.adapter import DefaultAccountAdapter


class ClosedAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by the secretariat; nobody signs themselves up."""

    def is_open_for_signup(self, request):
        return False
