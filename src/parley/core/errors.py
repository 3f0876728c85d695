"""Errors that services and selectors raise; the API and the pages map them to 404 and 403."""


class NotFound(Exception):
    """Does not exist, or the actor may not see it: the two must look the same (404)."""


class Forbidden(Exception):
    """The actor may see the object but may not do this to it (403)."""
