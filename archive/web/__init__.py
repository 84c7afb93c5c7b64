"""The archivist web UI: Jinja2 + htmx pages, thin, calling the same services as the API."""
