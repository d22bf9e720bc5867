"""Apply kg's rules to one parsed spaCy document."""

from __future__ import annotations

from typing import Any

from kg.extract.coref import build_entities, cluster
from kg.extract.mentions import MentionFinder
from kg.model import Article, Extraction


def extract_doc(doc: Any, article: Article, finder: MentionFinder, model: str,
                started: str, ended: str) -> Extraction:
    sents = list(doc.sents)
    sent_of = [0] * len(doc)
    for n, s in enumerate(sents):
        for i in range(s.start, s.end):
            sent_of[i] = n
    title_end_tok = 0
    if article.title_end:
        while title_end_tok < len(doc) and doc[title_end_tok].idx < article.title_end:
            title_end_tok += 1
    cands = finder.find(doc, article.title_end, article.authors)
    clusters = cluster(doc, cands, title_end_tok, None)
    entities, cand_entity = build_entities(doc, cands, clusters, sent_of)
    return Extraction(
        article=article,
        sentences=tuple(_trimmed(doc.text, s.start_char, s.end_char) for s in sents),
        entities=tuple(entities),
        model=model,
        started=started,
        ended=ended,
    )


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end
