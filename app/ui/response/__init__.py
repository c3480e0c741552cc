"""The response view: status and documented explanation, body, headers, timing, findings and the Retry-After countdown."""
