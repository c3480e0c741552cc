"""Triage tabs: a HAR or raw HTTP file's exchanges listed, filtered and diagnosed without resending."""
