"""Vocabulary files are data; a broken line is reported with its file and line."""
import pytest

from extractor.errors import ExtractorError
from extractor.rules import vocab


def test_shipped_vocabularies_load():
    for name in ("facts", "tickers", "attribution"):
        assert vocab.load_vocab(name)


def test_bad_line_names_file_and_line(tmp_path, monkeypatch):
    (tmp_path / "broken.jsonl").write_text('// comment\n{"kind": "x", "values": ["a"]}\n{"kind": "y"}\n')
    monkeypatch.setattr(vocab, "PATTERNS", tmp_path)
    with pytest.raises(ExtractorError, match=r"broken.jsonl:3: not a vocabulary line"):
        vocab.load_vocab("broken")
