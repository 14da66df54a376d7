"""Source documents: their text, stored content-addressed in the data directory.

A document is plain text (extracted from a ``.txt`` or ``.html`` file, or pasted), stored
as ``DATA_DIR/documents/<sha256 of its UTF-8 bytes>.txt``. A :class:`facts.model.Source`
names its document by that digest, so the same text is stored once, a file never changes
once written, and a copy can always be checked against its name. Files are written
atomically and fsynced before the source that names them is journaled; a file no source
names is harmless.

HTML is turned into text with BeautifulSoup on Python's own ``html.parser``: a maintained,
pure-Python library (no C extension to build), which copes with the broken markup pages
saved from the web are full of; scripts, styles and other non-text elements are dropped.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from facts.errors import ErrorReason, NotFoundError, StoreCorrupted, ValidationFailed
from facts.quotes import normalise_quote
from facts.storage import atomic_write

DOCUMENTS_DIR = "documents"
DOCUMENT_ID_PATTERN = r"^[0-9a-f]{64}$"
#: Largest document accepted (characters of text).
MAX_DOCUMENT_CHARS = 2_000_000
#: Shortest document accepted: anything shorter cannot be what a fact cites.
MIN_DOCUMENT_CHARS = 20
#: File name endings the text is extracted from.
TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_DROPPED_TAGS = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object")
_BLANK_LINES = re.compile(r"\n[ \t\r\f\v]*(?:\n[ \t\r\f\v]*)+")


def document_id(text: str) -> str:
    """The content address of ``text``: the SHA-256 of its UTF-8 bytes, in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _decode(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(
            [f"document {name!r}: not UTF-8 text; save it as UTF-8 and send it again"]
        ) from None


def html_text(markup: str | bytes) -> str:
    """The visible text of an HTML page, one block a line."""
    from bs4 import BeautifulSoup  # imported here: only HTML documents need it

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(_DROPPED_TAGS):
        tag.decompose()
    text: str = soup.get_text("\n")
    return text


def clean_text(text: str) -> str:
    """Line ends made ``\\n``; space at line ends, runs of blank lines and space around removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def extract_text(name: str, data: bytes) -> str:
    """The text of a document file named ``name`` (``.txt`` or ``.html``).

    ValidationFailed when the type is not one of those, the bytes are not UTF-8 text (HTML
    may declare another encoding), or the text is empty or too long.
    """
    lower = name.lower()
    if lower.endswith(HTML_SUFFIXES):
        text = html_text(data)
    elif lower.endswith(TEXT_SUFFIXES):
        text = _decode(name, data)
    else:
        raise ValidationFailed([f"document {name!r}: send a .txt or .html file, or paste the text"])
    return checked_text(name, text)


def checked_text(name: str, text: str) -> str:
    """``text`` cleaned, or ValidationFailed when it is too short or too long."""
    text = clean_text(text)
    if len(text.strip()) < MIN_DOCUMENT_CHARS:
        raise ValidationFailed(
            [f"document {name!r}: holds no text (at least {MIN_DOCUMENT_CHARS} characters)"]
        )
    if len(text) > MAX_DOCUMENT_CHARS:
        raise ValidationFailed(
            [f"document {name!r}: {len(text):,} characters; the limit is {MAX_DOCUMENT_CHARS:,}"]
        )
    return text


class DocumentStore:
    """The documents of one data directory (``DATA_DIR/documents``)."""

    def __init__(self, data_dir: Path) -> None:
        """Nothing is created until the first document is stored."""
        self.directory = Path(data_dir) / DOCUMENTS_DIR
        self._normalised: dict[str, str] = {}

    def path(self, doc_id: str) -> Path:
        """Where the document ``doc_id`` is (or would be) stored."""
        return self.directory / f"{doc_id}.txt"

    def has(self, doc_id: str) -> bool:
        """True when the document is stored."""
        return doc_id in self._normalised or self.path(doc_id).is_file()

    def put(self, text: str) -> str:
        """Store ``text`` durably (once: the name is its digest); return its id."""
        doc_id = document_id(text)
        path = self.path(doc_id)
        if not path.is_file():
            self.directory.mkdir(parents=True, exist_ok=True)
            atomic_write(path, text.encode("utf-8"))
        return doc_id

    def get(self, doc_id: str) -> str:
        """The text of a stored document; NotFoundError when it is missing,
        StoreCorrupted when the file does not match its name."""
        try:
            text = self.path(doc_id).read_bytes().decode("utf-8")
        except FileNotFoundError:
            raise NotFoundError(
                ErrorReason.NO_DOCUMENT, digest=doc_id[:12], directory=self.directory
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise StoreCorrupted(f"document {self.path(doc_id)} cannot be read: {exc}") from None
        if document_id(text) != doc_id:
            raise StoreCorrupted(
                f"document {self.path(doc_id)} does not match its name (damaged); restore it "
                "from a backup"
            )
        return text

    def normalised(self, doc_id: str) -> str:
        """The document as quotes are matched against it (cached: documents never change)."""
        cached = self._normalised.get(doc_id)
        if cached is None:
            cached = self._normalised[doc_id] = normalise_quote(self.get(doc_id))
        return cached
