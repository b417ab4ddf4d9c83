"""Slow, obvious reference implementations of stages 5 and 6 (align and claims).

They score one pair at a time with the comparators' `score` and recompute every mean from scratch at every step,
in plain Python, following the docstrings of comparators/align.py and comparators/claims.py word by word. Tests
check that the fast implementations agree with them on small events; the speed benchmark shows what vectorizing
buys. Both number translated passages the same way (by outlet, article, position) and break ties the same way
(the smaller number first), so they must find the same claims.
"""

from __future__ import annotations

import statistics
from itertools import combinations

import polars as pl

from .claims import END, LINK_DECIMALS, START, claims_tables, fold_repeats
from .comparator import AnchorComparator, TextComparator
from .options import Options
from .schema import frame


def align_passages(passages: pl.DataFrame, *, options: Options) -> pl.DataFrame:
    settings = options.align
    comparator = TextComparator(prefix=settings.keyword_prefix)
    translated = passages.filter(pl.col("text_en").is_not_null()).sort("outlet", maintain_order=True).rows(named=True)
    similarity = {}
    for i, j in combinations(range(len(translated)), 2):
        if translated[i]["outlet"] != translated[j]["outlet"]:
            similarity[i, j] = similarity[j, i] = comparator.score(translated[i]["text_en"], translated[j]["text_en"])
    baseline = []
    for i, row in enumerate(translated):
        others = [similarity[i, j] for j in range(len(translated)) if translated[j]["outlet"] != row["outlet"]]
        baseline.append(statistics.median(others + [settings.baseline_prior] * settings.baseline_prior_weight))
    rows = []
    for i, j in combinations(range(len(translated)), 2):
        if (i, j) not in similarity:
            continue
        contrast = similarity[i, j] - (baseline[i] + baseline[j]) / 2
        if contrast >= settings.floor:
            rows.append(_pair(translated[i], translated[j], similarity[i, j], contrast, "text",
                              "match" if contrast >= settings.match else "partial"))
    anchors = AnchorComparator()
    for untranslated in passages.filter(pl.col("text_en").is_null()).rows(named=True):
        for other in translated:
            if other["outlet"] == untranslated["outlet"]:
                continue
            score = anchors.score(untranslated["text"], f"{other['text']}\n{other['text_en']}")
            if score >= settings.anchor_floor:
                rows.append(_pair(untranslated, other, score, None, "anchors",
                                  "match" if score >= settings.anchor_match else "partial"))
    return frame("alignments", rows)


def _pair(a: dict, b: dict, score: float, contrast: float | None, method: str, verdict: str) -> dict:
    return {"passage_a": a["passage_id"], "passage_b": b["passage_id"], "outlet_a": a["outlet"],
            "outlet_b": b["outlet"], "score": round(score, 4), "method": method, "verdict": verdict,
            "contrast": None if contrast is None else round(contrast, 4)}


