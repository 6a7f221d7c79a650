"""The Streamlit review app (``extractor review``): pages under ``views/``, the reads
they share in ``queries``, the article rendering in ``highlight``. It reads stored rows
and never re-runs extraction; every change goes through ``extractor.review``."""
