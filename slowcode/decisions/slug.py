"""File-name slugs for decision record titles."""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG_LENGTH = 60
FALLBACK_SLUG = "decision"

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(title: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """A lowercase ASCII slug of `title`: words joined by dashes, safe in any file name.

    Accents are folded (`Überblick` → `uberblick`), everything else that is not a letter
    or digit becomes one dash, and a long slug is cut at a word boundary where one is
    near. Never empty: a title with nothing usable gives `"decision"`.
    """
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", folded.lower()).strip("-")
    if len(slug) > max_length:
        cut = slug[:max_length]
        boundary = cut.rfind("-")
        # Cutting at the last dash keeps whole words unless that loses too much.
        slug = cut[:boundary] if boundary >= max_length // 2 else cut
        slug = slug.strip("-")
    return slug or FALLBACK_SLUG
