"""Group commit: a file fsynced in a background thread soon after each write, writes made
while an fsync runs sharing the next one (the outbox's marks file uses it)."""

from __future__ import annotations

import logging
import os
import threading

log = logging.getLogger(__name__)


class GroupSync:
    """Fsyncs a file in a background thread soon after each write; writes made while an
    fsync runs share the next one (group commit)."""

    def __init__(self, fd: int, name: str, label: str) -> None:
        """Start the thread (``name``) that fsyncs ``fd``; ``label`` names the file in logs."""
        self._fd = fd
        self._label = label
        self._cond = threading.Condition()
        self._dirty = False
        self._busy = False
        self._stopping = False
        self.failure: OSError | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def written(self) -> None:
        """Something was written: fsync as soon as possible."""
        with self._cond:
            self._dirty = True
            self._cond.notify_all()

    def wait_idle(self) -> None:
        """Block until everything written so far is fsynced."""
        with self._cond:
            while (self._dirty or self._busy) and not self._stopping:
                self._cond.wait()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._dirty and not self._stopping:
                    self._cond.wait()
                if not self._dirty:
                    return
                self._dirty = False
                self._busy = True
            try:
                os.fsync(self._fd)
            except OSError as exc:  # reported by the next checkpoint or close
                self.failure = exc
                log.error("%s: fsync failed: %s", self._label, exc)
            with self._cond:
                self._busy = False
                self._cond.notify_all()

    def close(self) -> None:
        """Finish the pending fsync and stop the thread."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        self._thread.join()
