"""HTML to PDF for the documents that are printed (decisions, certificates): WeasyPrint with Debian's
Noto Serif and Noto Sans (fonts-noto-core) embedded, so every Vietnamese diacritic is a real glyph of
a font carried in the file, whatever the reader's machine has installed.

Text reaches the renderer in NFC: a name typed in decomposed form (old Office, some phones) would
otherwise be shaped from a base letter plus combining marks, which prints less well and reads back
differently from the PDF. The renderer fetches nothing from the network or the disk except the fonts
below and inline `data:` resources (a QR code, a logo), so a template cannot make it read a file."""

import unicodedata
from pathlib import Path

from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

FONT_DIR = Path("/usr/share/fonts/truetype/noto")

# The families a template names in its CSS, each with the Debian files for its four faces.
FAMILIES = {
    "Noto Serif": "NotoSerif",
    "Noto Sans": "NotoSans",
}
FACES = {
    ("normal", "normal"): "Regular",
    ("bold", "normal"): "Bold",
    ("normal", "italic"): "Italic",
    ("bold", "italic"): "BoldItalic",
}


class MissingFont(RuntimeError):
    """The Noto fonts are not installed (Debian package fonts-noto-core)."""


def font_path(family: str = "Noto Serif", weight: str = "normal", style: str = "normal") -> Path:
    return FONT_DIR / f"{FAMILIES[family]}-{FACES[(weight, style)]}.ttf"


def font_css() -> str:
    """@font-face rules pointing at the installed files (never at a font the system would substitute)."""
    rules = []
    for family in FAMILIES:
        for (weight, style), _face in FACES.items():
            path = font_path(family, weight, style)
            if not path.exists():
                raise MissingFont(f"{path} is missing: install Debian's fonts-noto-core.")
            rules.append(
                f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style}; '
                f'src: url("{path.as_uri()}"); }}'
            )
    return "\n".join(rules)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


class _Fetcher(URLFetcher):
    """Inline data and the font files only."""

    def __init__(self):
        super().__init__(allowed_protocols=("data", "file"))

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            allowed = {font_path(f, w, s).as_uri() for f in FAMILIES for (w, s) in FACES}
            if url.split("?")[0] not in allowed:
                raise ValueError(f"Only the Noto fonts may be read from disk, not {url}")
        return super().fetch(url, headers)


def html_to_pdf(html: str, target=None, *, css: str = "") -> bytes | None:
    """Render `html` (a whole page, NFC-normalised here) to PDF: to `target` (a path or a binary file),
    or returned as bytes. `css` is added after the font faces."""
    font_config = FontConfiguration()
    fetcher = _Fetcher()
    stylesheets = [CSS(string=font_css() + "\n" + css, font_config=font_config, url_fetcher=fetcher)]
    document = HTML(string=nfc(html), base_url=FONT_DIR.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(target, stylesheets=stylesheets, font_config=font_config)


def template_to_pdf(template_name: str, context: dict, target=None, *, css: str = "") -> bytes | None:
    """A Django template rendered (autoescaped) and then to PDF, as `html_to_pdf`."""
    return html_to_pdf(render_to_string(template_name, context), target, css=css)
