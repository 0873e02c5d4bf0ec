"""Pairing a set of cities so the total score is high: the arithmetic of a matching round.

Up to `FULL_MAX` cities the whole score matrix is kept: a greedy pairing (each free city's
best free partner, mutual choices first) is improved by swapping partners between two
pairs while a swap gains ("local-search"); the assignment problem (scipy) bounds the best
total from above. Above `FULL_MAX`, each city keeps only its `CANDIDATES` best partners and
the greedy pairing runs on those edges ("candidates"); the bound is then half the sum of
each city's best score.

The score matrix forbids a pair with -inf. A city left over (an odd count) joins the pair
it adds most to, making a group of three.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
Indexes = NDArray[np.intp]
Method = Literal["local-search", "candidates"]
WeightsOf = Callable[[Indexes, Indexes], Array]
"""Scores some cities of the set (rows) against others (columns)."""

FULL_MAX = 2_000
CANDIDATES = 40
MAX_SWAP_ROUNDS = 200
"""Rounds of partner swaps, each applying every disjoint improving swap."""
MAX_SWAP_IN_ROUNDS = 10
"""Times a city left out may be swapped in, each followed by partner swaps."""
EPSILON = 1e-9


@dataclass(frozen=True)
class Pairing:
    pairs: list[tuple[int, int]]
    """The pairs, as indexes into the set."""
    trios: dict[int, int]
    """A city left over → the index in `pairs` of the pair it joins."""
    unpaired: list[int]
    """Cities no allowed partner was left for."""
    method: Method
    total: float
    """The sum of the pairs' scores."""
    bound: float | None
    """No pairing of these cities can score more."""

    @property
    def groups(self) -> list[tuple[int, ...]]:
        joined: dict[int, list[int]] = {}
        for city, pair in self.trios.items():
            joined.setdefault(pair, []).append(city)
        return [(*pair, *joined.get(i, [])) for i, pair in enumerate(self.pairs)]


def pair_full(weights: Array) -> Pairing:
    """Pair by a full symmetric matrix of scores."""
    w = np.array(weights, dtype=np.float64)
    np.fill_diagonal(w, -np.inf)
    assignment = _assignment(w)
    starts = [_greedy(w), _from_cycles(w, assignment)] if assignment is not None else [_greedy(w)]
    tried = [_improve(w, start) for start in starts]
    pairs = max(tried, key=lambda found: (len(found), sum(float(w[a, b]) for a, b in found)))

    def weights_of(rows: Indexes, columns: Indexes) -> Array:
        return w[np.ix_(rows, columns)]

    values = [float(w[a, b]) for a, b in pairs]
    bound = None
    if assignment is not None:
        chosen = w[np.arange(w.shape[0]), assignment]
        bound = float(np.clip(chosen[np.isfinite(chosen)], 0, None).sum() / 2)
    return _finish(w.shape[0], pairs, values, weights_of, "local-search", bound)


def pair_candidates(rows: Indexes, scores: Array, weights_of: WeightsOf) -> Pairing:
    """Pair by each city's best partners: `rows[i]` are city i's candidates and `scores[i]`
    their scores (-inf forbids); `weights_of` scores the few cities whose candidates were
    all taken."""
    n = rows.shape[0]
    first = np.repeat(np.arange(n), rows.shape[1])
    second = rows.ravel()
    flat = scores.ravel()
    keep = np.isfinite(flat) & (first != second)
    low, high = np.minimum(first, second)[keep], np.maximum(first, second)[keep]
    keys, inverse = np.unique(low * n + high, return_inverse=True)
    summed = np.bincount(inverse, weights=flat[keep])
    counted = np.bincount(inverse)
    edge_values = summed / counted
    order = np.argsort(-edge_values, kind="stable")
    free = np.ones(n, dtype=bool)
    pairs: list[tuple[int, int]] = []
    values: list[float] = []
    for key, value in zip(keys[order].tolist(), edge_values[order].tolist(), strict=True):
        a, b = divmod(key, n)
        if free[a] and free[b]:
            free[a] = free[b] = False
            pairs.append((a, b))
            values.append(value)
    rest = np.flatnonzero(free)
    if rest.size > 1:  # their candidates were taken: pair them among themselves
        sub = np.array(weights_of(rest, rest), dtype=np.float64)
        np.fill_diagonal(sub, -np.inf)
        for a, b in _improve(sub, _greedy(sub)):
            pairs.append((int(rest[a]), int(rest[b])))
            values.append(float(sub[a, b]))
    best = scores.max(axis=1)
    bound = float(np.clip(best[np.isfinite(best)], 0, None).sum() / 2)
    return _finish(n, pairs, values, weights_of, "candidates", bound)