def group_claims(passages: pl.DataFrame, alignments: pl.DataFrame, *, options: Options
                 ) -> tuple[pl.DataFrame, pl.DataFrame]:
    settings = options.align
    translated = passages.filter(pl.col("text_en").is_not_null()).sort(["outlet", "article_id", "position"])
    rows = translated.rows(named=True)
    number = {row["passage_id"]: index for index, row in enumerate(rows)}
    contrast = {}
    for a, b, value in alignments.filter(pl.col("method") == "text").select(
            "passage_a", "passage_b", "contrast").iter_rows():
        contrast[number[a], number[b]] = contrast[number[b], number[a]] = value

    def evidence(i: int, j: int) -> float:
        return contrast[i, j] - settings.floor if (i, j) in contrast else 0.0

    groups = {index: [index] for index in range(len(rows))}  # name (smallest member) -> members

    def group_of(index: int) -> int:
        return next(name for name, members in groups.items() if index in members)

    def outlets(name: int) -> set[str]:
        return {rows[index]["outlet"] for index in groups[name]}

    def merge(a: int, b: int) -> None:
        a, b = min(a, b), max(a, b)
        groups[a] = sorted(groups[a] + groups.pop(b))

    def link(a: int, b: int) -> float:
        total = sum(evidence(i, j) for i in groups[a] for j in groups[b])
        return round(total / (len(groups[a]) * len(groups[b])), LINK_DECIMALS)

    def best_partner(a: int) -> tuple[float, int] | None:
        partners = [(link(a, b), b) for b in sorted(groups) if b != a and not outlets(a) & outlets(b)]
        return max(partners, key=lambda item: (item[0], -item[1])) if partners else None

    # 1. cores
    strong = sorted(((value, i, j) for (i, j), value in contrast.items() if i < j and value >= settings.match),
                    key=lambda item: (-item[0], item[1], item[2]))
    for _, i, j in strong:
        a, b = group_of(i), group_of(j)
        if a != b and not outlets(a) & outlets(b):
            merge(a, b)
    # 2. average linkage
    while True:
        candidates = [(link(a, b), a, b) for a, b in combinations(sorted(groups), 2) if not outlets(a) & outlets(b)]
        if not candidates:
            break
        value, a, b = max(candidates, key=lambda item: (item[0], -item[1], -item[2]))
        if value < settings.join - settings.floor:
            break
        merge(a, b)

    # 3. with context
    def context(name: int, step: int) -> set:
        found = set()
        for index in groups[name]:
            row = rows[index]
            neighbour = next((other for other, candidate in enumerate(rows)
                              if candidate["article_id"] == row["article_id"]
                              and candidate["position"] == row["position"] + step), None)
            if neighbour is not None:
                found.add(group_of(neighbour))
            elif step == -1 and row["position"] == 0:
                found.add(START)
            elif step == 1:
                found.add(END)
        return found

    while True:
        mutual = []
        for a in sorted(groups):
            partner = best_partner(a)
            if partner is None or partner[1] < a or partner[0] < settings.join_with_context - settings.floor:
                continue
            back = best_partner(partner[1])
            if back is not None and back[1] == a:
                mutual.append((partner[0], a, partner[1]))
        mutual.sort(key=lambda item: (-item[0], item[1]))
        chosen = next(((a, b) for _, a, b in mutual
                       if context(a, -1) & context(b, -1) or context(a, 1) & context(b, 1)), None)
        if chosen is None:
            break
        merge(*chosen)

    # 4. split sentences
    comparator = TextComparator(prefix=settings.keyword_prefix)
    pieces: dict[int, int] = {}

    def neighbour_of(index: int, step: int):
        row = rows[index]
        found = next((other for other, candidate in enumerate(rows) if candidate["article_id"] == row["article_id"]
                      and candidate["position"] == row["position"] + step), None)
        if found is None and (row["position"] == 0 and step == -1 or step == 1):
            return START if step == -1 else END
        return found

    def split_target(piece: int) -> tuple[float, int] | None:
        best = None
        for step in (-1, 1):
            beside = [neighbour_of(index, step) for index in groups[piece]]
            if any(neighbour in (None, START, END) for neighbour in beside):
                continue
            targets = {group_of(neighbour) for neighbour in beside}
            if len(targets) != 1 or piece in targets:
                continue
            target = targets.pop()
            others = [index for index in groups[target] if rows[index]["outlet"] not in outlets(piece)]
            if not others:
                continue
            gains = []
            for index, neighbour in zip(groups[piece], beside):
                mine, theirs = rows[index]["text_en"], rows[neighbour]["text_en"]
                joined = f"{theirs} {mine}" if step == -1 else f"{mine} {theirs}"
                gains.append(statistics.mean(comparator.score(joined, rows[other]["text_en"]) for other in others)
                             - statistics.mean(comparator.score(theirs, rows[other]["text_en"]) for other in others))
            gain = statistics.mean(gains)
            if best is None or gain > best[0]:
                best = (gain, beside[0])
        return best

    changed = True
    while changed:
        changed = False
        for piece in sorted(groups, key=lambda name: (len(groups[name]), name)):
            if piece not in groups:
                continue
            found = split_target(piece)
            if found is None or found[0] < settings.piece_gain:
                pieces.pop(piece, None)
            elif found[0] >= settings.split_gain:
                target = group_of(found[1])
                groups[target] = sorted(groups[target] + groups.pop(piece))
                pieces.pop(piece, None)
                changed = True
            else:
                pieces[piece] = found[1]
    members, piece_of = fold_repeats(translated, sorted(groups.values(), key=min),
                                     {min(groups[piece]): neighbour for piece, neighbour in pieces.items()})

    # 5. anchors
    member_group = {index: k for k, indices in enumerate(members) for index in indices}
    outlet_of = dict(passages.select("passage_id", "outlet").iter_rows())
    totals: dict[tuple[str, int], float] = {}
    for untranslated, other, score in alignments.filter(pl.col("method") == "anchors").select(
            "passage_a", "passage_b", "score").iter_rows():
        key = (untranslated, member_group[number[other]])
        totals[key] = totals.get(key, 0.0) + score
    links = [(total / len(members[k]), passage, k) for (passage, k), total in totals.items()]

    def runner_up(passage: str) -> float:
        values = sorted(value for value, other, _ in links if other == passage)
        return values[-2] if len(values) > 1 else 0.0

    candidates = sorted(links, key=lambda item: (-item[0], item[1], item[2]))
    anchored: dict[str, int] = {}
    taken = {(rows[index]["outlet"], k) for k, indices in enumerate(members) for index in indices}
    for value, passage, k in candidates:
        if (value >= settings.anchor_join and runner_up(passage) <= settings.anchor_runner_up * value
                and passage not in anchored and (outlet_of[passage], k) not in taken):
            anchored[passage] = k
            taken.add((outlet_of[passage], k))
    edges = pl.DataFrame([(min(i, j), max(i, j), value) for (i, j), value in contrast.items() if i < j],
                         schema={"i": pl.Int64, "j": pl.Int64, "contrast": pl.Float64}, orient="row")
    return claims_tables(passages, translated, members, piece_of, anchored, edges)
