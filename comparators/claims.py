"""Stage 6, claims: group aligned passages into claims, one claim per statement told by one or more outlets.

An outlet tells a statement once, so a claim holds at most one passage per outlet (unless the outlet split the
sentence in two), and that constraint does most of the work: two groups that share an outlet are two statements.
Steps, each on the `alignments` of stage 5, where a missing pair counts as [align] floor (no evidence):

1. cores: pairs from [align] match on, strongest first, join their groups when no outlet is in both;
2. average linkage: the two groups with the highest mean evidence between their passages merge, while it reaches
   [align] join and no outlet is in both;
3. with context: two groups that are each other's best partner merge from [align] join_with_context on when,
   in some outlets, their passages follow the same claim or precede the same claim (or open the article):
   order is a weak hint, since outlets reorder their paragraphs;
4. split sentences: a group whose every passage sits right next to a passage of one claim, in the same outlet,
   joins that claim when putting the two together makes them more like the claim's other outlets (by [align]
   split_gain on the mean similarity); short of that, from [align] piece_gain on, it stays a claim of its own
   that may be a piece of that claim (claims.piece_of), which coverage reads;
   Then a group made only of word-for-word repeats of an outlet's passages joins the group holding them: an
   outlet that repeats a sentence (twice in one article, or in two of its articles) tells one statement, not a
   second one every other outlet would seem to omit;
5. anchors: a passage that could not be translated joins the claim whose passages share most of its anchors
   (numbers, Latin-script names), from [align] anchor_join on, unless its second best claim comes close ([align]
   anchor_runner_up); one passage per outlet and claim.

`comparators.reference.group_claims` does the same, slowly and obviously; tests check that both agree.
"""

from __future__ import annotations

import hashlib

import numpy as np
import polars as pl

from .comparator import TextComparator
from .options import Options

CLAIM_SCHEMA = {"claim_id": pl.String, "text_en": pl.String, "n_outlets": pl.Int64, "outlets": pl.List(pl.String),
                "piece_of": pl.String}
# What precedes a first passage and follows a last one, for the context of step 3.
START, END = "start", "end"
# Mean evidence is rounded so that sums taken in another order (the reference implementation) tie the same way.
LINK_DECIMALS = 6


