"""A faster matcher for the pipeline's attribute_ruler: the same matches, found by lookup.

The attribute ruler gives each token its coarse POS and morphology from its fine tag,
plus about 120 exceptions ("that" as a relative pronoun, "gon na"). spaCy runs its
general Matcher with all 179 patterns over every token, which was a tenth of claim
splitting. Each of these patterns tests only TAG, LOWER, DEP or IS_SPACE of one or two
tokens, so here a token's candidate patterns are looked up by its lowercase form or tag
and checked directly. The ruler still applies the matches itself, in its own order, so
precedence is unchanged. If the pipeline has a pattern of any other shape, the ruler is
left as spaCy made it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.strings import get_string_id

# The token attributes these patterns may test, and the kind of value they compare with;
# a pattern is filed under the first of them its first token must equal (LOWER is the
# most selective).
_KINDS = {"LOWER": str, "TAG": str, "DEP": str, "IS_SPACE": bool}

Test = tuple[int, Callable[[int], bool]]  # (column of the attribute, test of its value)


def _test(column: int, attr: str, value, strings) -> Test | None:
    """One token condition as the Matcher reads it (on string ids), or None for another shape."""
    kind = _KINDS[attr]
    if type(value) is kind:
        wanted = int(value) if kind is bool else get_string_id(value)
        return column, lambda v: v == wanted
    if not isinstance(value, dict) or len(value) != 1 or kind is not str:
        return None
    op, arg = next(iter(value.items()))
    if op == "IN":
        return column, frozenset(get_string_id(a) for a in arg).__contains__
    if op == "NOT_IN":
        members = frozenset(get_string_id(a) for a in arg)
        return column, lambda v: v not in members
    if op == "REGEX":
        pattern = re.compile(arg)  # the Matcher's REGEX is re.search on the attribute's text
        seen: dict[int, bool] = {}  # answers per string id: a word recurs, its answer does not change

        def search(v: int) -> bool:
            if v not in seen:
                seen[v] = pattern.search(strings[v]) is not None
            return seen[v]

        return column, search
    return None


class _Pattern:
    def __init__(self, attr_id: int, match_id: int, tokens: list[list[Test]]):
        self.attr_id = attr_id
        self.match_id = match_id
        self.length = len(tokens)
        self.tests = [(k, column, test) for k, tests in enumerate(tokens) for column, test in tests]

    def matches(self, columns: list[list[int]], i: int) -> bool:
        for k, column, test in self.tests:
            if not test(columns[column][i + k]):
                return False
        return True


def _filed_under(spec: dict) -> tuple[str, list[int]] | None:
    """A value the pattern's first token must have, as (attribute, its possible string ids)."""
    for attr, kind in _KINDS.items():
        value = spec.get(attr)
        if type(value) is kind:
            return attr, [int(value) if kind is bool else get_string_id(value)]
        if isinstance(value, dict) and set(value) == {"IN"} and kind is str:
            return attr, sorted({get_string_id(a) for a in value["IN"]})
    return None


def speed_up(ruler) -> bool:
    """Give `ruler` (spaCy's AttributeRuler) the lookup matcher; False if a pattern needs spaCy's."""
    attrs = list(_KINDS)
    strings = ruler.vocab.strings
    tables: dict[str, dict[int, list[_Pattern]]] = {attr: {} for attr in attrs}
    always: list[_Pattern] = []
    for attr_id, entry in enumerate(ruler.patterns):
        match_id = strings[str(attr_id)]
        for pattern in entry["patterns"]:
            tokens = []
            for spec in pattern:
                if not spec or not set(spec) <= set(attrs):
                    return False
                tests = [_test(attrs.index(attr), attr, value, strings) for attr, value in spec.items()]
                if None in tests:
                    return False
                tokens.append(tests)
            if not tokens:
                return False
            filed = _Pattern(attr_id, match_id, tokens)
            place = _filed_under(pattern[0])
            if place is None:
                always.append(filed)
            else:
                for value in place[1]:
                    tables[place[0]].setdefault(value, []).append(filed)
    lookups = [(attrs.index(attr), table) for attr, table in tables.items() if table]

    def match(doc) -> list[tuple[int, int, int, int]]:
        columns = doc.to_array(attrs).T.tolist() if len(doc) else [[] for _ in attrs]
        size = len(doc)
        found = []
        for i in range(size):
            candidates = [p for column, table in lookups for p in table.get(columns[column][i], ())]
            for pattern in candidates + always:
                if i + pattern.length <= size and pattern.matches(columns, i):
                    found.append((pattern.attr_id, pattern.match_id, i, i + pattern.length))
        found.sort()  # as AttributeRuler.match orders them: later rules take precedence
        return found

    ruler.match = match
    return True
