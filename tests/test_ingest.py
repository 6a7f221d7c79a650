"""ingest: what a user sees when they drop files of every kind into corpus/."""
from __future__ import annotations

import builtins
import io
import json
from datetime import date
from pathlib import Path

import pytest

from extractor.errors import IngestError
from extractor.ingest import SUFFIXES, expand_paths, iter_articles, read_articles
from extractor.schema import Article
from conftest import shared_path

BINARY = "binary file, not text (expected UTF-8 or another text encoding)"


def read_one(path: Path, **kw) -> Article | IngestError:
    out = list(read_articles(path, **kw))
    assert len(out) == 1, out
    return out[0]


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# --------------------------------------------------------------------------- decoding


def test_utf8_text_is_read_as_is(tmp_path):
    a = read_one(write(tmp_path, "a.txt", "IWM fell 2.7% — “risk off”.\n"))
    assert isinstance(a, Article)
    assert a.text == "IWM fell 2.7% — “risk off”.\n"
    assert a.path == str(tmp_path / "a.txt")


def test_utf8_bom_is_dropped_and_gives_the_same_article(tmp_path):
    plain = read_one(write(tmp_path, "plain.txt", "Café stocks rallied.\n"))
    bom = read_one(write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + "Café stocks rallied.\n".encode()))
    assert bom.text == "Café stocks rallied.\n"
    assert bom.id == plain.id


def test_cp1252_smart_quotes_come_out_as_quotes(tmp_path):
    a = read_one(write(tmp_path, "q.txt", b"\x93quoted\x94"))
    assert a.text == "“quoted”"
    longer = read_one(write(tmp_path, "w.txt", b"He said \x93buy IWM\x94 \x96 it is up 2\xa0percent."))
    assert longer.text == "He said “buy IWM” – it is up 2\xa0percent."


def test_latin1_accents_come_out_right(tmp_path):
    assert read_one(write(tmp_path, "e.txt", b"caf\xe9")).text == "café"
    a = read_one(write(tmp_path, "f.txt", b"Le caf\xe9 est tr\xe8s cher, dit M\xfcller."))
    assert a.text == "Le café est très cher, dit Müller."


def test_non_western_legacy_text_is_not_forced_to_cp1252(tmp_path):
    text = "Индекс S&P 500 вырос на 2,7 процента за неделю, сообщили аналитики банка."
    assert read_one(write(tmp_path, "ru.txt", text.encode("cp1251"))).text == text


def test_utf16_with_bom_is_text_not_binary(tmp_path):
    a = read_one(write(tmp_path, "u16.txt", "IWM is up 2.7 percent.".encode("utf-16")))
    assert a.text == "IWM is up 2.7 percent."


def test_newlines_normalised_and_control_characters_stripped(tmp_path):
    a = read_one(write(tmp_path, "c.txt", b"line one\r\nline\x07 two\rline\tthree\x0c\n"))
    assert a.text == "line one\nline two\nline\tthree\n"


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  "], ids=["empty", "whitespace"])
def test_empty_file_is_an_error(tmp_path, data):
    err = read_one(write(tmp_path, "e.txt", data))
    assert isinstance(err, IngestError)
    assert str(err) == f"{tmp_path / 'e.txt'}: empty file"


