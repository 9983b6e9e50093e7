"""Parsed exercise.toml files kept as JSON in the user cache dir, keyed by the digest of their text."""

from __future__ import annotations

import hashlib
import json
import logging
import tomllib
from pathlib import Path
from typing import Any

from modl_tutor.atomic import write_bytes_atomic

log = logging.getLogger("modl")

FORMAT = 1
MAX_FILE_BYTES = 16 * 1024 * 1024
"""A cache file larger than this is ignored (and replaced by the next save)."""
MAX_ENTRIES = 4096


def cache_path() -> Path | None:
    """`$MODL_CACHE_DIR/bank-toml.json`, else the user cache dir's; None when turned off
    (`MODL_BANK_CACHE=off`)."""
    from modl_tutor.paths import cache_dir, turned_off

    return None if turned_off("MODL_BANK_CACHE") else cache_dir("bank-toml.json")


def _digest(raw: str) -> str:
    return hashlib.blake2b(raw.encode("utf-8"), digest_size=20).hexdigest()


class TomlCache:
    """Parse TOML texts, reusing what an earlier run parsed from the very same text.

    The TOML parser is most of a cold bank load (160 files: ~55 ms); JSON reads the same data in a
    few. A text's entry is its digest, so an edited file is simply parsed again; data that does
    not survive a JSON round trip unchanged (dates, say) is never stored."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._entries: dict[str, Any] = self._read() if path is not None else {}
        self._used: dict[str, Any] = {}
        self._dirty = False

    def _read(self) -> dict[str, Any]:
        assert self.path is not None
        try:
            with open(self.path, "rb") as handle:  # trusted: our own cache file, size-capped
                data = handle.read(MAX_FILE_BYTES + 1)
        except FileNotFoundError:
            return {}
        except OSError as err:
            log.debug("bank cache %s unreadable: %s", self.path, err)
            return {}
        if len(data) > MAX_FILE_BYTES:
            return {}
        try:
            document = json.loads(data)
        except ValueError:
            log.debug("bank cache %s is not JSON: ignored", self.path)
            return {}
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            return {}
        entries = document.get("entries")
        return entries if isinstance(entries, dict) else {}

    def loads(self, raw: str) -> dict[str, Any]:
        """`tomllib.loads(raw)`, from the cache when this text was parsed before (the loader only
        reads what it gets: entries are not copied)."""
        key = _digest(raw)
        cached = self._entries.get(key)
        if isinstance(cached, dict):
            self._used[key] = cached
            return cached
        data = tomllib.loads(raw)  # raises TOMLDecodeError as before
        try:
            if json.loads(json.dumps(data)) == data:
                self._used[key] = data
                self._entries[key] = data
                self._dirty = True
        except (TypeError, ValueError):
            pass  # dates and the like: parsed every time
        return data

    def save(self) -> None:
        """Write the cache when this run parsed something new (the entries it used, bounded)."""
        if self.path is None or not self._dirty:
            return
        entries = dict(list(self._used.items())[-MAX_ENTRIES:])
        document = {"format": FORMAT, "entries": entries}
        try:
            write_bytes_atomic(self.path, json.dumps(document, separators=(",", ":")).encode(),
                               cache=True)
        except OSError as err:
            log.debug("bank cache %s not written: %s", self.path, err)
        self._dirty = False
