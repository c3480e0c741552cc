"""The request editor: the tab, its URL bar, params, headers, body, auth and options editors, and paste-to-import."""
