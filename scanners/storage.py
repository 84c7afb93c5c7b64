"""Content-addressed storage of scanned originals, and a separate store of derived images.

Originals are kept byte-for-byte for decades (issue 3, item 6): the SHA-256 of the content is the
key, files live under a two-level fan-out (root/ab/cd/<sha256>), are written atomically and made
read-only, and are never modified. Derived images (clean-up, thumbnails) can be rebuilt from the
originals, so they live under another root and may be replaced.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO, Protocol

from archive.errors import NotFound

SHA256_RE = re.compile(r"[0-9a-f]{64}")
VARIANT_RE = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")
TEMP_DIR = ".tmp"
TEMP_SUFFIX = ".part"


class ByteReader(Protocol):
    """Anything with `read(size) -> bytes`: a file, an upload's spooled file, a socket reader."""

    def read(self, size: int = -1, /) -> bytes: ...


@dataclass(frozen=True)
class StoreOptions:
    """How the stores write: copy chunk size, whether to fsync, and the originals' file mode."""

    chunk_size: int = 1024 * 1024
    fsync: bool = True
    original_mode: int = 0o444
    derived_mode: int = 0o644


@dataclass(frozen=True)
class StoredObject:
    """An original in the store; `created` is False when the same content was already there."""

    sha256: str
    size: int
    path: Path
    created: bool


class OriginalMissing(NotFound):
    code = "scan.original_missing"


class DerivedMissing(NotFound):
    code = "scan.derived_missing"


class ProblemKind(StrEnum):
    CORRUPT = "corrupt"
    MISSING = "missing"
    STRAY_TEMP = "stray_temp"
    UNEXPECTED = "unexpected"


@dataclass(frozen=True)
class FixityProblem:
    """One finding of a fixity check: what is wrong, for which hash, and where."""

    kind: ProblemKind
    path: Path
    sha256: str | None = None
    actual_sha256: str | None = None


def check_sha256(sha256: str) -> str:
    """Return `sha256` if it is 64 lower-case hex digits; refuse anything else with ValueError."""
    if not SHA256_RE.fullmatch(sha256):
        raise ValueError(f"not a lower-case hex SHA-256: {sha256!r}")
    return sha256


def _fan_out(root: Path, sha256: str) -> Path:
    check_sha256(sha256)
    return root / sha256[:2] / sha256[2:4]


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _make_dirs(directory: Path, *, fsync: bool) -> None:
    """Create `directory` and missing parents, making each new entry durable in its parent."""
    missing: list[Path] = []
    current = directory
    while not current.is_dir():
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            path.mkdir()
        if fsync:
            _fsync_dir(path.parent)


def _write_temp(
    reader: ByteReader, directory: Path, options: StoreOptions, prefix: str = ""
) -> tuple[Path, str, int]:
    """Copy `reader` into a new temp file in `directory`, hashing while copying; fsync it.

    On any failure the temp file is removed and the error re-raised: nothing partial remains."""
    temp = directory / f"{prefix}{secrets.token_hex(8)}{TEMP_SUFFIX}"
    digest = hashlib.sha256()
    size = 0
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := reader.read(options.chunk_size):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
            out.flush()
            if options.fsync:
                os.fsync(out.fileno())
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp, digest.hexdigest(), size


def _commit(temp: Path, final: Path, mode: int, *, fsync: bool) -> None:
    """Move a finished temp file into place atomically and make the rename durable."""
    try:
        temp.chmod(mode)
        temp.replace(final)  # os.replace: atomic on the same file system
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    if fsync:
        _fsync_dir(final.parent)


def hash_file(path: Path, chunk_size: int = 1024 * 1024) -> str:
    """Return the SHA-256 (hex) of a file, read in chunks; refuses nothing (OSError propagates)."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


class OriginalStore:
    """Originals keyed by SHA-256 under root/ab/cd/<sha256>; written once, read-only, never modified.

    Writes stream into root/.tmp (same file system, so the rename is atomic) because the key is
    only known once the last byte has been hashed."""

    def __init__(self, root: Path, options: StoreOptions | None = None) -> None:
        self.root = root
        self.options = options or StoreOptions()

    @property
    def temp_dir(self) -> Path:
        return self.root / TEMP_DIR

    def path_of(self, sha256: str) -> Path:
        """Return where the original with this hash lives (whether or not it exists)."""
        return _fan_out(self.root, sha256) / sha256

    def exists(self, sha256: str) -> bool:
        """Tell whether the original with this hash is stored; refuses malformed hashes."""
        return self.path_of(sha256).is_file()

    def open(self, sha256: str) -> BinaryIO:
        """Open a stored original for reading; refuses unknown hashes with OriginalMissing."""
        try:
            return self.path_of(sha256).open("rb")
        except FileNotFoundError:
            raise OriginalMissing(sha256=sha256) from None

    def put_bytes(self, data: bytes) -> StoredObject:
        """Store `data` once by its SHA-256; storing the same bytes again returns created=False."""
        return self.put_stream(io.BytesIO(data))

    def put_file(self, path: Path) -> StoredObject:
        """Store a file's content, streamed and hashed while copying; the source is left alone."""
        with path.open("rb") as reader:
            return self.put_stream(reader)

    def put_stream(self, reader: ByteReader) -> StoredObject:
        """Store everything `reader` yields atomically; a failed read or write leaves nothing."""
        _make_dirs(self.temp_dir, fsync=self.options.fsync)
        temp, sha256, size = _write_temp(reader, self.temp_dir, self.options)
        final = self.path_of(sha256)
        if final.is_file():
            # Same content already stored: never touch the existing file.
            temp.unlink()
            return StoredObject(sha256=sha256, size=size, path=final, created=False)
        try:
            _make_dirs(final.parent, fsync=self.options.fsync)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        _commit(temp, final, self.options.original_mode, fsync=self.options.fsync)
        return StoredObject(sha256=sha256, size=size, path=final, created=True)

    def iter_files(self) -> Iterator[Path]:
        """Yield every file under the fan-out directories (not the temp area), in sorted order."""
        for first in _sorted_dirs(self.root):
            if first.name == TEMP_DIR:
                continue
            for second in _sorted_dirs(first):
                yield from sorted(second.iterdir())


