"""CLI sub-commands, one module each (see :mod:`studio_app.cli`)."""
