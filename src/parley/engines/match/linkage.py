"""Probabilistic record linkage of two person lists (Fellegi-Sunter, weights learned by EM).

1. Every record is normalised once (`normalise`): folded names, canonical given names and
   patronymics, dates as (year, month, day), unit and service numbers.
2. Blocking: candidate pairs are the pairs that share at least one of several keys (names in
   either order, date of birth with a given name or with the start of the family name, service
   number, unit with a given name, family name with the year of birth, given name with
   patronymic and year), so that an error in any one field loses no true pair.
3. Each candidate pair gets a level per field (exact, close, partly, disagree, or missing); the
   levels' probabilities among true pairs (m) and among other pairs (u) and the share of true
   pairs among the candidates are learned from the two lists by expectation-maximisation; the
   posterior probability that a pair is one person is the probability reported.
4. Records of one list that are one person (the same man listed twice) are clustered first by
   the same model run within the list, so a person is linked once; the assignment is one-to-one,
   best pair first.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import JaroWinkler, Levenshtein
from rapidfuzz.process import cpdist

from .normalise import (
    DateError,
    consonant_key,
    fold,
    given_key,
    parse_date,
    patronymic_key,
    service_key,
    unit_key,
)

REVIEW_LOW = 0.2
REVIEW_HIGH = 0.95
# A block larger than this many pairs says nothing about identity (a common given name on one
# common date); the other keys still bring its true pairs.
MAX_BLOCK_PAIRS = 50_000
EM_ITERATIONS = 60
RANDOM_SAMPLE_PAIRS = 200_000
PRIOR_PAIRS = 50.0

AGREE, CLOSE, DISAGREE, MISSING = "agree", "close", "disagree", "missing"


@dataclass(frozen=True)
class Comparison:
    """One compared field: its levels from 0 (disagree) up, and how each reads for people."""

    name: str
    levels: tuple[str, ...]


COMPARISONS = (
    Comparison("family_name", (DISAGREE, CLOSE, CLOSE, AGREE)),
    Comparison("given_name", (DISAGREE, CLOSE, AGREE)),
    Comparison("patronymic", (DISAGREE, CLOSE, AGREE)),
    Comparison("date_of_birth", (DISAGREE, CLOSE, CLOSE, AGREE)),
    Comparison("place_of_birth", (DISAGREE, CLOSE, AGREE)),
    Comparison("military_unit", (DISAGREE, AGREE)),
    Comparison("service_number", (DISAGREE, CLOSE, AGREE)),
    Comparison("sex", (DISAGREE, AGREE)),
    Comparison("rank", (DISAGREE, AGREE)),
    Comparison("date_of_capture", (DISAGREE, CLOSE, CLOSE, AGREE)),
    Comparison("place_of_capture", (DISAGREE, CLOSE, AGREE)),
)


@dataclass
class LinkedPair:
    index_a: int
    index_b: int
    probability: float
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class Linkage:
    """`pairs`: one-to-one, probability >= threshold, best first. `candidates`: pairs in the
    review band [REVIEW_LOW, REVIEW_HIGH) whose records are not already in a pair above the
    band, for a person to decide. `duplicates_a`/`duplicates_b`: clusters (indexes, ascending)
    of records of one list judged to be one person. `weights`: the learned m and u per field
    and level, and `match_share`, the learned share of true pairs among the candidates."""

    pairs: list[LinkedPair]
    candidates: list[LinkedPair]
    duplicates_a: list[list[int]]
    duplicates_b: list[list[int]]
    weights: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    match_share: float = 0.0
    candidate_pairs: int = 0


class _Vocabulary:
    """Normalised strings to integer codes shared by both lists; code 0 is the empty value."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {"": 0}
        self.strings: list[str] = [""]
        self._initials: tuple[np.ndarray, np.ndarray] | None = None

    def code(self, value: str) -> int:
        found = self.codes.get(value)
        if found is None:
            found = self.codes[value] = len(self.strings)
            self.strings.append(value)
        return found

    def initials(self) -> tuple[np.ndarray, np.ndarray]:
        """Per code: the first letter, and whether the string is that letter alone (an
        initial). Computed again only when codes were added."""
        if self._initials is None or len(self._initials[0]) != len(self.strings):
            first = np.fromiter((ord(s[0]) if s else 0 for s in self.strings), dtype=np.int32,
                                count=len(self.strings))
            alone = np.fromiter((len(s) == 1 for s in self.strings), dtype=bool,
                                count=len(self.strings))
            self._initials = (first, alone)
        return self._initials

    def codes_of(self, column: "_Column", normalise: Callable[[str], str]) -> np.ndarray:
        """The code of normalise(value) for each value, normalising each distinct value once."""
        distinct = np.fromiter((self.code(normalise(v)) for v in column.distinct),
                               dtype=np.int64, count=len(column.distinct))
        return distinct[column.index]