def group_claims(passages: pl.DataFrame, alignments: pl.DataFrame, *, options: Options
                 ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(passages with claim_id, claims). Every translated passage belongs to a claim, alone if nothing matched;
    an untranslated passage belongs to the claim its anchors place it in, else to none (claim_id null)."""
    translated = ordered_translated(passages)
    edges = text_edges(translated, alignments)
    if translated.is_empty():  # no language had an engine: no claim to form, none to place passages in
        return claims_tables(passages, translated, [], {}, {}, edges)
    groups = _Groups(translated)
    groups.join_cores(edges, options.align.match)
    groups.build_links(edges, options.align.floor)
    groups.merge_by_linkage(options.align.join - options.align.floor)
    groups.merge_with_context(options.align.join_with_context - options.align.floor)
    groups.join_split_sentences(options.align.split_gain, options.align.piece_gain,
                                TextComparator(prefix=options.align.keyword_prefix))
    members, piece_of = fold_repeats(translated, groups.members(), groups.piece_of())
    anchored = place_by_anchors(passages, translated, members, alignments, options.align.anchor_join,
                                options.align.anchor_runner_up)
    return claims_tables(passages, translated, members, piece_of, anchored, edges)


def ordered_translated(passages: pl.DataFrame) -> pl.DataFrame:
    """Translated passages in the order both implementations number them: by outlet, article, position."""
    return passages.filter(pl.col("text_en").is_not_null()).sort(["outlet", "article_id", "position"])


def text_edges(translated: pl.DataFrame, alignments: pl.DataFrame) -> pl.DataFrame:
    """Text alignments as (i, j, contrast) with i < j the passages' numbers in `translated`."""
    numbers = translated.select("passage_id", pl.int_range(pl.len(), dtype=pl.Int64).alias("number"))
    pairs = (alignments.filter(pl.col("method") == "text").select("passage_a", "passage_b", "contrast")
             .join(numbers.rename({"passage_id": "passage_a", "number": "a"}), on="passage_a")
             .join(numbers.rename({"passage_id": "passage_b", "number": "b"}), on="passage_b"))
    return pairs.select(pl.min_horizontal("a", "b").alias("i"), pl.max_horizontal("a", "b").alias("j"), "contrast")


class _Groups:
    """Groups of translated passages (numbered as in `ordered_translated`), each named by its smallest number."""

    def __init__(self, translated: pl.DataFrame):
        self.texts = translated["text_en"].to_list()
        outlet_number = {name: number for number, name in enumerate(sorted(set(translated["outlet"])))}
        self.outlet = np.array([outlet_number[name] for name in translated["outlet"]], dtype=np.int64)
        self.n_outlets = len(outlet_number)
        self.label = np.arange(translated.height)
        place = {(article, position): index for index, (article, position) in
                 enumerate(translated.select("article_id", "position").iter_rows())}
        self.previous = [place.get((article, position - 1), START if position == 0 else None)
                         for article, position in translated.select("article_id", "position").iter_rows()]
        self.next = [place.get((article, position + 1), END) for article, position in
                     translated.select("article_id", "position").iter_rows()]

    # Step 1 -----------------------------------------------------------------------------------------------
    def join_cores(self, edges: pl.DataFrame, match: float) -> None:
        parent = list(range(len(self.label)))
        outlets = [1 << int(outlet) for outlet in self.outlet]

        def root(index: int) -> int:
            while parent[index] != index:
                parent[index] = parent[parent[index]]
                index = parent[index]
            return index

        strong = edges.filter(pl.col("contrast") >= match).sort(["contrast", "i", "j"], descending=[True, False, False])
        for i, j in strong.select("i", "j").iter_rows():
            a, b = sorted((root(i), root(j)))
            if a != b and not outlets[a] & outlets[b]:
                parent[b] = a
                outlets[a] |= outlets[b]
        self.label = np.array([root(index) for index in range(len(parent))], dtype=np.int64)

    # Steps 2 and 3 --------------------------------------------------------------------------------------
    def build_links(self, edges: pl.DataFrame, floor: float) -> None:
        """Group-level sums of evidence (contrast above the floor) and the mean-evidence matrix."""
        self.names = np.unique(self.label)  # group k is named by its smallest passage number
        position = {name: k for k, name in enumerate(self.names)}
        group = np.array([position[label] for label in self.label], dtype=np.int64)
        k = len(self.names)
        self.evidence = np.zeros((k, k), dtype=np.float64)
        i, j = edges["i"].to_numpy(), edges["j"].to_numpy()
        excess = edges["contrast"].to_numpy() - floor
        np.add.at(self.evidence, (group[i], group[j]), excess)
        np.add.at(self.evidence, (group[j], group[i]), excess)
        self.size = np.bincount(group, minlength=k).astype(np.float64)
        self.has_outlet = np.zeros((k, self.n_outlets), dtype=bool)
        self.has_outlet[group, self.outlet] = True
        self.alive = np.ones(k, dtype=bool)
        self.group = group
        shared = self.has_outlet.astype(np.float32) @ self.has_outlet.T.astype(np.float32)
        self.link = np.round(self.evidence / np.outer(self.size, self.size), LINK_DECIMALS)
        self.link[shared > 0] = -np.inf  # also the diagonal: a group shares its outlets with itself
        self.best = np.argmax(self.link, axis=1)
        self.best_link = self.link[np.arange(k), self.best]

    def merge_by_linkage(self, threshold: float) -> None:
        while True:
            row = int(np.argmax(self.best_link))
            if self.best_link[row] < threshold:
                return
            self._merge(row, int(self.best[row]))

    def merge_with_context(self, threshold: float) -> None:
        while True:
            mutual = [(self.best_link[row], row, int(self.best[row])) for row in np.flatnonzero(self.alive)
                      if self.best_link[row] >= threshold and row < self.best[row]
                      and self.best[self.best[row]] == row]
            mutual.sort(key=lambda item: (-item[0], item[1]))
            chosen = next(((a, b) for _, a, b in mutual if self._same_context(a, b)), None)
            if chosen is None:
                return
            self._merge(*chosen)

    def _same_context(self, a: int, b: int) -> bool:
        def context(k: int, neighbours: list) -> set:
            found = set()
            for index in np.flatnonzero(self.group == k):
                neighbour = neighbours[index]
                if neighbour in (START, END):
                    found.add(neighbour)
                elif neighbour is not None:
                    found.add(int(self.group[neighbour]))
            return found

        return bool(context(a, self.previous) & context(b, self.previous)
                    or context(a, self.next) & context(b, self.next))

    def _merge(self, a: int, b: int) -> None:
        a, b = min(a, b), max(a, b)
        self.evidence[a] += self.evidence[b]
        self.evidence[:, a] += self.evidence[:, b]
        self.size[a] += self.size[b]
        self.has_outlet[a] |= self.has_outlet[b]
        self.alive[b] = False
        self.group[self.group == b] = a
        self.link[b] = -np.inf
        self.link[:, b] = -np.inf
        self.best_link[b] = -np.inf
        self._refresh_row(a)
        stale = np.flatnonzero(self.alive & ((self.best == a) | (self.best == b)))
        for row in stale:
            self._find_best(row)
        self._find_best(a)
        gained = self.alive & ((self.link[:, a] > self.best_link)
                               | ((self.link[:, a] == self.best_link) & (a < self.best)))
        gained[a] = False
        self.best[gained] = a
        self.best_link[gained] = self.link[gained, a]

    def _refresh_row(self, row: int) -> None:
        values = np.round(self.evidence[row] / (self.size[row] * self.size), LINK_DECIMALS)
        blocked = ~self.alive | (self.has_outlet[row] & self.has_outlet).any(axis=1)
        values[blocked] = -np.inf
        values[row] = -np.inf
        self.link[row] = values
        self.link[:, row] = values

    def _find_best(self, row: int) -> None:
        self.best[row] = int(np.argmax(self.link[row]))
        self.best_link[row] = self.link[row, self.best[row]]

    # Step 4 -----------------------------------------------------------------------------------------------
    def join_split_sentences(self, join_gain: float, piece_gain: float, comparator: TextComparator) -> None:
        """Join sentence pieces to their neighbours' claim; remember the doubtful ones (`pieces`)."""
        self.pieces: dict[int, int] = {}  # piece group -> a passage of the claim it may belong to
        changed = True
        while changed:
            changed = False
            order = sorted(np.flatnonzero(self.alive), key=lambda k: (int(self.size[k]), int(k)))
            for piece in order:
                if not self.alive[piece]:
                    continue
                found = self._split_target(int(piece), comparator)
                if found is None or found[0] < piece_gain:
                    self.pieces.pop(int(piece), None)
                elif found[0] >= join_gain:
                    target = int(self.group[found[1]])
                    self.group[self.group == piece] = target
                    self.size[target] += self.size[piece]
                    self.alive[piece] = False
                    self.pieces.pop(int(piece), None)
                    changed = True
                else:
                    self.pieces[int(piece)] = found[1]

    def _split_target(self, piece: int, comparator: TextComparator) -> tuple[float, int] | None:
        """(gain, a passage of the neighbouring claim) for the side where every passage of `piece` has its
        neighbour in one other claim and joining gains most; None when no side qualifies."""
        indices = np.flatnonzero(self.group == piece)
        best = None
        for step, neighbours in ((-1, self.previous), (1, self.next)):
            beside = [neighbours[index] for index in indices]
            if any(neighbour in (None, START, END) for neighbour in beside):
                continue
            targets = {int(self.group[neighbour]) for neighbour in beside}
            if len(targets) != 1 or piece in targets:
                continue
            target = targets.pop()
            mine = set(self.outlet[indices])
            others = [index for index in np.flatnonzero(self.group == target) if self.outlet[index] not in mine]
            if not others:
                continue
            gains = []
            for index, neighbour in zip(indices, beside):
                joined = (f"{self.texts[neighbour]} {self.texts[index]}" if step == -1
                          else f"{self.texts[index]} {self.texts[neighbour]}")
                together = comparator.cdist([joined, self.texts[neighbour]], [self.texts[o] for o in others])
                gains.append(float(together[0].mean() - together[1].mean()))
            gain = float(np.mean(gains))
            if best is None or gain > best[0]:
                best = (gain, int(beside[0]))
        return best

    def piece_of(self) -> dict[int, int]:
        """Passage number of a piece's first passage -> passage number in the claim it may belong to."""
        return {int(np.flatnonzero(self.group == piece)[0]): neighbour for piece, neighbour in self.pieces.items()}

    def members(self) -> list[list[int]]:
        """Passage numbers of each group, groups in order of their smallest number."""
        found: dict[int, list[int]] = {}
        for index, group in enumerate(self.group):
            found.setdefault(int(group), []).append(index)
        return list(found.values())


def fold_repeats(translated: pl.DataFrame, members: list[list[int]], piece_of: dict[int, int]
                 ) -> tuple[list[list[int]], dict[int, int]]:
    """(members, piece_of) after the end of step 4: a group whose every passage repeats, word for word, a passage of
    the same outlet in a larger group (or an equal one that comes first) joins the largest such group; a folded
    group is no longer a piece. Folding only goes to larger groups, so it never chains."""
    keys = list(zip(translated["outlet"].to_list(), translated["text"].to_list()))
    holders: dict[tuple[str, str], set[int]] = {}
    for k, indices in enumerate(members):
        for index in indices:
            holders.setdefault(keys[index], set()).add(k)
    rank = {k: (len(indices), -k) for k, indices in enumerate(members)}
    into = {}
    for k, indices in enumerate(members):
        shared = set.intersection(*(holders[keys[index]] for index in indices)) - {k}
        target = max(shared, key=rank.get, default=None)
        if target is not None and rank[target] > rank[k]:
            into[k] = target
    folded = {k: sorted(indices) for k, indices in enumerate(members) if k not in into}
    for k, target in into.items():
        folded[target] = sorted(folded[target] + members[k])
    moved = {index for k in into for index in members[k]}
    group_of = {index: k for k, indices in folded.items() for index in indices}
    # A piece now in one group with the passage it was a piece of is a piece no longer.
    return (sorted(folded.values(), key=min),
            {piece: neighbour for piece, neighbour in piece_of.items()
             if piece not in moved and group_of[piece] != group_of[neighbour]})


def place_by_anchors(passages: pl.DataFrame, translated: pl.DataFrame, members: list[list[int]],
                     alignments: pl.DataFrame, threshold: float, share: float) -> dict[str, int]:
    """Untranslated passage id -> the group (index into `members`) its anchors place it in (step 5): the group
    with the highest mean anchor score, when it reaches `threshold` and the passage's second best group has at
    most `share` of it (anchors shared by several claims, such as a name, place nothing)."""
    number = dict(zip(translated["passage_id"], range(translated.height)))
    group_of = {index: k for k, indices in enumerate(members) for index in indices}
    outlet_of = dict(passages.select("passage_id", "outlet").iter_rows())
    sums: dict[tuple[str, int], float] = {}
    for untranslated, other, score in alignments.filter(pl.col("method") == "anchors").select(
            "passage_a", "passage_b", "score").iter_rows():
        if other in number:
            key = (untranslated, group_of[number[other]])
            sums[key] = sums.get(key, 0.0) + score
    links = [(total / len(members[k]), passage, k) for (passage, k), total in sums.items()]
    runner_up = _runner_up(links)
    candidates = sorted((item for item in links if runner_up.get(item[1], 0.0) <= share * item[0]),
                        key=lambda item: (-item[0], item[1], item[2]))
    placed: dict[str, int] = {}
    outlets = translated["outlet"].to_list()
    taken = {(outlets[index], k) for k, indices in enumerate(members) for index in indices}
    for link, passage, k in candidates:
        if link < threshold:
            break
        if passage in placed or (outlet_of[passage], k) in taken:
            continue
        placed[passage] = k
        taken.add((outlet_of[passage], k))
    return placed


def _runner_up(links: list[tuple[float, str, int]]) -> dict[str, float]:
    """Passage -> its second highest link."""
    by_passage: dict[str, list[float]] = {}
    for link, passage, _ in links:
        by_passage.setdefault(passage, []).append(link)
    return {passage: sorted(values)[-2] for passage, values in by_passage.items() if len(values) > 1}


def claims_tables(passages: pl.DataFrame, translated: pl.DataFrame, members: list[list[int]],
                  piece_of: dict[int, int], anchored: dict[str, int], edges: pl.DataFrame
                  ) -> tuple[pl.DataFrame, pl.DataFrame]:
    ids, outlets = translated["passage_id"].to_list(), translated["outlet"].to_list()
    languages, texts = translated["language"].to_list(), translated["text_en"].to_list()
    centrality = np.zeros(len(ids))
    group_of = np.zeros(len(ids), dtype=np.int64)
    for k, indices in enumerate(members):
        group_of[indices] = k
    i, j, contrast = edges["i"].to_numpy(), edges["j"].to_numpy(), edges["contrast"].to_numpy()
    inside = group_of[i] == group_of[j]
    np.add.at(centrality, i[inside], contrast[inside])
    np.add.at(centrality, j[inside], contrast[inside])
    anchored_outlets: dict[int, set[str]] = {}
    outlet_of = dict(passages.select("passage_id", "outlet").iter_rows())
    for passage, k in anchored.items():
        anchored_outlets.setdefault(k, set()).add(outlet_of[passage])
    claim_of, claims = {}, []
    for k, indices in enumerate(members):
        # An English original reads better than any machine translation; then the passage most like the others.
        representative = min(indices, key=lambda index: (languages[index] != "en", -centrality[index], index))
        claim_id = "c" + hashlib.blake2b(min(ids[index] for index in indices).encode(), digest_size=5).hexdigest()
        claim_outlets = sorted({outlets[index] for index in indices} | anchored_outlets.get(k, set()))
        claims.append([claim_id, texts[representative], len(claim_outlets), claim_outlets, None])
        claim_of.update({ids[index]: claim_id for index in indices})
    for piece, neighbour in piece_of.items():
        claims[group_of[piece]][4] = claim_of[ids[neighbour]]
    claim_ids = [claim[0] for claim in claims]
    claim_of.update({passage: claim_ids[k] for passage, k in anchored.items()})
    claims_frame = pl.DataFrame(claims, schema=CLAIM_SCHEMA, orient="row").sort(
        ["n_outlets", "claim_id"], descending=[True, False])
    with_claims = passages.with_columns(
        pl.col("passage_id").replace_strict(claim_of, default=None, return_dtype=pl.String).alias("claim_id"))
    return with_claims, claims_frame
