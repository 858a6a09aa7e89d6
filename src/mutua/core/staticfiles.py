"""Static files with their content's hash in their names, so browsers keep them for good.

`mutua serve` collects them (into MUTUA_DATA_DIR/static) before it starts; whitenoise then
serves every hashed name with a cache lifetime of ten years, and a changed file gets a
new name. Only hashing, no compressing ahead (brotli over every bundled file took minutes
on a small server): the compression middleware compresses what is sent. Without a
collected manifest (a test, `runserver`) the plain names are used and served from the
apps with a short lifetime, instead of failing.
"""

from __future__ import annotations

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage


class HashedStaticFiles(ManifestStaticFilesStorage):
    manifest_strict = False
