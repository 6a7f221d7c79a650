"""Paths -> Articles: find the files, decode them, turn HTML into text, split JSONL.

People drop whatever they saved into ``corpus/``: UTF-8 with or without a BOM, old
Windows (cp1252) files with smart quotes, saved web pages, JSONL exports, and now and
then a PNG or a 2 GB dump. Every problem with one file (or one JSONL line) is *yielded*
as an ``IngestError`` so the rest of the batch still goes through; the CLI prints them.
"""
from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, PageElement, Tag
from bs4.dammit import EncodingDetector
from charset_normalizer import from_bytes

from . import settings
from .errors import IngestError, printable
from .pipeline import MAX_YEAR, MIN_YEAR, article_from_text, article_id, clean_text
from .schema import Article, Unchanged

SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
HTML_SUFFIXES = (".html", ".htm")

BINARY = "binary file, not text (expected UTF-8 or another text encoding)"
EMPTY = "empty file"
_MAX_CONTROL_SHARE = 0.10  # more non-printable characters than this: not text
_UTF_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
             (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_WIDE_CODECS = ["utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be"]
# C0 and C1 control characters except \t and \n (\r is turned into \n before this runs).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_BYTES = bytes([*range(1, 9), 0x0b, 0x0c, *range(0x0e, 0x1b), *range(0x1c, 0x20), 0x7f])
_NEWLINES = re.compile(r"\r\n|\r|\x85|\u2028|\u2029")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # JSONL: a raw U+2028 may sit inside a JSON string

_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "svg", "object", "embed",
              "meta", "link", "base")
_PARAGRAPH_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "title", "blockquote", "pre",
                   "ul", "ol", "dl", "table", "section", "article", "header", "footer",
                   "aside", "figure", "main", "nav", "hr", "address", "form")
_LINE_TAGS = ("li", "div", "tr", "dt", "dd", "figcaption", "caption", "summary")
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML whitespace only: a no-break space stays


# --------------------------------------------------------------------------- paths


def _walk(path: Path) -> Iterator[Path | IngestError]:
    """One given path: the file itself, or every supported file under a folder, sorted
    so a run is reproducible, hidden files and folders (.git, .DS_Store) and a folder's
    own README (documentation, not an article) left out. A file named explicitly is
    always read."""
    if path.is_dir():
        found: list[Path] = []
        for root, dirs, files in os.walk(path):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                full = Path(root) / name
                if name.startswith(".") or full.suffix.lower() not in SUFFIXES:
                    continue
                if full.stem.upper() == "README":
                    continue
                if full.is_file():
                    found.append(full)
                elif not full.exists():
                    yield IngestError(full, "broken link (the file it points to does not exist)")
        yield from sorted(found)
    elif path.exists() or path.is_symlink():
        yield path  # named on purpose: read whatever its suffix; broken links fail on read
    else:
        yield IngestError(path, "no such file or folder")


def _walk_all(paths: Iterable[str | Path]) -> Iterator[Path | IngestError]:
    if isinstance(paths, (str, Path)):  # one path passed bare: do not iterate its letters
        paths = [paths]
    seen: set[Path] = set()
    for given in paths:
        for item in _walk(Path(given)):
            if isinstance(item, Path):
                try:
                    key = item.resolve()
                except (OSError, RuntimeError):  # a symlink loop: read it, and fail there
                    key = Path(os.path.abspath(item))
                if key in seen:  # `corpus corpus/a.txt` reads a.txt once
                    continue
                seen.add(key)
            yield item


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[IngestError]]:
    """Files as given (any suffix: the user named them), folders recursively (only
    SUFFIXES); a missing path becomes an IngestError instead of stopping the run."""
    files: list[Path] = []
    errors: list[IngestError] = []
    for item in _walk_all(paths):
        (files if isinstance(item, Path) else errors).append(item)
    return files, errors


def iter_articles(paths: Iterable[str | Path], *, max_bytes: int | None = None,
                  unchanged: Callable[[str, str], bool] | None = None
                  ) -> Iterator[Article | IngestError | Unchanged]:
    """Expand and read, in the order given: every Article and every error, one stream.
    ``unchanged(path, article_id)``: True when that text is stored under that path, and
    then the file yields ``Unchanged`` (nothing more is read from it than its bytes)."""
    for item in _walk_all(paths):
        if isinstance(item, IngestError):
            yield item
        else:
            yield from read_articles(item, max_bytes=max_bytes, unchanged=unchanged)


# --------------------------------------------------------------------------- reading


