"""Dialogs opened from the menus (the triage report)."""
