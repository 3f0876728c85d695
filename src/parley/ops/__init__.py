"""Running Parley in production: the WSGI server, health, request ids and JSON logs, metrics,
backup and restore. Nothing here holds negotiation data; it only keeps the rest running."""