def read_articles(path: Path, *, max_bytes: int | None = None,
                  unchanged: Callable[[str, str], bool] | None = None) -> Iterator[Article | IngestError | Unchanged]:
    """One Article per text/markdown/HTML file, one per JSONL line. Never raises an
    IngestError: it is yielded, so the caller's batch goes on with the next file."""
    path = Path(path)
    limit = int(max_bytes if max_bytes is not None else settings.get("max_bytes"))
    try:
        suffix = path.suffix.lower()
        if suffix == ".jsonl":
            yield from _jsonl_stream(path, limit)
            return
        data = _read_bytes(path, limit)
        declared = EncodingDetector.find_declared_encoding(data, is_html=True) \
            if suffix in HTML_SUFFIXES else None
        text = _clean(_decode(path, data, declared))
        if suffix in HTML_SUFFIXES:
            yield _html_article(path, text)
            return
        if not text.strip():
            raise IngestError(path, EMPTY)
        name = printable(str(path))
        if unchanged is not None:
            aid = article_id(clean_text(text) or "")
            if unchanged(clean_text(name) or name, aid):
                yield Unchanged(name, aid)
                return
        yield article_from_text(text, path=name)
    except IngestError as e:
        yield e
    except (RecursionError, MemoryError, ValueError, OSError, UnicodeError, RuntimeError) as e:
        yield IngestError(path, f"cannot read it: {type(e).__name__}: {' '.join(str(e).split())[:200]}")


def _too_big(path: Path, size: int | None, limit: int) -> IngestError:
    def human(n: int) -> str:
        return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n:,} bytes"
    is_ = f"is {human(size)}, larger" if size is not None else "is larger"
    return IngestError(path, f"file {is_} than the {human(limit)} limit (raise "
                             "EXTRACTOR_MAX_BYTES to read it)")


