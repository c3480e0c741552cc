"""Command line (placeholder until the engine lands)."""

import sys


def main(argv=None) -> int:
    print("request-inspector: not built yet", file=sys.stderr)
    return 1
