"""Reading a PDF as a person or a phone would: poppler's pdftotext and pdftoppm, zbar's
zbarimg for QR codes, and the PDF's own ToUnicode maps to see which glyphs were set."""

from __future__ import annotations

import re
import subprocess
import zlib
from collections import Counter
from pathlib import Path


def text_of(pdf: Path, page: int | None = None) -> str:
    """The text of the PDF (or of one page), lines joined: a sentence set over two lines
    reads as one, as it does to a person."""
    pages = [] if page is None else ["-f", str(page), "-l", str(page)]
    out = subprocess.run(
        ["pdftotext", *pages, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(out.split())


def info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return {
        k.strip(): v.strip() for k, _sep, v in (line.partition(":") for line in out.splitlines())
    }


def qr_codes(pdf: Path, page: int, tmp: Path) -> list[str]:
    """Every QR code on the page, rasterised at 150 dpi, as a phone's camera reads it."""
    prefix = tmp / f"page{page}"
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", str(page), "-l", str(page), str(pdf), str(prefix)],
        check=True,
    )
    (image,) = sorted(tmp.glob(f"page{page}*.png"))
    found = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)],
        capture_output=True,
        text=True,
    )
    return found.stdout.split()


def glyph_texts(pdf: Path) -> list[list[str]]:
    """For each embedded font, the text each glyph stands for (from its ToUnicode map)."""
    data = pdf.read_bytes()
    fonts = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            raw = zlib.decompress(match.group(1)).decode("latin-1")
        except zlib.error:
            continue
        if "begincmap" not in raw or "beginbfchar" not in raw:
            continue
        pairs = re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", raw.split("beginbfchar", 1)[1])
        fonts.append([bytes.fromhex(u).decode("utf-16-be") for _glyph, u in pairs])
    return fonts


def arabic_forms(pdf: Path) -> Counter[str]:
    """How many different glyphs were set for each Arabic letter or ligature. Unshaped text
    uses one glyph per letter; shaped text joins letters with their initial, medial and
    final forms (several glyphs for one letter) and ligatures (one glyph for two)."""
    counts: Counter[str] = Counter()
    for texts in glyph_texts(pdf):
        for text in texts:
            if any("\u0600" <= c <= "\u06ff" for c in text):
                counts[text] += 1
    return counts
