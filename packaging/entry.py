"""PyInstaller's entry script: the same `main` as the `request-inspector` console script."""

from app.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
