import os

# Qt without a display, settings under a throwaway folder: set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