def _read_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes, after checking its size on disk so a huge file is never
    loaded; reads at most ``limit + 1`` bytes in case it grows meanwhile."""
    try:
        st = path.stat()
        if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
            raise IngestError(path, "not a regular file (expected a text file)")
        if st.st_size > limit:
            raise _too_big(path, st.st_size, limit)
        with path.open("rb") as f:
            data = f.read(limit + 1)
    except FileNotFoundError:
        raise IngestError(path, "no such file or folder") from None
    except OSError as e:
        raise IngestError(path, f"cannot read it: {e.strerror or e} (expected a readable "
                                "text file)") from None
    if len(data) > limit:  # it grew after stat()
        raise _too_big(path, None, limit)
    if not data.strip():
        raise IngestError(path, EMPTY)
    return data


def _decode(path: Path, data: bytes, declared: str | None = None) -> str:
    """Bytes -> str: a UTF BOM, then strict UTF-8, then the page's declared charset,
    then charset-normalizer. Raises IngestError(BINARY) when it is not text at all."""
    original_size = len(data)
    for bom, codec in _UTF_BOMS:
        if data.startswith(bom):
            try:
                return _check_text(path, data.decode(codec))
            except UnicodeDecodeError:
                break
    if b"\x00" in data:
        raise IngestError(path, BINARY)
    # Stray control bytes mean the same in every ASCII-based code page and are stripped
    # anyway; left in, they make charset-normalizer refuse a short text file.
    data = data.translate(None, _CONTROL_BYTES)
    if len(data) < (1 - _MAX_CONTROL_SHARE) * original_size:
        raise IngestError(path, BINARY)
    try:
        return _check_text(path, data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    if declared:
        # Browsers read a page labelled latin-1 or ASCII as windows-1252 (WHATWG).
        codec = "cp1252" if declared.lower() in ("iso-8859-1", "latin-1", "latin1",
                                                  "us-ascii", "ascii") else declared
        try:
            return _check_text(path, data.decode(codec))
        except (LookupError, UnicodeDecodeError):
            pass
    # UTF-16/32 without a BOM would hold NULs for every ASCII letter, refused above.
    matches = from_bytes(data, cp_exclusion=_WIDE_CODECS)
    best = matches.best()
    if best is None:
        raise IngestError(path, BINARY)
    # A few accented bytes in English text fit a dozen code pages equally well, and
    # charset-normalizer then picks one at random (b"\x93quoted\x94" as cp1125).
    # Among the least chaotic candidates, take cp1252: the Western legacy default.
    for m in matches:
        if m.chaos <= best.chaos and "cp1252" in m.could_be_from_charset:
            try:
                return _check_text(path, data.decode("cp1252"))
            except UnicodeDecodeError:
                break
    return _check_text(path, str(best))


def _check_text(path: Path, text: str) -> str:
    """Refuse a decoding that is mostly control characters: that is a binary file."""
    if text:
        bad = len(_CONTROL.findall(text)) + text.count("\ufffd") - text.count("\r")
        if bad / len(text) > _MAX_CONTROL_SHARE:
            raise IngestError(path, BINARY)
    return text


def _clean(text: str) -> str:
    """Every newline as "\\n", and no control characters but "\\n" and "\\t", so
    character offsets mean the same thing in every tool that shows the text."""
    return _CONTROL.sub("", _NEWLINES.sub("\n", text))


# --------------------------------------------------------------------------- JSONL


def _jsonl_stream(path: Path, line_limit: int) -> Iterator[Article | IngestError]:
    """A JSONL file read line by line (a 100 MB feed never sits in memory whole): each
    line decoded on its own (UTF-8, a BOM on the first), at most ``line_limit`` bytes a
    line, and every problem one error naming the line while the next line is read."""
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise IngestError(path, "not a regular file (expected a text file)")
        fh = path.open("rb")
    except FileNotFoundError:
        raise IngestError(path, "no such file or folder") from None
    except OSError as e:
        raise IngestError(path, f"cannot read it: {e.strerror or e} (expected a readable text file)") from None
    seen = False
    with fh:
        n = 0
        while True:
            raw = fh.readline(line_limit + 1)
            if not raw:
                break
            n += 1
            if len(raw) > line_limit and not raw.endswith(b"\n"):
                yield IngestError(path, f"line longer than the {line_limit:,}-byte limit (raise "
                                        "EXTRACTOR_MAX_BYTES to read it)", line=n)
                while raw and not raw.endswith(b"\n"):  # skip the rest of that line
                    raw = fh.readline(1 << 20)
                continue
            if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                line = raw.decode("cp1252", errors="replace")
            for piece in _LINE_BREAK.split(line):
                if not piece.strip():
                    continue
                seen = True
                try:
                    yield _jsonl_article(path, piece, n)
                except IngestError as e:
                    yield e
                except (RecursionError, MemoryError, ValueError, TypeError, UnicodeError, OverflowError) as e:
                    reason = " ".join(str(e).split())[:160]
                    yield IngestError(path, f"cannot read this line: {type(e).__name__}: {reason}", line=n)
    if not seen:
        yield IngestError(path, EMPTY)


def _jsonl_articles(path: Path, raw: str) -> Iterator[Article | IngestError]:
    """One Article per line, ``path`` = "file.jsonl:N" so each line is its own article
    ("file.jsonl#ID" when the line carries its own "id", which then names the article
    whatever line it moves to).
    A bad line is yielded as an error and the next line is read."""
    for n, line in enumerate(_LINE_BREAK.split(raw), 1):
        if not line.strip():
            continue
        try:
            yield _jsonl_article(path, line, n)
        except IngestError as e:
            yield e


def _jsonl_article(path: Path, line: str, n: int) -> Article:
    def fail(reason: str) -> IngestError:
        return IngestError(path, reason, line=n)

    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        raise fail(f"not valid JSON: {e.msg} (column {e.colno})") from None
    except RecursionError:
        raise fail("not valid JSON: nested too deeply") from None
    except ValueError as e:  # a number of more than 4,300 digits
        raise fail(f"not valid JSON: {' '.join(str(e).split())[:120]}") from None
    if not isinstance(record, dict):
        raise fail(f'expected a JSON object with a "text" field, got {type(record).__name__}')
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise fail('missing field "text" (expected a non-empty string with the article text)')
    fields: dict[str, str | None] = {}
    key = record.get("id")
    if isinstance(key, bool) or (key is not None and not isinstance(key, (str, int))):
        raise fail(f'field "id" is {key!r}, expected a string or a number')
    key = str(key).strip() or None if key is not None else None
    for name in ("source", "title", "published"):
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            raise fail(f'field "{name}" is {value!r}, expected a string')
        fields[name] = (value or "").strip() or None
    published = None
    if fields["published"]:
        published = _parse_date(fields["published"])
        if published is None:
            raise fail(f'field "published" is {fields["published"]!r}, expected an ISO date '
                       "like 2017-08-18")
        if not MIN_YEAR <= published.year <= MAX_YEAR:
            raise fail(f'field "published" is {published.isoformat()}, outside {MIN_YEAR}..{MAX_YEAR}')
    where = printable(str(path))
    article = article_from_text(_clean(text), published=published, source=fields["source"],
                                title=fields["title"], path=f"{where}#{printable(key)}" if key else f"{where}:{n}")
    return replace(article, key=key) if key else article


def _parse_date(value: str) -> date | None:
    """An ISO date or date-time ("2017-08-18", "2017-08-18T14:03:00Z") -> its day."""
    value = value.strip()
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        return None


# --------------------------------------------------------------------------- HTML


def _html_article(path: Path, markup: str) -> Article:
    text, title, published, source = html_to_text(markup)
    if not text.strip():
        raise IngestError(path, "no article text in the HTML (only markup, scripts or "
                                "styles; expected paragraphs in the <body>)")
    return article_from_text(text, published=published, source=source, title=title or None,
                             path=str(path))


_MARKS = re.compile(r"[ \t\n\x1e\x1f]+")
_REPEATED_TAGS = re.compile(r"(<(/?[a-zA-Z][a-zA-Z0-9]{0,15})(?:\s[^<>]{0,200})?>)(?:\s*<\2(?:\s[^<>]{0,200})?>){20,}")


def _marks_to_breaks(m: re.Match) -> str:
    run = m.group(0)
    if "\x1e" in run:
        return "\n\n"
    if "\x1f" in run:
        return "\n"
    return run


def html_to_text(markup: str) -> tuple[str, str | None, date | None, str | None]:
    """A saved web page -> (text, title, published, source URL).

    Scripts, styles and other non-text parts are dropped (their words would become
    "facts"); paragraphs and headings are kept apart by blank lines so sentences do
    not run into each other.
    """
    # Thousands of empty tags in a row ("<div>" x 100,000) carry no text but make the
    # parser build a tree that deep: a run of the same empty tag is read as one.
    markup = _REPEATED_TAGS.sub(r"\1", markup)
    soup = BeautifulSoup(markup, "html.parser")
    first: dict[str, Tag] = {}  # one pass over the tree for the head's facts, not one per fact
    for tag in soup.find_all(["title", "h1", "meta", "time", "link"]):
        name = tag.name
        if name == "meta":
            if tag.get("property") in ("article:published_time", "og:url"):
                name = f"meta:{tag.get('property')}"
            elif str(tag.get("name") or "").lower() == "date":
                name = "meta:date"
            else:
                continue
        elif name == "time" and not tag.get("datetime"):
            continue
        elif name == "link" and "canonical" not in (tag.get("rel") or []):
            continue
        first.setdefault(name, tag)
    title_tag = first.get("title") or first.get("h1")
    title = " ".join(title_tag.get_text(" ").split()) if title_tag else ""
    dates = (_parse_date(v) or _parse_date(v[:10]) for v in _attr_values(
        (first.get("meta:article:published_time"), "content"), (first.get("meta:date"), "content"),
        (first.get("time"), "datetime")))
    published = next((d for d in dates if d is not None), None)
    source = next(_attr_values((first.get("link"), "href"), (first.get("meta:og:url"), "content")), None)

    text = _text_with_marks(soup)
    # A run of block marks holding a paragraph mark becomes one blank line, else one
    # line break: the <li>s of a <ul> are "one\ntwo", not "one\n\n\ntwo".
    # one pass over each run of spaces and block marks (linear: "<div>" x 100,000 is one
    # run, not 100,000 rescans): a paragraph mark makes a blank line, a line mark a newline
    text = _MARKS.sub(_marks_to_breaks, text)
    text = _clean(text)  # &#13; and the like
    text = "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return text, title or None, published, source


def _attr_values(*pairs: tuple[Tag | None, str]) -> Iterator[str]:
    """The non-empty values of (tag, attribute) pairs, in order: first one wins."""
    for tag, attr in pairs:
        value = tag.get(attr) if tag is not None else None
        if isinstance(value, str) and value.strip():
            yield value.strip()


def _text_with_marks(soup: BeautifulSoup) -> str:
    """The visible strings in document order, with a paragraph mark (\\x1e) or line
    mark (\\x1f) around each block. A walk, not tree surgery: inserting into a parent
    with 100,000 children is quadratic in BeautifulSoup."""
    parts: list[str] = []
    stack: list[PageElement | str] = [soup]
    while stack:
        node = stack.pop()
        if type(node) is str:  # a mark pushed below
            parts.append(node)
        elif isinstance(node, NavigableString):
            # Plain strings only: comments, doctype, CDATA and script text are other types.
            if type(node) is NavigableString and node.parent.name != "head":
                in_pre = any(p.name == "pre" for p in node.parents)
                parts.append(node if in_pre else _HTML_SPACE.sub(" ", node))
        elif isinstance(node, Tag) and node.name not in _DROP_TAGS:
            if node.name == "br":
                parts.append("\n")
                continue
            mark = "\x1e" if node.name in _PARAGRAPH_TAGS else \
                "\x1f" if node.name in _LINE_TAGS else ""
            stack.extend((mark, *reversed(node.contents), mark))
    return "".join(parts)
