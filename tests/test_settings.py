"""Every declared setting is documented in the README, and the environment wins."""
from pathlib import Path

from extractor import settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_every_setting_is_documented():
    for s in settings.SETTINGS:
        assert f"`{s.env}`" in README, f"{s.env} is not in the README's settings table"


def test_environment_overrides_default(monkeypatch):
    monkeypatch.setenv("EXTRACTOR_MAX_BYTES", "1234")
    assert settings.get("max_bytes") == 1234
    monkeypatch.delenv("EXTRACTOR_MAX_BYTES")
    assert settings.get("max_bytes") == 10_000_000
