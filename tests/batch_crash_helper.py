"""A batch worker function that dies like a native crash on files named *crash* (importable by
spawned worker processes)."""

import os


def crash_on_name(job):
    from studio_app.batch.runner import _worker_job

    if "crash" in os.path.basename(job.path):
        os._exit(1)  # no exception, no cleanup: what a segfault in a native library looks like
    return _worker_job(job)
