"""Named crash points in the store's multi-step writes (export, erase, purge, key rotation).

Test seam: crash tests replace :func:`hit` (``crashpoints.hit = ...``) to stop or kill a process
at one point; in the app it does nothing."""


def hit(point: str) -> None:
    """No-op unless a test replaced it."""
