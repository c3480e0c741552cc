"""The results page of running saved requests as checks."""
