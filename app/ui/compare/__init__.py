"""The comparison of two exchanges shown as a page beside the request tabs (app.core.compare does the work)."""
