"""Saved copies of source pages, for `programs verify`: one UTF-8 text file per URL."""

from __future__ import annotations

from pathlib import Path

from admitcheck.errors import UsageError


def read_pages(folder: Path) -> dict[str, str | None]:
    """File name -> text of every *.txt (and *.html) file in a folder."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder of saved pages")
    pages: dict[str, str | None] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".txt", ".html", ".htm") or not path.is_file():
            continue
        try:
            pages[path.with_suffix(".txt").name] = path.read_text(
                encoding="utf-8", errors="replace"
            )
        except OSError as exc:
            raise UsageError(f"{path}: cannot read ({exc.strerror})") from None
    return pages