def _greedy(w: Array) -> list[tuple[int, int]]:
    """Mutual best choices first, repeated: each city's best free partner; vectorised."""
    n = w.shape[0]
    free = np.ones(n, dtype=bool)
    pairs: list[tuple[int, int]] = []
    while free.sum() > 1:
        idx = np.flatnonzero(free)
        sub = w[np.ix_(idx, idx)]
        best = sub.argmax(axis=1)
        ok = np.isfinite(sub[np.arange(idx.size), best])
        mutual = ok & (best[best] == np.arange(idx.size)) & (np.arange(idx.size) < best)
        if not mutual.any():  # ties can hide mutual choices: take the best pair left
            flat = int(np.argmax(sub))
            a, b = divmod(flat, idx.size)
            if not np.isfinite(sub[a, b]):
                break  # only forbidden pairs are left
            mutual[min(a, b)] = True
            best[min(a, b)] = max(a, b)
        for a in np.flatnonzero(mutual).tolist():
            b = int(best[a])
            pairs.append((int(idx[a]), int(idx[b])))
            free[idx[a]] = free[idx[b]] = False
    return pairs


def _improve(w: Array, pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Swap partners between two pairs, or a city left out into a pair, while that raises
    the total (2-opt)."""
    free = np.ones(w.shape[0], dtype=bool)
    for x, y in pairs:
        free[x] = free[y] = False
    rest = np.flatnonzero(free)
    if rest.size > 1:  # cities left by the start pair among themselves first
        pairs = pairs + [(int(rest[x]), int(rest[y])) for x, y in _greedy(w[np.ix_(rest, rest)])]
    if not pairs:
        return pairs
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    for _ in range(MAX_SWAP_IN_ROUNDS):
        _swap_partners(w, a, b)
        if not _swap_in_the_left_out(w, a, b):
            break
    return list(zip(a.tolist(), b.tolist(), strict=True))


def _swap_in_the_left_out(w: Array, a: Indexes, b: Indexes) -> bool:
    """Let a city left out take the place of a paired one where the pair scores more."""
    free = np.ones(w.shape[0], dtype=bool)
    free[a] = free[b] = False
    changed = False
    with np.errstate(invalid="ignore"):
        for city in np.flatnonzero(free).tolist():
            current = w[a, b]
            instead_of_a = np.nan_to_num(w[city, b] - current, nan=-np.inf)
            instead_of_b = np.nan_to_num(w[city, a] - current, nan=-np.inf)
            p_a, p_b = int(np.argmax(instead_of_a)), int(np.argmax(instead_of_b))
            if max(instead_of_a[p_a], instead_of_b[p_b]) <= EPSILON:
                continue
            if instead_of_a[p_a] >= instead_of_b[p_b]:
                a[p_a] = city
            else:
                b[p_b] = city
            changed = True
    return changed


def _swap_partners(w: Array, a: Indexes, b: Indexes) -> None:
    """Swap partners between two pairs while that raises the total, in place."""
    if a.size < 2:
        return
    with np.errstate(invalid="ignore"):
        for _ in range(MAX_SWAP_ROUNDS):
            current = w[a, b]
            base = current[:, None] + current[None, :]
            crossed = w[a[:, None], a[None, :]] + w[b[:, None], b[None, :]]  # (a_p a_q)(b_p b_q)
            swapped = w[a[:, None], b[None, :]] + w[b[:, None], a[None, :]]  # (a_p b_q)(b_p a_q)
            gain_crossed = np.nan_to_num(crossed - base, nan=-np.inf, posinf=-np.inf)
            gain_swapped = np.nan_to_num(swapped - base, nan=-np.inf, posinf=-np.inf)
            gain = np.triu(np.maximum(gain_crossed, gain_swapped), 1)
            if gain.max() <= EPSILON:
                break
            # Apply the best swaps that touch different pairs, best first.
            flat = np.flatnonzero(gain > EPSILON)
            flat = flat[np.argsort(-gain.ravel()[flat])][: max(1, a.size // 2)]
            touched = np.zeros(a.size, dtype=bool)
            for p, q in zip(*np.unravel_index(flat, gain.shape), strict=True):
                if touched[p] or touched[q]:
                    continue
                touched[p] = touched[q] = True
                bp, aq, bq = b[p], a[q], b[q]
                if gain_crossed[p, q] >= gain_swapped[p, q]:
                    b[p], a[q] = aq, bp
                else:
                    b[p], b[q] = bq, bp


def _assignment(w: Array) -> Indexes | None:
    """The best assignment (each city to one other, scipy): a pairing is an assignment of
    twice its total, so half of this bounds every pairing; its cycles start one too."""
    from scipy.optimize import linear_sum_assignment

    if w.shape[0] < 2:
        return None
    finite = np.where(np.isfinite(w), w, -1e6)
    rows, columns = linear_sum_assignment(finite, maximize=True)
    assigned: Indexes = columns[np.argsort(rows)]
    return assigned


def _from_cycles(w: Array, assignment: Indexes) -> list[tuple[int, int]]:
    """Pairs from the assignment's cycles: a 2-cycle is a pair; a longer one is split into
    every other edge, the better way round."""
    seen = np.zeros(w.shape[0], dtype=bool)
    pairs: list[tuple[int, int]] = []
    for first in range(w.shape[0]):
        if seen[first]:
            continue
        cycle = []
        city = first
        while not seen[city]:
            seen[city] = True
            cycle.append(city)
            city = int(assignment[city])
        if len(cycle) < 2:
            continue
        options = []
        for shift in range(min(len(cycle), 2 if len(cycle) % 2 == 0 else len(cycle))):
            turned = cycle[shift:] + cycle[:shift]
            option = [(turned[i], turned[i + 1]) for i in range(0, len(turned) - 1, 2)]
            options.append(option)
        allowed = [o for o in options if all(np.isfinite(w[a, b]) for a, b in o)] or [[]]
        pairs += max(allowed, key=lambda o: sum(float(w[a, b]) for a, b in o))
    return pairs


def _finish(
    n: int,
    pairs: list[tuple[int, int]],
    values: list[float],
    weights_of: WeightsOf,
    method: Method,
    bound: float | None,
) -> Pairing:
    """Put each city left over into the pair it adds most to."""
    paired = np.zeros(n, dtype=bool)
    for a, b in pairs:
        paired[a] = paired[b] = True
    left = np.flatnonzero(~paired)
    trios: dict[int, int] = {}
    unpaired: list[int] = []
    if left.size and pairs:
        members = np.array(pairs).ravel()
        to_members = np.asarray(weights_of(left, members), dtype=np.float64)
        added_all = to_members[:, 0::2] + to_members[:, 1::2]  # (left, pairs)
        for i, city in enumerate(left.tolist()):
            added = added_all[i].copy()
            added[list(trios.values())] = -np.inf  # a group of three is full
            best = int(np.argmax(added))
            if np.isfinite(added[best]):
                trios[city] = best
            else:
                unpaired.append(city)
    else:
        unpaired = left.tolist()
    return Pairing(pairs, trios, unpaired, method, float(sum(values)), bound)
