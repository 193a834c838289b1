"""A faster stand-in for the matcher inside spaCy's attribute ruler, giving the same matches.

``en_core_web_sm``'s attribute ruler (tag map, morph rules, a few lemma fixes) runs a general ``Matcher`` with 179
rules over every token: about 30 ms of a 1,000-word article. Its rules are short fixed sequences of tokens tested for
equality, (non-)membership or a regex on four attributes. Here each rule is filed under the values one attribute of
its first token must take, and only the rules filed under a token's own values are tried there, on attributes read
once per document as integers. Where a rule uses anything else, the ruler keeps spaCy's matcher.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

ATTRIBUTES = ("TAG", "LOWER", "DEP", "IS_SPACE")  # the columns read from each document, in this order

_FILING_ORDER = ("LOWER", "DEP", "TAG", "IS_SPACE")  # the most selective first: fewer rules tried per token

Columns = list[list[int]]  # one list per attribute, one value per token
Test = Callable[[Columns, int], bool]


class Unsupported(ValueError):
    """A rule uses a feature this matcher does not implement."""


class RuleMatcher:
    """``matcher(doc, allow_missing=True, as_spans=False)`` -> [(key, start, end)], as ``spacy.matcher.Matcher``
    gives for fixed-length token patterns (order aside: the attribute ruler sorts them)."""

    def __init__(self, strings: Any, rules: list[tuple[int, list[list[dict[str, Any]]]]]) -> None:
        self._strings = strings
        self._filed: dict[tuple[int, int], list[tuple[int, int, list[Test]]]] = defaultdict(list)
        self._everywhere: list[tuple[int, int, list[Test]]] = []
        for key, patterns in rules:
            for pattern in patterns:
                if not pattern or any("OP" in spec for spec in pattern):
                    raise Unsupported("empty pattern or operator")
                rule = (key, len(pattern), [self._token_test(spec) for spec in pattern])
                filed = self._filing(pattern[0])
                if filed is None:
                    self._everywhere.append(rule)
                for value in filed or ():
                    self._filed[value].append(rule)

    def _filing(self, first: dict[str, Any]) -> list[tuple[int, int]] | None:
        """(column, value) keys for a rule's first token: the values one attribute must take, or None."""
        for attr in _FILING_ORDER:
            want, col = first.get(attr), ATTRIBUTES.index(attr)
            if isinstance(want, str | bool):
                return [(col, self._value(want))]
            if isinstance(want, dict) and set(want) == {"IN"}:
                return [(col, self._value(v)) for v in want["IN"]]
        return None

    def _value(self, want: str | bool) -> int:
        return int(want) if isinstance(want, bool) else self._strings.add(want)

    def _token_test(self, spec: dict[str, Any]) -> Test:
        tests = [self._test(attr, want) for attr, want in spec.items()]
        return lambda cols, i: all(test(cols, i) for test in tests)

    def _test(self, attr: str, want: Any) -> Test:
        if attr not in ATTRIBUTES:
            raise Unsupported(attr)
        col = ATTRIBUTES.index(attr)
        if not isinstance(want, dict):
            value = self._value(want)
            return lambda cols, i: cols[col][i] == value
        if set(want) == {"IN"}:
            allowed = frozenset(map(self._value, want["IN"]))
            return lambda cols, i: cols[col][i] in allowed
        if set(want) == {"NOT_IN"}:
            refused = frozenset(map(self._value, want["NOT_IN"]))
            return lambda cols, i: cols[col][i] not in refused
        if set(want) == {"REGEX"}:
            return self._regex_test(col, re.compile(want["REGEX"]))
        raise Unsupported(str(want))

    def _regex_test(self, col: int, pattern: re.Pattern[str]) -> Test:
        seen: dict[int, bool] = {}

        def test(cols: Columns, i: int) -> bool:
            value = cols[col][i]
            if value not in seen:
                seen[value] = pattern.search(self._strings[value]) is not None
            return seen[value]

        return test

    def __call__(self, doc: Any, allow_missing: bool = True, as_spans: bool = False) -> list[tuple[int, int, int]]:
        if as_spans:
            raise ValueError("RuleMatcher gives (key, start, end) tuples only")
        cols: Columns = doc.to_array(list(ATTRIBUTES)).T.tolist() if len(doc) else [[] for _ in ATTRIBUTES]
        found: set[tuple[int, int, int]] = set()
        n, filed = len(doc), self._filed
        for i in range(n):
            rules = [rule for col, values in enumerate(cols) for rule in filed.get((col, values[i]), ())]
            for key, length, tests in rules + self._everywhere:
                if i + length <= n and all(test(cols, i + k) for k, test in enumerate(tests)):
                    found.add((key, i, i + length))
        return sorted(found, key=lambda m: (m[1], m[2], m[0]))


def speed_up_attribute_ruler(nlp: Any, name: str = "attribute_ruler") -> bool:
    """Swap the named attribute ruler's matcher for a ``RuleMatcher``; False (and no change) when a rule is not
    one it can read."""
    if name not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe(name)
    keys = [nlp.vocab.strings[str(i)] for i in range(len(ruler.attrs))]
    try:
        fast = RuleMatcher(nlp.vocab.strings, [(key, ruler.matcher.get(key)[1]) for key in keys])
    except Unsupported:
        return False
    fast.get = ruler.matcher.get  # the ruler's error message reads patterns from its matcher
    ruler.matcher = fast
    return True
