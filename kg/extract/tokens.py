"""Per-document token attributes, read once.

spaCy creates a Python ``Token`` object on every ``doc[i]`` and every iteration; kg's rules scan
documents many times, so they read these lists instead and build ``Token`` objects only for the
few positions that need the parse tree.
"""

from __future__ import annotations

from typing import Any


class LiteToken:
    """What the mention rules read of a token, as a plain object made once per document."""

    __slots__ = ("i", "text", "lower_", "tag_", "dep_", "is_space", "is_alpha", "is_punct", "is_lower",
                 "like_num", "idx", "whitespace_", "_doc")

    def __init__(self, doc: LiteDoc, t: Any) -> None:
        self._doc = doc
        self.i = t.i
        self.text = t.text
        self.lower_ = t.lower_
        self.tag_ = t.tag_
        self.dep_ = t.dep_
        self.is_space = t.is_space
        self.is_alpha = t.is_alpha
        self.is_punct = t.is_punct
        self.is_lower = t.is_lower
        self.like_num = t.like_num
        self.idx = t.idx
        self.whitespace_ = t.whitespace_

    @property
    def text_with_ws(self) -> str:
        return self.text + self.whitespace_

    def __repr__(self) -> str:
        return self.text

    @property
    def sent(self) -> LiteSpan:
        s, e = self._doc.sent_bounds[self._doc.sent_of[self.i]]
        return LiteSpan(self._doc, s, e)

    @property
    def head(self) -> LiteToken:
        return self._doc[self._doc.heads[self.i]]


class LiteSpan:
    __slots__ = ("_doc", "start", "end")

    def __init__(self, doc: LiteDoc, start: int, end: int) -> None:
        self._doc, self.start, self.end = doc, start, end

    @property
    def text(self) -> str:
        return self._doc.span_text(self.start, self.end)

    @property
    def start_char(self) -> int:
        return self._doc.tokens[self.start].idx if self.start < self.end else 0

    @property
    def end_char(self) -> int:
        t = self._doc.tokens[self.end - 1]
        return t.idx + len(t.text)

    def __len__(self) -> int:
        return max(0, self.end - self.start)

    def __iter__(self):
        return iter(self._doc.tokens[self.start:self.end])

    def __getitem__(self, k: int | slice) -> Any:
        if isinstance(k, slice):
            a, b, _ = k.indices(len(self))
            return LiteSpan(self._doc, self.start + a, self.start + b)
        if k < 0:
            k += len(self)
        return self._doc.tokens[self.start + k]

    @property
    def root(self) -> Any:
        return self._doc.doc[self.start:self.end].root


class LiteDoc:
    """A spaCy Doc seen through :class:`LiteToken` objects (built once); the parse tree, the
    entities and the vocabulary come from the real document."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.text = doc.text
        self.vocab = doc.vocab
        self.tokens = [LiteToken(self, t) for t in doc]
        from spacy.attrs import HEAD

        self.heads = [i + int(rel) for i, rel in enumerate(doc.to_array(HEAD).view("int64"))] if len(doc) else []
        self.sent_of = [0] * len(self.tokens)
        self.sent_bounds: list[tuple[int, int]] = []
        for k, s in enumerate(doc.sents):
            self.sent_bounds.append((s.start, s.end))
            for i in range(s.start, s.end):
                self.sent_of[i] = k

    def __len__(self) -> int:
        return len(self.tokens)

    def __iter__(self):
        return iter(self.tokens)

    def __getitem__(self, k: int | slice) -> Any:
        if isinstance(k, slice):
            a, b, _ = k.indices(len(self.tokens))
            return LiteSpan(self, a, b)
        return self.tokens[k]

    def span_text(self, start: int, end: int) -> str:
        if start >= end:
            return ""
        last = self.tokens[end - 1]
        return self.text[self.tokens[start].idx:last.idx + len(last.text)]

    @property
    def ents(self) -> Any:
        return self.doc.ents

    @property
    def sents(self):
        return [LiteSpan(self, s, e) for s, e in self.sent_bounds]

    def char_span(self, *args: Any, **kwargs: Any) -> Any:
        return self.doc.char_span(*args, **kwargs)
