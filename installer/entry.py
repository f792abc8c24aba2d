"""Entry script of the frozen app (PyInstaller): the same ``main`` as the ``studio-app`` command."""

import multiprocessing
import sys

from studio_app.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
