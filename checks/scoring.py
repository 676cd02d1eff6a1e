"""Scoring, pure: whether the choices a person made answer a question, and whether an attempt
passes.

Every kind is scored all or nothing, and this is the product's rule, not a shortcut:
- single choice, true/false and scenario: right when exactly the right choice is chosen;
- multiple choice: right when exactly the set of right choices is chosen. A *partial* answer
  (some right choices missing, or a wrong one added) counts as wrong: there is no partial
  credit, because a procedure half-known (one of the two checks done) is a procedure not
  known, and partial credit would let an agent pass by ticking every box.
An attempt passes when its share of right answers reaches the pass mark (percent, inclusive).
"""

from __future__ import annotations


def is_right(chosen: set[int] | frozenset[int], right: set[int] | frozenset[int]) -> bool:
    """All or nothing, for every kind (see above); nothing chosen is wrong."""
    return bool(chosen) and set(chosen) == set(right)


def passes(right: int, total: int, threshold: int) -> bool:
    """`right` of `total` reaches `threshold` percent (integer arithmetic: 4 of 5 is 80 %)."""
    return total > 0 and right * 100 >= threshold * total
