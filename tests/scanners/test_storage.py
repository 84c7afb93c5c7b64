"""The store of originals: atomic, deduplicated, fanned out, read-only, and checked for fixity."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest

from archive.i18n import MESSAGES, message
from scanners.storage import (
    DerivedMissing,
    DerivedStore,
    OriginalMissing,
    OriginalStore,
    ProblemKind,
    StoreOptions,
    verify,
)

CONTENT = b"%PDF-1.4 a scanned page\n" * 100
SHA = hashlib.sha256(CONTENT).hexdigest()


class FailingReader:
    """Yields a few chunks, then fails like a dropped upload or a full disk."""

    def __init__(self, chunks: int) -> None:
        self.left = chunks

    def read(self, size: int = -1) -> bytes:
        if self.left == 0:
            raise OSError("connection reset mid-upload")
        self.left -= 1
        return b"x" * 64


@pytest.fixture
def store(tmp_path: Path) -> OriginalStore:
    return OriginalStore(tmp_path / "originals", StoreOptions(chunk_size=64))


def all_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_put_bytes_stores_under_two_level_fan_out(store: OriginalStore) -> None:
    stored = store.put_bytes(CONTENT)
    assert stored.sha256 == SHA
    assert stored.size == len(CONTENT)
    assert stored.created is True
    assert stored.path == store.root / SHA[:2] / SHA[2:4] / SHA
    assert stored.path.read_bytes() == CONTENT
    assert store.exists(SHA)
    with store.open(SHA) as f:
        assert f.read() == CONTENT


def test_stored_original_is_read_only(store: OriginalStore) -> None:
    stored = store.put_bytes(CONTENT)
    assert stat.S_IMODE(stored.path.stat().st_mode) & 0o222 == 0


def test_same_content_twice_is_stored_once(store: OriginalStore, tmp_path: Path) -> None:
    first = store.put_bytes(CONTENT)
    mtime = first.path.stat().st_mtime_ns
    source = tmp_path / "again.pdf"
    source.write_bytes(CONTENT)
    second = store.put_file(source)
    assert second.created is False
    assert second.path == first.path
    assert first.path.stat().st_mtime_ns == mtime
    assert all_files(store.root) == [first.path]


def test_put_file_streams_large_content_in_chunks(store: OriginalStore, tmp_path: Path) -> None:
    source = tmp_path / "big.tif"
    data = bytes(range(256)) * 40
    source.write_bytes(data)
    stored = store.put_file(source)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.path.read_bytes() == data
    assert source.read_bytes() == data


def test_failed_write_leaves_no_object_and_no_temp_file(store: OriginalStore) -> None:
    with pytest.raises(OSError, match="mid-upload"):
        store.put_stream(FailingReader(chunks=3))
    assert all_files(store.root) == []
    assert list(verify(store)) == []


def test_open_unknown_hash_raises_original_missing(store: OriginalStore) -> None:
    with pytest.raises(OriginalMissing) as info:
        store.open(SHA)
    assert SHA in message(info.value.code, "en", **info.value.params)


def test_malformed_hash_is_refused(store: OriginalStore) -> None:
    with pytest.raises(ValueError, match="SHA-256"):
        store.path_of("../../etc/passwd")


def test_fixity_is_clean_on_a_healthy_store(store: OriginalStore) -> None:
    stored = [store.put_bytes(CONTENT), store.put_bytes(b"another page")]
    assert list(verify(store, expected=[s.sha256 for s in stored])) == []


def test_fixity_finds_a_flipped_byte(store: OriginalStore) -> None:
    stored = store.put_bytes(CONTENT)
    store.put_bytes(b"an untouched page")
    stored.path.chmod(0o644)
    data = bytearray(stored.path.read_bytes())
    data[10] ^= 0x01
    stored.path.write_bytes(bytes(data))
    problems = list(verify(store))
    assert [(p.kind, p.sha256) for p in problems] == [(ProblemKind.CORRUPT, SHA)]
    assert problems[0].actual_sha256 == hashlib.sha256(bytes(data)).hexdigest()


def test_fixity_finds_a_missing_object(store: OriginalStore) -> None:
    stored = store.put_bytes(CONTENT)
    kept = store.put_bytes(b"kept")
    stored.path.unlink()
    problems = list(verify(store, expected={SHA, kept.sha256}))
    assert [(p.kind, p.sha256) for p in problems] == [(ProblemKind.MISSING, SHA)]


def test_fixity_finds_stray_temp_and_unexpected_files(store: OriginalStore) -> None:
    stored = store.put_bytes(CONTENT)
    stray = store.temp_dir / "0123abcd.part"
    stray.write_bytes(b"half an upload")
    misplaced = store.root / "00" / "00" / SHA
    misplaced.parent.mkdir(parents=True)
    misplaced.write_bytes(CONTENT)
    problems = {(p.kind, p.path) for p in verify(store, expected=[stored.sha256])}
    assert problems == {
        (ProblemKind.STRAY_TEMP, stray),
        (ProblemKind.UNEXPECTED, misplaced),
    }


def test_derived_store_is_apart_and_replaceable(tmp_path: Path, store: OriginalStore) -> None:
    derived = DerivedStore(tmp_path / "derived")
    stored = store.put_bytes(CONTENT)
    path = derived.put_bytes(stored.sha256, "thumb-256.png", b"v1")
    assert path == tmp_path / "derived" / SHA[:2] / SHA[2:4] / SHA / "thumb-256.png"
    assert derived.put_bytes(stored.sha256, "thumb-256.png", b"v2") == path
    with derived.open(SHA, "thumb-256.png") as f:
        assert f.read() == b"v2"
    assert all_files(tmp_path / "derived") == [path]
    assert derived.remove(SHA, "thumb-256.png") is True
    assert not derived.exists(SHA, "thumb-256.png")
    assert list(verify(store, expected=[SHA])) == []


def test_derived_failed_write_keeps_previous_version(tmp_path: Path) -> None:
    derived = DerivedStore(tmp_path / "derived", StoreOptions(chunk_size=64))
    path = derived.put_bytes(SHA, "clean.png", b"good")
    with pytest.raises(OSError, match="mid-upload"):
        derived.put_stream(SHA, "clean.png", FailingReader(chunks=2))
    assert all_files(tmp_path / "derived") == [path]
    assert path.read_bytes() == b"good"


@pytest.mark.parametrize("variant", ["", "../x", "Clean.PNG", "a/b", "x.part"])
def test_derived_store_refuses_bad_variant_names(tmp_path: Path, variant: str) -> None:
    with pytest.raises(ValueError, match="variant"):
        DerivedStore(tmp_path).path_of(SHA, variant)


def test_missing_object_codes_have_messages_in_both_languages() -> None:
    for code in (OriginalMissing.code, DerivedMissing.code):
        vi, en = MESSAGES[code]
        assert vi != en
