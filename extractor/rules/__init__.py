"""spaCy components that find mention spans; each writes ``doc.spans[KEY]``."""
