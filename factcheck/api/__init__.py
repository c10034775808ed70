"""Shared pieces of the REST API: error shape, pagination, ETags, throttles,
rendering, schema and the routes. No domain logic lives here; the apps' own
``api`` packages hold their resources."""
