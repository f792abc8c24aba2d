"""Services: what a shell (CLI, operator window, kiosk) calls to turn a finished photo into an
order. They sit above ``orders`` (the store) and ``receipts`` (the PDF), which never import each
other. Qt-free."""
