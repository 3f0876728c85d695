"""The HTTP API: OpenAPI 3 at /api/openapi.json, interactive docs at /api/docs."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Parley API",
    version="1",
    description="Parties, talks, humanitarian pauses and local ceasefires.",
    urls_namespace="api",
)
