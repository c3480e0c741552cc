"""The sidebar and its toolbar: saved requests, history, environments."""
