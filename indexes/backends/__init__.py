"""Search engines behind `indexes.backend.SearchBackend`."""
