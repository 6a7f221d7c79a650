"""Imported first by every module that imports spaCy, never at package import: so
``extractor --help`` starts without spaCy and its ML layer (0.08 s instead of 0.4 s),
and wherever spaCy does load, thinc never imports torch."""
from __future__ import annotations

import importlib.util
import sys


def _thinc_without_torch() -> None:
    """thinc (spaCy's ML layer) imports torch whenever it is installed: ~1.2 s and
    ~190 MB that extraction never uses. Where torch is installed (the train extra),
    thinc's compat module is imported once with torch hidden; ``import torch`` still
    works afterwards for ``extractor train``. Without torch this costs nothing."""
    if "thinc.compat" in sys.modules or "torch" in sys.modules or importlib.util.find_spec("torch") is None:
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  (makes "import torch" raise ImportError)
    try:
        import thinc.compat  # noqa: F401
    except ImportError:
        pass
    finally:
        del sys.modules["torch"]


_thinc_without_torch()
