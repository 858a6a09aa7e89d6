"""Static files with hashed names and a year-long cache, once they are collected.

`mutua collectstatic --no-input` (run by `make demo` when the files changed, and by the
operator after each install or upgrade: docs/DEPLOY.md) copies every app's static files
into STATIC_ROOT under names with a hash of their content ("mutua.3f1c9a0e5b7d.js"),
compressed, with a manifest mapping each name to its hashed one. whitenoise then serves
a hashed name with `Cache-Control: max-age=315360000, public, immutable`: a browser never
asks for it again, and a new release has new names.

Collecting takes a while (compressing with Brotli), so it is never done when the server
starts. Until it is, pages link the plain names, which whitenoise serves from the apps
with a short cache, and `mutua serve` says so (`manifest_problem`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    """The manifest's hashed names when it exists, else the plain names (never an error
    page because `mutua collectstatic` was not run, or not since a file was added)."""

    manifest_strict = False

    def load_manifest(self) -> dict[str, Any]:
        self.manifest_missing = not Path(self.location, self.manifest_name).exists()
        return super().load_manifest()  # type: ignore[no-any-return]

    def save_manifest(self) -> None:
        super().save_manifest()
        self.manifest_missing = False

    def stored_name(self, name: str) -> str:
        if self.manifest_missing:
            return name
        try:
            return super().stored_name(name)  # type: ignore[no-any-return]
        except ValueError:
            # A file added since the last collection: its plain name still works.
            return name


def manifest_problem() -> str | None:
    """Why pages would not link hashed, long-cached static files, or None: the manifest
    is missing, or older than a static file of the source (collected before a change)."""
    if settings.STORAGES["staticfiles"]["BACKEND"] != f"{__name__}.StaticStorage":
        return None
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return "missing"
    collected = manifest.stat().st_mtime
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            if Path(storage.path(path)).stat().st_mtime > collected:
                return "stale"
    return None
