"""Qt widgets: the operator window (this package) and the kiosk shell (:mod:`.kiosk`)."""