class _Column:
    """The values of one column as the distinct values and each record's index among them."""

    def __init__(self, records: Sequence[Mapping[str, str | None]], name: str) -> None:
        values = [record.get(name) or "" for record in records]
        self.distinct = list(dict.fromkeys(values))
        positions = {value: position for position, value in enumerate(self.distinct)}
        self.index = np.fromiter(map(positions.__getitem__, values), dtype=np.int64,
                                 count=len(values))


def _date_parts(column: _Column) -> np.ndarray:
    parsed = np.zeros((len(column.distinct), 3), dtype=np.int32)
    for position, value in enumerate(column.distinct):
        if value:
            try:
                parsed[position] = parse_date(value)
            except DateError:
                pass
    return parsed[column.index]


def _first_word(text: str) -> str:
    words = text.split()
    return words[0] if words else ""


_SEX = {"m": 1, "male": 1, "ч": 1, "чол": 1, "м": 1, "муж": 1, "f": 2, "female": 2, "ж": 2,
        "жін": 2, "жен": 2, "w": 2}


def _sex(text: str) -> str:
    return str(_SEX.get(text.lower().rstrip("."), ""))


class _Prepared:
    """One list, normalised into arrays of codes."""

    def __init__(self, records: Sequence[Mapping[str, str | None]], words: _Vocabulary) -> None:
        self.size = len(records)
        family = _Column(records, "family_name")
        given = _Column(records, "given_name")
        codes = words.codes_of
        self.family = codes(family, fold)
        self.given_fold = codes(given, lambda text: fold(_first_word(text)))
        self.given = codes(given, given_key)
        self.family_as_given = codes(family, given_key)
        self.patronymic = codes(_Column(records, "patronymic"), patronymic_key)
        self.family_consonants = codes(family, consonant_key)
        self.family_start = codes(family, lambda text: consonant_key(text)[:2])
        self.given_start = codes(given, lambda text: consonant_key(_first_word(text))[:2])
        self.family_initial = codes(family, lambda text: fold(text)[:1])
        self.given_initial = codes(given, lambda text: fold(text)[:1])
        self.given_is_initial = (self.given_fold == self.given_initial) & (self.given_fold > 0)
        self.given_consonants = codes(given, lambda text: consonant_key(_first_word(text)))
        self.birth = _date_parts(_Column(records, "date_of_birth"))
        self.capture = _date_parts(_Column(records, "date_of_capture"))
        self.place_of_birth = codes(_Column(records, "place_of_birth"), fold)
        self.place_of_capture = codes(_Column(records, "place_of_capture"), fold)
        self.unit = codes(_Column(records, "military_unit"), unit_key)
        self.service = codes(_Column(records, "service_number"), service_key)
        self.sex = codes(_Column(records, "sex"), _sex)
        self.rank = codes(_Column(records, "rank"), fold)

    def blocking_keys(self, width: int) -> "Rules":
        """Per blocking rule: each record's key as one integer (-1: no key); for the rules on
        names, the key the record has with its family and given names swapped (or None); and,
        where it differs, the key the record offers when its list is the other side of the join
        (or None). `width` is the size of the shared vocabulary (the codes are below it)."""
        year = self.birth[:, 0].astype(np.int64)
        month, day = self.birth[:, 1].astype(np.int64), self.birth[:, 2].astype(np.int64)
        day_month = np.where(
            (year > 0) & (month > 0) & (day > 0),
            year * 10_000 + np.minimum(month, day) * 100 + np.maximum(month, day), 0)

        def key(*parts: np.ndarray) -> np.ndarray:
            packed = np.zeros(self.size, dtype=np.int64)
            known = np.ones(self.size, dtype=bool)
            for part in parts:
                packed = packed * width + part
                known &= part > 0
            return np.where(known, packed, -1)

        family_c, given_c = self.family_consonants, self.given_consonants
        # A record with only an initial or without a year of birth meets every record with the
        # same family name and initial. Between two full records the rule would be the largest
        # of all; there it is narrowed to five-year spans of birth.
        by_initial = key(family_c, self.given_initial)
        thin = np.where(self.given_is_initial | (year == 0), by_initial, -1)
        return [
            (thin, None, by_initial),
            (by_initial, None, thin),
            (key(family_c, self.given_initial, np.where(year > 0, year // 5, 0)),
             key(given_c, self.family_initial, np.where(year > 0, year // 5, 0)), None),
            (key(np.minimum(family_c, given_c), np.maximum(family_c, given_c)), None, None),
            (key(family_c, self.given), key(given_c, self.family_as_given), None),
            (key(family_c, year), key(given_c, year), None),
            (key(day_month, self.given), key(day_month, self.family_as_given), None),
            (key(self.given, year, self.family_initial),
             key(self.family_as_given, year, self.given_initial), None),
            (key(day_month, self.family_start), key(day_month, self.given_start), None),
            (key(self.service), None, None),
            (key(self.unit, self.given), key(self.unit, self.family_as_given), None),
            (key(self.given, self.patronymic, self.family_initial),
             key(self.family_as_given, self.patronymic, self.given_initial), None),
            (key(self.given, self.patronymic, year),
             key(self.family_as_given, self.patronymic, year), None),
        ]


Rules = list[tuple[np.ndarray, np.ndarray | None, np.ndarray | None]]


def _block_pairs(a_rules: Rules, b_rules: Rules | None, size_b: int) -> np.ndarray:
    """Unique candidate pairs as a * size_b + b (int64): pairs that share a key of some rule,
    either as written or with A's names swapped. Without `b_rules`, the pairs a < b within
    list A."""
    found: list[np.ndarray] = []
    for rule, (straight, swapped, as_other) in enumerate(a_rules):
        if b_rules is None:
            other = straight if as_other is None else as_other
            found.append(_join(straight, other, size_b, within=True))
            if swapped is not None:
                found.append(_join(swapped, other, size_b, within=True))
            continue
        b_straight, _, b_as_other = b_rules[rule]
        other = b_straight if b_as_other is None else b_as_other
        found.append(_join(straight, other, size_b, within=False))
        if swapped is not None:
            found.append(_join(swapped, other, size_b, within=False))
    return _unique(np.concatenate(found))


def _unique(values: np.ndarray) -> np.ndarray:
    values = np.sort(values)
    if len(values) == 0:
        return values
    return cast(np.ndarray, values[np.concatenate([[True], values[1:] != values[:-1]])])


def _join(a_codes: np.ndarray, b_codes: np.ndarray, size_b: int, *, within: bool
          ) -> np.ndarray:
    """Every pair of records with the same code, a * size_b + b; blocks of more than
    MAX_BLOCK_PAIRS pairs are left out. `within`: pairs of one list, each once, a < b."""
    a_index, b_index = np.flatnonzero(a_codes >= 0), np.flatnonzero(b_codes >= 0)
    a_codes, b_codes = a_codes[a_index], b_codes[b_index]
    order_a, order_b = np.argsort(a_codes, kind="stable"), np.argsort(b_codes, kind="stable")
    a_sorted, b_sorted = a_codes[order_a], b_codes[order_b]
    codes_a, start_a, count_a = np.unique(a_sorted, return_index=True, return_counts=True)
    codes_b, start_b, count_b = np.unique(b_sorted, return_index=True, return_counts=True)
    _, in_a, in_b = np.intersect1d(codes_a, codes_b, assume_unique=True, return_indices=True)
    start_a, count_a = start_a[in_a], count_a[in_a]
    start_b, count_b = start_b[in_b], count_b[in_b]
    sizes = count_a * count_b
    small = sizes <= MAX_BLOCK_PAIRS
    start_a, count_a, start_b, count_b, sizes = (
        start_a[small], count_a[small], start_b[small], count_b[small], sizes[small])
    total = int(sizes.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    block = np.repeat(np.arange(len(sizes)), sizes)
    offset = np.arange(total) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    ia = a_index[order_a[start_a[block] + offset // count_b[block]]]
    ib = b_index[order_b[start_b[block] + offset % count_b[block]]]
    if within:
        ia, ib = np.minimum(ia, ib), np.maximum(ia, ib)
        keep = ia < ib
        ia, ib = ia[keep], ib[keep]
    return cast(npt.NDArray[np.int64], ia.astype(np.int64) * size_b + ib)


# --- Comparison levels --------------------------------------------------------------------------


def _similarity(
    codes_a: np.ndarray, codes_b: np.ndarray, strings: list[str], scorer: Callable[..., Any]
) -> np.ndarray:
    """The scorer over each pair of codes, computed once per distinct pair of strings."""
    if len(codes_a) == 0:
        return np.zeros(0)
    width = np.int64(len(strings))
    keys = codes_a * width + codes_b
    distinct, inverse = np.unique(keys, return_inverse=True)
    left = [strings[k] for k in (distinct // width).tolist()]
    right = [strings[k] for k in (distinct % width).tolist()]
    scores = cpdist(left, right, scorer=scorer, workers=-1, dtype=np.float32)
    return np.asarray(scores)[inverse]


def _levels_by_similarity(
    a: np.ndarray, b: np.ndarray, strings: list[str], cuts: tuple[float, ...]
) -> np.ndarray:
    """-1 missing; len(cuts)+1 equal; i+1 for similarity >= cuts[i] (cuts descending... from
    the loosest); 0 below every cut."""
    levels = np.zeros(len(a), dtype=np.int8)
    levels[a == b] = len(cuts) + 1
    todo = np.flatnonzero(a != b)
    similarity = _similarity(a[todo], b[todo], strings, JaroWinkler.normalized_similarity)
    for rank, cut in enumerate(cuts, start=1):
        levels[todo[similarity >= cut]] = rank
    levels[(a == 0) | (b == 0)] = -1
    return levels


def _date_levels(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """3 same day; 2 a slip (day and month swapped, one digit of the day, month or year
    wrong); 1 only as far as both are known (same year, one side without day or month);
    0 different; -1 missing."""
    ya, ma, da = a[:, 0], a[:, 1], a[:, 2]
    yb, mb, db = b[:, 0], b[:, 1], b[:, 2]
    full = (ma > 0) & (da > 0) & (mb > 0) & (db > 0)
    levels = np.zeros(len(a), dtype=np.int8)
    same_year = ya == yb

    def one_digit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return cast(npt.NDArray[np.bool_], (x != y) & ((x // 10 == y // 10) | (x % 10 == y % 10)))

    def year_slip(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        differ = (x != y).astype(np.int8)
        digits = sum(((x // p) % 10 != (y // p) % 10).astype(np.int8) for p in (1, 10, 100))
        return cast(npt.NDArray[np.bool_], (differ == 1) & ((digits == 1) | (np.abs(x - y) == 1)))

    partial = same_year & ~full & ((ma == 0) | (mb == 0) | (ma == mb))
    levels[partial] = 1
    slip = full & (
        (same_year & (ma == db) & (da == mb))
        | (same_year & (ma == mb) & one_digit(da, db))
        | (same_year & (da == db) & one_digit(ma, mb))
        | ((ma == mb) & (da == db) & year_slip(ya, yb))
    )
    levels[slip] = 2
    levels[full & same_year & (ma == mb) & (da == db)] = 3
    levels[(ya == 0) | (yb == 0)] = -1
    return levels


def _initial_or_similar(a: np.ndarray, b: np.ndarray, words: "_Vocabulary") -> np.ndarray:
    """Given names: 2 the same name, 1 alike or one is the other's initial, 0 not, -1 missing."""
    levels = _levels_by_similarity(a, b, words.strings, (0.88,))
    first, initial = words.initials()
    by_initial = (initial[a] | initial[b]) & (first[a] == first[b]) & (levels == 0)
    levels[by_initial] = 1
    return levels





def _compare(
    left: _Prepared, right: _Prepared, ia: np.ndarray, ib: np.ndarray, words: _Vocabulary
) -> np.ndarray:
    """The level of every comparison for each pair (rows) as int8, -1 where missing."""
    strings = words.strings
    out = np.empty((len(ia), len(COMPARISONS)), dtype=np.int8)
    straight_family = _levels_by_similarity(left.family[ia], right.family[ib], strings,
                                            (0.80, 0.92))
    straight_given = _initial_or_similar(left.given[ia], right.given[ib], words)
    # Swapped names are looked for only where the names as written do not both agree.
    doubtful = np.flatnonzero((straight_family < 3) | (straight_given < 2))
    da, db = ia[doubtful], ib[doubtful]
    crossed_family = straight_family.copy()
    crossed_given = straight_given.copy()
    crossed_family[doubtful] = _levels_by_similarity(left.family[da], right.given_fold[db],
                                                     strings, (0.80, 0.92))
    crossed_given[doubtful] = _initial_or_similar(left.given[da], right.family_as_given[db],
                                                  words)
    swapped = (crossed_family.astype(np.int16) + crossed_given
               > straight_family.astype(np.int16) + straight_given + 2)
    out[:, 0] = np.where(swapped, crossed_family, straight_family)
    out[:, 1] = np.where(swapped, crossed_given, straight_given)
    out[:, 2] = _levels_by_similarity(left.patronymic[ia], right.patronymic[ib], strings, (0.88,))
    out[:, 3] = _date_levels(left.birth[ia], right.birth[ib])
    out[:, 4] = _levels_by_similarity(left.place_of_birth[ia], right.place_of_birth[ib], strings,
                                      (0.85,))
    unit_a, unit_b = left.unit[ia], right.unit[ib]
    out[:, 5] = np.where((unit_a == 0) | (unit_b == 0), -1, unit_a == unit_b)
    out[:, 6] = _service_levels(left.service[ia], right.service[ib], strings)
    sex_a, sex_b = left.sex[ia], right.sex[ib]
    out[:, 7] = np.where((sex_a == 0) | (sex_b == 0), -1, sex_a == sex_b)
    rank_a, rank_b = left.rank[ia], right.rank[ib]
    out[:, 8] = np.where((rank_a == 0) | (rank_b == 0), -1, rank_a == rank_b)
    out[:, 9] = _date_levels(left.capture[ia], right.capture[ib])
    out[:, 10] = _levels_by_similarity(left.place_of_capture[ia], right.place_of_capture[ib],
                                       strings, (0.85,))
    return out


def _service_levels(a: np.ndarray, b: np.ndarray, strings: list[str]) -> np.ndarray:
    levels = np.zeros(len(a), dtype=np.int8)
    levels[a == b] = 2
    todo = np.flatnonzero(a != b)
    distance = _similarity(a[todo], b[todo], strings, Levenshtein.distance)
    levels[todo[distance <= 1]] = 1
    levels[(a == 0) | (b == 0)] = -1
    return levels


# --- The model ----------------------------------------------------------------------------------


@dataclass
class _Model:
    m: list[np.ndarray]
    u: list[np.ndarray]
    share: float

    def log_ratio(self, patterns: np.ndarray) -> np.ndarray:
        """log(m/u) summed over the fields of each row of levels (missing adds nothing)."""
        total = np.zeros(len(patterns))
        for column, (m, u) in enumerate(zip(self.m, self.u, strict=True)):
            levels = patterns[:, column]
            weight = np.concatenate([np.log(m) - np.log(u), [0.0]])
            total += weight[np.where(levels < 0, len(m), levels)]
        return total

    def probability(self, patterns: np.ndarray, share: float | None = None) -> np.ndarray:
        prior = self.share if share is None else share
        logit = self.log_ratio(patterns) + np.log(prior) - np.log1p(-prior)
        return cast(npt.NDArray[np.float64], 1.0 / (1.0 + np.exp(-np.clip(logit, -60, 60))))


# The three names are one comparison in the model: whether the family name agrees says much
# about whether the given name does among different people on the same block (namesakes,
# families), which the model's independence between comparisons would otherwise count twice.
# Its level is every combination of the three levels (missing included): 5 x 4 x 4.
_NAME_FIELDS = 3
_NAME_LEVELS = 5 * 4 * 4
MODEL_SIZES = (_NAME_LEVELS,) + tuple(len(c.levels) for c in COMPARISONS[_NAME_FIELDS:])


def _model_levels(levels: np.ndarray) -> np.ndarray:
    """The comparison levels as the model sees them: the names as one composite column."""
    family, given, patronymic = (levels[:, i].astype(np.int16) + 1 for i in range(3))
    names = family * 16 + given * 4 + patronymic
    return np.column_stack([names, levels[:, _NAME_FIELDS:].astype(np.int16)])


def _level_counts(patterns: np.ndarray, weights: np.ndarray) -> list[np.ndarray]:
    counts = []
    for column, size in enumerate(MODEL_SIZES):
        levels = patterns[:, column]
        known = levels >= 0
        counts.append(np.bincount(levels[known], weights=weights[known], minlength=size))
    return counts


def _initial_m() -> list[np.ndarray]:
    """Agreement likely among true pairs, the more so the more fields agree."""
    names = np.arange(_NAME_LEVELS)
    closeness = np.zeros(_NAME_LEVELS)
    for digit, top in ((names // 16, 4), ((names // 4) % 4, 3), (names % 4, 3)):
        closeness += np.where(digit == 0, 0.0, (digit - top) / (top - 1))
    m = [np.exp(5 * closeness) / np.exp(5 * closeness).sum()]
    for comparison in COMPARISONS[_NAME_FIELDS:]:
        size = len(comparison.levels)
        shares = np.full(size, 0.04 / max(size - 2, 1))
        # One man's date of birth written wholly differently on two lists is rare; a namesake's
        # is another date.
        shares[0] = 0.002 if comparison.name == "date_of_birth" else 0.01
        shares[-1] = 1.0 - shares[:-1].sum() if size > 2 else 1.0 - shares[0]
        m.append(shares / shares.sum())
    return m


def _fit(patterns: np.ndarray, counts: np.ndarray, u_start: list[np.ndarray],
         share_start: float, share_most: float, *, learn_mu: bool = True,
         start: _Model | None = None) -> _Model:
    """Maximum a posteriori EM: the m start from `_initial_m` and the u from random pairs
    weigh as PRIOR_PAIRS pairs each, so that short lists (a few hundred records) keep sane
    weights and long ones are ruled by their data. The share of true pairs cannot exceed
    `share_most` (one true pair per record of the shorter list)."""
    model = start or _Model(_initial_m(), u_start, share_start)
    prior_m = [m * PRIOR_PAIRS for m in model.m]
    prior_u = [u * PRIOR_PAIRS for u in u_start]
    model = _Model([m.copy() for m in model.m], [u.copy() for u in u_start], share_start)
    total = counts.sum()
    for _ in range(EM_ITERATIONS):
        posterior = model.probability(patterns)
        matched = counts * posterior
        share = float(np.clip(matched.sum() / total, 1e-9, share_most))
        if learn_mu:
            m_counts = _level_counts(patterns, matched)
            u_counts = _level_counts(patterns, counts - matched)
            model.m = [(c + p) / (c + p).sum() for c, p in zip(m_counts, prior_m, strict=True)]
            model.u = [(c + p) / (c + p).sum() for c, p in zip(u_counts, prior_u, strict=True)]
        converged = abs(share - model.share) < 1e-7
        model.share = share
        if converged:
            break
    return model


def _distinct_patterns(levels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct rows of the model's levels, each pair's index among them, and their counts
    (each row packed into one integer, a digit per column, for a fast one-dimensional unique)."""
    model = _model_levels(levels)
    packed = np.zeros(len(model), dtype=np.int64)
    for column, size in enumerate(MODEL_SIZES):
        packed = packed * (size + 1) + (model[:, column].astype(np.int64) + 1)
    distinct, inverse, counts = np.unique(packed, return_inverse=True, return_counts=True)
    patterns = np.empty((len(distinct), len(MODEL_SIZES)), dtype=np.int16)
    rest = distinct.copy()
    for column in reversed(range(len(MODEL_SIZES))):
        patterns[:, column] = rest % (MODEL_SIZES[column] + 1) - 1
        rest //= MODEL_SIZES[column] + 1
    return patterns, inverse.ravel(), counts.astype(np.float64)


def _random_u(left: _Prepared, right: _Prepared, words: _Vocabulary, *, seed: int = 0
              ) -> list[np.ndarray]:
    """Level frequencies among random pairs: nearly all are different people."""
    generator = np.random.default_rng(seed)
    size = min(RANDOM_SAMPLE_PAIRS, left.size * right.size)
    ia = generator.integers(0, left.size, size)
    ib = generator.integers(0, right.size, size)
    levels = _model_levels(_compare(left, right, ia, ib, words))
    return [(c + 0.5) / (c + 0.5).sum() for c in _level_counts(levels, np.ones(size))]


# --- Linking ------------------------------------------------------------------------------------


def _fields(levels: np.ndarray) -> dict[str, str]:
    return {
        comparison.name: (MISSING if level < 0 else comparison.levels[level])
        for comparison, level in zip(COMPARISONS, levels.tolist(), strict=True)
    }


def _clusters(size: int, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """Union-find: the smallest index of each record's cluster."""
    parent = list(range(size))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in zip(ia.tolist(), ib.tolist(), strict=True):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return np.array([find(x) for x in range(size)], dtype=np.int64)


def _within(prepared: _Prepared, words: _Vocabulary, model: _Model, threshold: float
            ) -> tuple[np.ndarray, list[list[int]]]:
    """Each record's cluster root, and the clusters of two or more, in one list. The m and u
    learned between the lists apply; the share of duplicates is learned within the list."""
    pairs = _block_pairs(prepared.blocking_keys(len(words.strings)), None, prepared.size)
    if len(pairs) == 0:
        return np.arange(prepared.size), []
    ia, ib = pairs // prepared.size, pairs % prepared.size
    levels = _compare(prepared, prepared, ia, ib, words)
    patterns, inverse, counts = _distinct_patterns(levels)
    share_start = min(0.5, 0.01 * prepared.size / len(pairs))
    fitted = _fit(patterns, counts, model.u, share_start, min(0.999, prepared.size / len(pairs)),
                  learn_mu=False, start=model)
    probability = fitted.probability(patterns)[inverse]
    same = probability >= threshold
    roots = _clusters(prepared.size, ia[same], ib[same])
    groups: dict[int, list[int]] = {}
    for index, root in enumerate(roots.tolist()):
        groups.setdefault(root, []).append(index)
    return roots, [members for members in groups.values() if len(members) > 1]


def link_lists(
    a: Sequence[Mapping[str, str | None]],
    b: Sequence[Mapping[str, str | None]],
    *,
    threshold: float = 0.5,
    review_band: tuple[float, float] = (REVIEW_LOW, REVIEW_HIGH),
) -> Linkage:
    """Link list `a` to list `b` (records keyed by the docs/formats.md §6 column names)."""
    if not a or not b:
        return Linkage([], [], [], [])
    words = _Vocabulary()
    left, right = _Prepared(a, words), _Prepared(b, words)
    pairs = _block_pairs(left.blocking_keys(len(words.strings)),
                         right.blocking_keys(len(words.strings)), right.size)
    if len(pairs) == 0:
        return Linkage([], [], [], [])
    ia, ib = pairs // right.size, pairs % right.size
    levels = _compare(left, right, ia, ib, words)
    patterns, inverse, counts = _distinct_patterns(levels)
    u_start = _random_u(left, right, words)
    share_start = min(0.5, 0.8 * min(left.size, right.size) / len(pairs))
    share_most = min(0.999, min(left.size, right.size) / len(pairs))
    model = _fit(patterns, counts, u_start, share_start, share_most)
    probability = model.probability(patterns)[inverse]

    roots_a, duplicates_a = _within(left, words, model, threshold)
    roots_b, duplicates_b = _within(right, words, model, threshold)

    low = min(threshold, review_band[0])
    keep = np.flatnonzero(probability >= low)
    order = keep[np.lexsort((ib[keep], ia[keep], -probability[keep]))]
    taken_a: set[int] = set()
    taken_b: set[int] = set()
    certain_a: set[int] = set()
    certain_b: set[int] = set()
    linked: list[LinkedPair] = []
    for row in order.tolist():
        p = float(probability[row])
        if p < threshold:
            break
        root_a, root_b = int(roots_a[ia[row]]), int(roots_b[ib[row]])
        if root_a in taken_a or root_b in taken_b:
            continue
        taken_a.add(root_a)
        taken_b.add(root_b)
        if p >= review_band[1]:
            certain_a.add(root_a)
            certain_b.add(root_b)
        linked.append(LinkedPair(int(ia[row]), int(ib[row]), p, _fields(levels[row])))
    candidates = [
        LinkedPair(int(ia[row]), int(ib[row]), float(probability[row]), _fields(levels[row]))
        for row in order.tolist()
        if review_band[0] <= probability[row] < review_band[1]
        and int(roots_a[ia[row]]) not in certain_a
        and int(roots_b[ib[row]]) not in certain_b
    ]
    names = ("names",) + tuple(c.name for c in COMPARISONS[_NAME_FIELDS:])
    weights = {
        name: {"m": m.round(6).tolist(), "u": u.round(6).tolist()}
        for name, m, u in zip(names, model.m, model.u, strict=True)
    }
    return Linkage(linked, candidates, duplicates_a, duplicates_b, weights, model.share,
                   len(pairs))
