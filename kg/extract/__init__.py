"""Extraction: an :class:`~kg.model.Article` in, an :class:`~kg.model.Extraction` out.

spaCy objects never leave this package. :class:`Extractor` loads the model once and runs
``nlp.pipe`` over batches of articles; :func:`extract_doc` applies kg's rules to one parsed
document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from kg.model import Article, Extraction

__all__ = ["Extractor", "now_iso"]


def now_iso() -> str:
    """The current UTC time, or SOURCE_DATE_EPOCH when set (reproducible builds and tests)."""
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Extractor:
    """Runs the spaCy model and kg's rules. One per process; reuse it."""

    def __init__(self, model: str | None = None, batch_size: int = 32) -> None:
        from kg.extract import nlp as nlp_mod
        from kg.extract.lexicon import lexicon
        from kg.resolve.gazetteer import gazetteer
        from kg.resolve.organisations import organisations

        self.requested = model
        self.nlp = nlp_mod.load(model)
        self.model = nlp_mod.model_id(self.nlp)
        self.batch_size = batch_size
        from kg.extract.mentions import MentionFinder

        self.finder = MentionFinder(lexicon(), organisations(), gazetteer(), self.nlp)

    def extract(self, article: Article) -> Extraction:
        return next(self.extract_many([article]))

    def extract_many(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        """Extractions in input order; the model runs over batches (``nlp.pipe``)."""
        from kg.extract.document import extract_doc

        def texts() -> Iterator[tuple[str, Article]]:
            for a in articles:
                yield a.text, a

        started = now_iso()
        for doc, article in self.nlp.pipe(texts(), as_tuples=True, batch_size=self.batch_size):
            yield extract_doc(doc, article, self.finder, self.model, started, now_iso())
            started = now_iso()


