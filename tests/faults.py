"""Disk faults injected at the process's edge: the OS calls that write under one directory.

Tests run as root here, where permission bits stop nothing and mounting a read-only or
full file system needs privileges CI may not have, so the failure is raised where the
kernel would raise it: in ``os.open``, ``os.write``… for paths (or descriptors) under
``root``. Everything else goes to the real calls.

    disk = FaultyDisk(monkeypatch, data_dir)
    disk.read_only()       # every write under data_dir fails with EROFS
    disk.not_writable()    # ... with EACCES (a host directory owned by another uid)
    disk.full(free=0)      # writes fail with ENOSPC beyond ``free`` bytes; deleting a file
                           # under data_dir gives its size back
    disk.healthy()
"""

from __future__ import annotations

import builtins
import errno
import io
import os
from pathlib import Path
from typing import Any

import pytest

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


class FaultyDisk:
    """Read-only or full, for everything under ``root``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
        self.root = Path(root).absolute()
        self.mode = "healthy"
        self.free = 0
        #: The error a write gets in read-only mode.
        self.denial = errno.EROFS
        #: How many calls were refused.
        self.refused = 0
        real = {name: getattr(os, name) for name in (
            "open", "mkdir", "replace", "rename", "unlink", "remove", "write", "ftruncate",
            "posix_fallocate")}  # fmt: skip
        real_open = builtins.open
        self._real = real

        def under(path: Any) -> bool:
            if isinstance(path, int):
                try:
                    path = os.readlink(f"/proc/self/fd/{path}")
                except OSError:
                    return False
            if not isinstance(path, str | bytes | os.PathLike):
                return False
            p = Path(os.fsdecode(path)).absolute()
            return p == self.root or self.root in p.parents

        def refuse(code: int, path: Any = None) -> OSError:
            self.refused += 1
            return OSError(code, os.strerror(code), None if isinstance(path, int) else path)

        def fake_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            if self.mode == "read-only" and flags & _WRITE_FLAGS and under(path):
                raise refuse(self.denial, path)
            return int(real["open"](path, flags, *args, **kwargs))

        def fake_mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
            if self.mode == "read-only" and under(path) and not os.path.exists(path):
                raise refuse(self.denial, path)
            real["mkdir"](path, *args, **kwargs)

        def changing(name: str) -> Any:
            def call(src: Any, *args: Any, **kwargs: Any) -> Any:
                if self.mode == "read-only" and under(src):
                    raise refuse(self.denial, src)
                if self.mode == "full" and name in ("unlink", "remove") and under(src):
                    size = os.stat(src).st_size
                    result = real[name](src, *args, **kwargs)
                    self.free += size
                    return result
                return real[name](src, *args, **kwargs)

            return call

        def fake_write(fd: int, data: Any) -> int:
            if self.mode != "healthy" and under(fd):
                if self.mode == "read-only":
                    raise refuse(self.denial, fd)
                if len(data) > self.free:
                    raise refuse(errno.ENOSPC, fd)
                self.free -= len(data)
            return int(real["write"](fd, data))

        def fake_ftruncate(fd: int, length: int) -> None:
            # A read-only file system refuses a truncation as it refuses a write (a full one
            # lets a file shrink).
            if self.mode == "read-only" and under(fd):
                raise refuse(self.denial, fd)
            real["ftruncate"](fd, length)

        def fake_fallocate(fd: int, offset: int, length: int) -> None:
            if self.mode != "healthy" and under(fd):
                if self.mode == "read-only" or length > self.free:
                    raise refuse(self.denial if self.mode == "read-only" else errno.ENOSPC, fd)
                self.free -= length
            real["posix_fallocate"](fd, offset, length)

        def fake_builtin_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            writing = any(c in mode for c in "wax+")
            if self.mode != "healthy" and writing and under(file):
                raise refuse(self.denial if self.mode == "read-only" else errno.ENOSPC, file)
            return real_open(file, mode, *args, **kwargs)

        monkeypatch.setattr(os, "open", fake_open)
        monkeypatch.setattr(os, "mkdir", fake_mkdir)
        for name in ("replace", "rename", "unlink", "remove"):
            monkeypatch.setattr(os, name, changing(name))
        monkeypatch.setattr(os, "write", fake_write)
        monkeypatch.setattr(os, "posix_fallocate", fake_fallocate)
        monkeypatch.setattr(os, "ftruncate", fake_ftruncate)
        monkeypatch.setattr(builtins, "open", fake_builtin_open)
        monkeypatch.setattr(io, "open", fake_builtin_open)

    def read_only(self) -> None:
        """Every write under root fails with EROFS."""
        self.mode, self.denial = "read-only", errno.EROFS

    def not_writable(self) -> None:
        """Every write under root fails with EACCES (a directory another uid owns)."""
        self.mode, self.denial = "read-only", errno.EACCES

    def full(self, free: int = 0) -> None:
        """Writes under root fail with ENOSPC beyond ``free`` more bytes."""
        self.mode, self.free = "full", free

    def healthy(self) -> None:
        """Back to the real disk."""
        self.mode = "healthy"
