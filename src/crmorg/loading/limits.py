"""Bounds that keep hostile or absurd input from hanging or exhausting the machine."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Input bounds; every one exceeded becomes a finding, never a crash."""

    max_file_bytes: int = 64 * 1024 * 1024
    max_total_bytes: int = 512 * 1024 * 1024
    max_files: int = 10_000
    max_depth: int = 64
    max_alias_nodes: int = 10_000
    max_scalar_chars: int = 100_000


DEFAULT_LIMITS = Limits()
