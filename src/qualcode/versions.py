"""Installed package versions, read from their metadata without importing the packages."""

from __future__ import annotations

import functools
from importlib import metadata


@functools.cache
def package_version(name: str, *, missing: str) -> str:
    """The installed version of distribution ``name``; ``missing`` when it is not installed."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return missing