def _sorted_dirs(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.is_dir())


class DerivedStore:
    """Derived images keyed by (original SHA-256, variant) under root/ab/cd/<sha256>/<variant>.

    Unlike originals they can be rebuilt, so a put replaces the previous file atomically."""

    def __init__(self, root: Path, options: StoreOptions | None = None) -> None:
        self.root = root
        self.options = options or StoreOptions()

    def path_of(self, sha256: str, variant: str) -> Path:
        """Return where a variant lives; refuses malformed hashes and variant names (ValueError)."""
        if not VARIANT_RE.fullmatch(variant) or variant.endswith(TEMP_SUFFIX):
            raise ValueError(f"bad variant name: {variant!r}")
        return _fan_out(self.root, sha256) / sha256 / variant

    def exists(self, sha256: str, variant: str) -> bool:
        """Tell whether this variant of the original has been stored."""
        return self.path_of(sha256, variant).is_file()

    def open(self, sha256: str, variant: str) -> BinaryIO:
        """Open a derived file for reading; refuses unknown ones with DerivedMissing."""
        try:
            return self.path_of(sha256, variant).open("rb")
        except FileNotFoundError:
            raise DerivedMissing(sha256=sha256, variant=variant) from None

    def put_bytes(self, sha256: str, variant: str, data: bytes) -> Path:
        """Store (or atomically replace) a variant of an original; returns its path."""
        return self.put_stream(sha256, variant, io.BytesIO(data))

    def put_file(self, sha256: str, variant: str, path: Path) -> Path:
        """Store (or atomically replace) a variant from a file, streamed; returns its path."""
        with path.open("rb") as reader:
            return self.put_stream(sha256, variant, reader)

    def put_stream(self, sha256: str, variant: str, reader: ByteReader) -> Path:
        """Store (or atomically replace) a variant from a stream; a failure leaves the old one."""
        final = self.path_of(sha256, variant)
        _make_dirs(final.parent, fsync=self.options.fsync)
        temp, _, _ = _write_temp(reader, final.parent, self.options, prefix=f".{variant}.")
        _commit(temp, final, self.options.derived_mode, fsync=self.options.fsync)
        return final

    def remove(self, sha256: str, variant: str) -> bool:
        """Delete a variant if present; returns whether something was removed."""
        path = self.path_of(sha256, variant)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        return True


def verify(
    store: OriginalStore,
    expected: Iterable[str] = (),
    *,
    on_file: Callable[[Path], None] | None = None,
) -> Iterator[FixityProblem]:
    """Re-hash every original and yield each mismatch, stray temp file and missing expected hash;
    `on_file` is told of each original once it is hashed (progress).

    Temp files of a write still in progress are reported too: run it when no intake is running,
    or ignore recent stray temp files."""
    yield from _stray_temps(store)
    for path in store.iter_files():
        name = path.name
        if name.endswith(TEMP_SUFFIX):
            yield FixityProblem(ProblemKind.STRAY_TEMP, path)
            continue
        in_place = SHA256_RE.fullmatch(name) and path.parent == _fan_out(store.root, name)
        if not in_place or not path.is_file():
            yield FixityProblem(ProblemKind.UNEXPECTED, path)
            continue
        actual = hash_file(path, store.options.chunk_size)
        if on_file is not None:
            on_file(path)
        if actual != name:
            yield FixityProblem(ProblemKind.CORRUPT, path, sha256=name, actual_sha256=actual)
    for sha256 in expected:
        if not store.exists(sha256):
            yield FixityProblem(ProblemKind.MISSING, store.path_of(sha256), sha256=sha256)


def _stray_temps(store: OriginalStore) -> Iterator[FixityProblem]:
    if not store.temp_dir.is_dir():
        return
    for path in sorted(store.temp_dir.iterdir()):
        yield FixityProblem(ProblemKind.STRAY_TEMP, path)
