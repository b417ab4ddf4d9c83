"""Comparators: how alike two passages are, from 0 to 100, in the manner of RapidFuzz's scorers.

Every comparator has the same two verbs:

- `score(a, b)`: one pair, in plain Python: the slow, obvious reference;
- `cdist(queries, choices, *, workers=1)`: every query against every choice at once, as a float32 matrix; it
  must agree with `score` pair by pair (tests check it).

Options are keyword-only and given when the comparator is made.
"""

from __future__ import annotations

from typing import Protocol, Sequence

import numpy as np
from rapidfuzz import fuzz, process

from .anchors import anchors
from .normalize import keyword_key, keywords, normalize


class Comparator(Protocol):
    name: str

    def score(self, a: str, b: str) -> float: ...

    def cdist(self, queries: Sequence[str], choices: Sequence[str], *, workers: int = 1) -> np.ndarray: ...


class TextComparator:
    """Two English texts: the mean of RapidFuzz's `ratio` over the normalized texts (wording and order) and over
    their sorted keywords (content regardless of order)."""

    name = "text"

    def __init__(self, *, prefix: int = 5):
        self.prefix = prefix

    def score(self, a: str, b: str) -> float:
        wording = fuzz.ratio(normalize(a), normalize(b))
        content = fuzz.ratio(keyword_key(a, prefix=self.prefix), keyword_key(b, prefix=self.prefix))
        return (wording + content) / 2

    def cdist(self, queries: Sequence[str], choices: Sequence[str], *, workers: int = 1) -> np.ndarray:
        symmetric = queries is choices  # RapidFuzz then scores each pair once
        normalized_queries = [normalize(text) for text in queries]
        normalized_choices = normalized_queries if symmetric else [normalize(text) for text in choices]
        scores = process.cdist(normalized_queries, normalized_choices, scorer=fuzz.ratio, dtype=np.float32,
                               workers=workers)
        keys_queries = [keyword_key(text, prefix=self.prefix, normalized=True) for text in normalized_queries]
        keys_choices = keys_queries if symmetric else [keyword_key(text, prefix=self.prefix, normalized=True)
                                                       for text in normalized_choices]
        scores += process.cdist(keys_queries, keys_choices, scorer=fuzz.ratio, dtype=np.float32, workers=workers)
        scores /= 2
        return scores


class ContainmentComparator:
    """How much of `a` is found in `b`: the share of a's keywords that b also has, times 100. Not symmetric: it
    finds a statement inside a longer passage that tells two."""

    name = "containment"

    def __init__(self, *, prefix: int = 5):
        self.prefix = prefix

    def score(self, a: str, b: str) -> float:
        mine, theirs = set(keywords(a, prefix=self.prefix)), set(keywords(b, prefix=self.prefix))
        return 100 * len(mine & theirs) / len(mine) if mine else 0.0

    def cdist(self, queries: Sequence[str], choices: Sequence[str], *, workers: int = 1) -> np.ndarray:
        query_sets = [set(keywords(text, prefix=self.prefix)) for text in queries]
        choice_sets = [set(keywords(text, prefix=self.prefix)) for text in choices]
        shared, query_incidence, _ = _shared_counts(query_sets, choice_sets)
        sizes = query_incidence.sum(axis=1, keepdims=True)
        return np.divide(100 * shared, sizes, out=np.zeros_like(shared), where=sizes > 0)


class AnchorComparator:
    """Two texts in any languages: the Jaccard overlap of their anchors (numbers, Latin-script names), times 100."""

    name = "anchors"

    def score(self, a: str, b: str) -> float:
        mine, theirs = anchors(a), anchors(b)
        union = len(mine | theirs)
        return 100 * len(mine & theirs) / union if mine and theirs else 0.0

    def cdist(self, queries: Sequence[str], choices: Sequence[str], *, workers: int = 1) -> np.ndarray:
        query_sets, choice_sets = [anchors(text) for text in queries], [anchors(text) for text in choices]
        shared, query_incidence, choice_incidence = _shared_counts(query_sets, choice_sets)
        union = query_incidence.sum(axis=1)[:, None] + choice_incidence.sum(axis=1)[None, :] - shared
        nonempty = (query_incidence.sum(axis=1)[:, None] > 0) & (choice_incidence.sum(axis=1)[None, :] > 0)
        return np.divide(100 * shared, union, out=np.zeros_like(shared), where=nonempty)


def _shared_counts(query_sets: list[set], choice_sets: list[set]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(items shared by each query and choice, query incidence, choice incidence), as float32 matrices."""
    vocabulary = {item: column for column, item in enumerate(sorted(set().union(*query_sets, *choice_sets)))}
    query_incidence = _incidence(query_sets, vocabulary)
    choice_incidence = _incidence(choice_sets, vocabulary)
    return query_incidence @ choice_incidence.T, query_incidence, choice_incidence


def _incidence(sets: list[set], vocabulary: dict) -> np.ndarray:
    matrix = np.zeros((len(sets), len(vocabulary)), dtype=np.float32)
    rows = [row for row, items in enumerate(sets) for _ in items]
    columns = [vocabulary[item] for items in sets for item in items]
    matrix[rows, columns] = 1
    return matrix