def test_binary_file_is_an_error(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64 + bytes(range(256))
    err = read_one(write(tmp_path, "image.txt", png))
    assert isinstance(err, IngestError)
    assert err.reason == BINARY


def test_binary_without_nul_bytes_is_an_error(tmp_path):
    err = read_one(write(tmp_path, "blob.txt", bytes(range(1, 256)) * 40))
    assert isinstance(err, IngestError) and err.reason == BINARY


def test_file_over_the_size_limit_is_refused_without_being_read(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    with big.open("wb") as f:  # sparse: 20 MB on paper, nothing on disk
        f.seek(20_000_000 - 1)
        f.write(b"x")
    opened: list[str] = []
    real_open = io.open

    def spy(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", spy)
    monkeypatch.setattr(builtins, "open", spy)
    monkeypatch.delenv("EXTRACTOR_MAX_BYTES", raising=False)
    err = read_one(big)
    assert isinstance(err, IngestError)
    assert err.reason == ("file is 20.0 MB, larger than the 10.0 MB limit "
                          "(raise EXTRACTOR_MAX_BYTES to read it)")
    assert str(big) not in opened


def test_size_limit_follows_the_setting_and_the_argument(tmp_path, monkeypatch):
    path = write(tmp_path, "a.txt", "x" * 500)
    monkeypatch.setenv("EXTRACTOR_MAX_BYTES", "100")
    assert isinstance(read_one(path), IngestError)
    assert isinstance(read_one(path, max_bytes=1000), Article)


def test_unreadable_path_reports_the_os_reason(tmp_path):
    (tmp_path / "x.txt").mkdir()
    err = read_one(tmp_path / "x.txt")
    assert isinstance(err, IngestError)
    assert "Is a directory" in err.reason


# --------------------------------------------------------------------------- header


def test_header_date_on_the_first_line_is_the_publication_day(tmp_path):
    a = read_one(write(tmp_path, "h.txt", " date 2017-08-18 Some text about IWM."))
    assert a.published == date(2017, 8, 18)
    assert a.text[a.body_start:] == "Some text about IWM."


def test_same_text_gives_the_same_id_wherever_it_lives(tmp_path):
    a = read_one(write(tmp_path, "one/a.txt", "IWM is up 2.7 percent."))
    b = read_one(write(tmp_path, "two/b.md", "IWM is up 2.7 percent."))
    c = read_one(write(tmp_path, "c.txt", "IWM is up 2.8 percent."))
    assert a.id == b.id != c.id


def test_markdown_is_kept_as_is(tmp_path):
    md = "# IWM outflows\n\n*More than* $700 million has left IWM.\n"
    a = read_one(write(tmp_path, "a.md", md))
    assert a.text == md


# --------------------------------------------------------------------------- HTML

PAGE = """<!doctype html>
<html><head>
<title>Small caps slide</title>
<meta property="article:published_time" content="2017-08-18T14:03:00Z">
<link rel="canonical" href="https://example.com/2017/08/small-caps">
<script>alert(1)</script>
<style>p { color: red }</style>
</head><body>
<!-- tracking comment -->
<h1>Small caps   slide</h1>
<p>More than $700 million has vacated IWM
in the past couple sessions.</p>
<p>IWM is up just 2.7 percent<br>year-to-date.</p>
<script type="text/javascript">var leaked = "SECRET";</script>
<noscript>Enable JavaScript</noscript>
<ul><li>one</li><li>two</li></ul>
</body></html>"""


def test_html_becomes_text_without_scripts_or_styles(tmp_path):
    a = read_one(write(tmp_path, "page.html", PAGE))
    assert isinstance(a, Article)
    for junk in ("alert(1)", "SECRET", "color: red", "Enable JavaScript", "tracking", "<p>"):
        assert junk not in a.text
    assert "\n\nMore than $700 million has vacated IWM in the past couple sessions.\n\n" in a.text
    assert "IWM is up just 2.7 percent\nyear-to-date." in a.text
    assert "one\ntwo" in a.text
    assert a.title == "Small caps slide"
    assert a.published == date(2017, 8, 18)
    assert a.source == "https://example.com/2017/08/small-caps"


def test_html_title_from_h1_and_date_from_time_tag(tmp_path):
    page = ("<body><h1>IWM  outflows</h1><time datetime='2019-05-24'>May 24</time>"
            "<p>Body.</p></body>")
    a = read_one(write(tmp_path, "p.htm", page))
    assert a.title == "IWM outflows"
    assert a.published == date(2019, 5, 24)


def test_html_declared_charset_is_honoured(tmp_path):
    page = b'<meta charset="iso-8859-1"><p>He said \x93sell\x94 at the caf\xe9.</p>'
    assert read_one(write(tmp_path, "p.html", page)).text == "He said “sell” at the café."


def test_html_with_only_scripts_is_an_error(tmp_path):
    err = read_one(write(tmp_path, "p.html", "<script>alert(1)</script>"))
    assert isinstance(err, IngestError)
    assert "no article text" in err.reason


# --------------------------------------------------------------------------- JSONL


def test_jsonl_bad_lines_are_reported_and_the_good_ones_still_come_out(tmp_path):
    lines = [
        json.dumps({"text": "IWM is up 2.7 percent.", "published": "2017-08-18",
                    "source": "https://example.com/a", "title": "First"}),
        "{not json",
        "",
        json.dumps({"title": "no text here"}),
        json.dumps({"text": "SPY fell.", "published": "18/08/2017"}),
        json.dumps({"text": "QQQ rose 1 percent."}),
    ]
    path = write(tmp_path, "batch.jsonl", "\n".join(lines) + "\n")
    out = list(read_articles(path))
    assert [type(x).__name__ for x in out] == ["Article", "IngestError", "IngestError",
                                               "IngestError", "Article"]
    first, bad_json, no_text, bad_date, last = out
    assert first.path == f"{path}:1"
    assert (first.published, first.source, first.title) == (
        date(2017, 8, 18), "https://example.com/a", "First")
    assert bad_json.line == 2 and bad_json.reason.startswith("not valid JSON: ")
    assert str(bad_json).startswith(f"{path}:2: not valid JSON")
    assert no_text.line == 4 and '"text"' in no_text.reason
    assert bad_date.line == 5 and '"published"' in bad_date.reason
    assert last.path == f"{path}:6" and last.text == "QQQ rose 1 percent."


def test_jsonl_lines_are_separate_articles(tmp_path):
    path = write(tmp_path, "two.jsonl", '{"text": "A."}\n{"text": "B."}\n')
    a, b = read_articles(path)
    assert a.id != b.id and (a.text, b.text) == ("A.", "B.")


# --------------------------------------------------------------------------- paths


def test_missing_path_is_an_error_and_the_rest_goes_on(tmp_path):
    good = write(tmp_path, "a.txt", "IWM.")
    out = list(iter_articles([tmp_path / "nope.txt", good]))
    assert isinstance(out[0], IngestError)
    assert str(out[0]) == f"{tmp_path / 'nope.txt'}: no such file or folder"
    assert isinstance(out[1], Article)
    files, errors = expand_paths([tmp_path / "nope", good])
    assert files == [good] and [e.reason for e in errors] == ["no such file or folder"]


def test_folders_are_read_recursively_sorted_skipping_hidden_and_other_files(tmp_path):
    for name in ("b.txt", "a.md", "sub/c.html", "sub/deeper/d.jsonl", "Z.TXT",
                 ".hidden.txt", ".git/e.txt", "sub/.cache/f.txt", "notes.pdf", "data.csv"):
        write(tmp_path, name, "x")
    files, errors = expand_paths([tmp_path])
    assert errors == []
    assert [f.relative_to(tmp_path).as_posix() for f in files] == [
        "Z.TXT", "a.md", "b.txt", "sub/c.html", "sub/deeper/d.jsonl"]
    assert all(f.suffix.lower() in SUFFIXES for f in files)


def test_a_bare_string_path_and_repeats_are_handled(tmp_path):
    write(tmp_path, "a.txt", "IWM.")
    files, _ = expand_paths(str(tmp_path))  # not iterated letter by letter
    assert [f.name for f in files] == ["a.txt"]
    files, _ = expand_paths([tmp_path, tmp_path / "a.txt"])
    assert len(files) == 1


def test_iter_articles_keeps_going_past_bad_files(tmp_path):
    write(tmp_path, "1.txt", "First article.")
    write(tmp_path, "2.txt", b"\x00\x01binary")
    write(tmp_path, "3.txt", "")
    write(tmp_path, "4.txt", "Last article.")
    out = list(iter_articles([tmp_path]))
    assert [type(x).__name__ for x in out] == ["Article", "IngestError", "IngestError", "Article"]
    assert out[-1].text == "Last article."


def test_every_dev_corpus_article_reads_cleanly():
    paths = sorted(shared_path("corpus-dev").glob("*.txt"))
    assert paths
    out = list(iter_articles(paths))
    assert [x for x in out if isinstance(x, IngestError)] == []
    assert len(out) == len(paths)
    for article in out:
        assert article.text.strip() and "\r" not in article.text
        first_line = article.text.split("\n", 1)[0]
        if first_line.startswith("date "):
            assert article.published == date.fromisoformat(first_line.split()[1])


def test_a_folder_readme_is_documentation_not_an_article(tmp_path):
    (tmp_path / "README.md").write_text("These files are samples; SPY fell 3% is not a claim here.")
    (tmp_path / "a.txt").write_text("IWM is up 2.7 percent year-to-date.")
    files, errors = expand_paths([tmp_path])
    assert [f.name for f in files] == ["a.txt"] and errors == []
    files, _ = expand_paths([tmp_path / "README.md"])
    assert [f.name for f in files] == ["README.md"]


def test_a_source_line_after_the_date_line_is_read(tmp_path):
    """The sample articles' header: date, source URL, then the title line."""
    a = read_one(write(tmp_path, "a.txt", "date 2020-09-11\nsource https://example.org/x/2020/09/11/y\n"
                                          "Traders buy the dip\n\nBody text here.\n"))
    assert a.source == "https://example.org/x/2020/09/11/y"
    assert a.title == "Traders buy the dip"
    assert a.text[a.body_start:].startswith("Traders buy the dip")
