"""What every map needs from the agreements app: where to read the contact line (every
signed-in person sees it; nothing for anyone else)."""

from django.urls import reverse


def maps(request) -> dict:
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}
    return {"map_contact_line_url": reverse("agreements:contact_line_data")}
