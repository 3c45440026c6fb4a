"""Statements built once per shape, then reused with each request's values.

Building the directory's statement with the ORM costs the web process more than PostgreSQL
takes to run it (measured: about 5 ms of a 30 ms directory page). Its text depends only on
the request's shape: which filters are set, how many words are searched, the sort, and the
viewer's shape (privacy.statement_shape). The values (the viewer's id and id lists, the
filter values and words, the offset) are parameters. So the statement is built for stand-in
values, markers, and each request of that shape puts its own values where the markers are.

A marker is an integer no id reaches, or a word of letters only, so it passes unchanged
through every field's preparation; markers stand alone in the parameters or inside text
(a search word in a text query). Every statement kept was checked once against the one built
for the real values; tests check every reuse (`check_every_reuse`).
"""

import logging
import re
from collections.abc import Callable, Hashable
from typing import Any

logger = logging.getLogger(__name__)

Statement = tuple[str, list]

_FIRST_NUMBER = 7_340_000_000_000_000_000  # above any id, below PostgreSQL's bigint limit
_TEXT = re.compile(r"qzmark[a-z]+\d*qz")
_KEPT_AT_MOST = 512  # shapes are few (filters set x word count x sort x viewer shape)


class Markers:
    """Stand-in values for one request, each mapped to the value it stands for.

    Markers depend only on the order they are asked for, so the same shape always gets the
    same markers: a request fills the statement kept for its shape with its own `values`.
    """

    def __init__(self) -> None:
        self.values: dict[int | str, Any] = {}

    def number(self, value: Any) -> int:
        marker = _FIRST_NUMBER + len(self.values)
        self.values[marker] = value
        return marker

    def text(self, name: str, value: str) -> str:
        marker = f"qzmark{name}qz"
        self.values[marker] = value
        return marker

    def fill(self, param: Any) -> Any:
        """`param` of the kept statement with this request's values in place of markers."""
        if type(param) is int:
            return self.values.get(param, param)
        if isinstance(param, str):
            return _TEXT.sub(lambda found: self.values[found.group()], param)
        if isinstance(param, list):
            if len(param) == 1 and type(param[0]) is int and param[0] in self.values:
                return self.values[param[0]]  # a whole id list, standing in as one marker
            return [self.fill(item) for item in param]
        return param


class ShapedStatements:
    """Statements by shape, each built once per process for markers."""

    check_every_reuse = False  # tests: build the real statement too and compare, every time

    def __init__(self) -> None:
        self._kept: dict[Hashable, Statement | None] = {}

    def get(
        self,
        shape: Hashable,
        markers: Markers,
        for_markers: Callable[[], Statement],
        for_values: Callable[[], Statement],
    ) -> Statement:
        """The statement for this request: the kept one for `shape`, filled with `markers`'
        values. `for_markers` builds it for the markers, `for_values` for the real values."""
        if shape not in self._kept:
            self._keep(shape, markers, for_markers(), for_values())
        kept = self._kept[shape]
        if kept is None:  # this shape did not pass its check: always built afresh
            return for_values()
        sql, params = kept
        statement = (sql, [markers.fill(param) for param in params])
        if self.check_every_reuse and statement != for_values():
            raise AssertionError(f"A reused statement differs from a fresh one: {shape!r}")
        return statement

    def _keep(
        self, shape: Hashable, markers: Markers, built: Statement, expected: Statement
    ) -> None:
        sql, params = built
        if (sql, [markers.fill(param) for param in params]) != expected:
            logger.warning("Statement of shape %r depends on more than its shape", shape)
            built = None
        if len(self._kept) >= _KEPT_AT_MOST:
            self._kept.clear()
        self._kept[shape] = built

    def clear(self) -> None:
        self._kept.clear()

    def __len__(self) -> int:
        """How many shapes have a statement kept for reuse."""
        return sum(statement is not None for statement in self._kept.values())
