"""Limits on the JSONPath queries of ``?? body`` lines, so a hostile path or body cannot hang a run.

CONTRACT:
    class QueryRefused(ValueError)              # the sentence says which rule refused the query
    def compile_path(path: str)                 # python-jsonpath compile with the rules below; QueryRefused
    def finditer(compiled, document, first_only=False) -> list   # QueryRefused: a regex from the body, too many
    def regex_problem(pattern: str) -> str | None   # why a match()/search() pattern is refused, or None
    def too_large(path, size) -> str | None     # "the body is too large to query" (8 MiB; 2 MiB for a '..' path)

Why rules and not a time limit: python-jsonpath evaluates with the standard ``re`` module, which has no timeout,
and a Python thread cannot be stopped. So what makes a query slow is refused before it runs:
- a ``match``/``search`` pattern (or ``=~ /re/``) with a repeated group that itself repeats or alternates
  (``(a+)+``, ``(a*)*``, ``(a|a)+``: catastrophic backtracking), or longer than ``MAX_REGEX_CHARS``;
  a pattern read from the body at run time meets the same rules; values longer than ``MAX_REGEX_SUBJECT`` are
  not matched against a pattern;
- more than ``MAX_DESCENDANTS`` descendant segment (``..``) or ``MAX_FILTERS`` filters in one path: a second
  '..' nests a walk of the whole document inside another (``$..[?@..*]`` took 28 s on 4 MB);
- python-jsonpath walks about 1 MB a second: a body over ``MAX_QUERY_BYTES`` is not queried, one over
  ``MAX_WALK_BYTES`` not with '..'; more than ``MAX_MATCHES`` matches stop the query ("exists" stops at one);
- a path longer than ``MAX_PATH_CHARS``.
Known limit: a pattern with several unnested quantifiers over overlapping characters (``a*a*b``) is polynomial,
not exponential, and is allowed; ``MAX_REGEX_SUBJECT`` bounds it.
"""

from __future__ import annotations

import itertools
from typing import Any

MAX_PATH_CHARS = 1000
MAX_DESCENDANTS = 1
MAX_FILTERS = 3
MAX_REGEX_CHARS = 200
MAX_REGEX_SUBJECT = 100_000
MAX_QUERY_BYTES = 8 * 1024 * 1024
MAX_WALK_BYTES = 2 * 1024 * 1024
MAX_MATCHES = 10_000
_REPEATS = "*+{"


class QueryRefused(ValueError):
    """A JSONPath query refused by one of the rules; the message names the rule."""


def regex_problem(pattern: str) -> str | None:
    """Why ``pattern`` may take forever (or is too long), as the end of a sentence; None when it is allowed."""
    if len(pattern) > MAX_REGEX_CHARS:
        return f"it is longer than {MAX_REGEX_CHARS} characters"
    groups: list[bool] = []  # per open group: whether it repeats or alternates inside
    last_group: bool | None = None  # the group that just closed (its flag), or None
    i, in_class = 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i, last_group = i + 2, None
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class, last_group = True, None
        elif ch == "(":
            groups.append(False)
            last_group = None
        elif ch == ")" and groups:
            last_group = groups.pop()
            if groups:
                groups[-1] = groups[-1] or last_group
        elif ch in _REPEATS or ch == "|" or (ch == "?" and pattern[i - 1:i] not in ("(", "*", "+", "?", "}")):
            if ch in _REPEATS and last_group:
                return ("a repeated group repeats or alternates inside it (like '(a+)+' or '(a|b)*'), which can "
                        "take forever")
            if groups:
                groups[-1] = True
            last_group = None
        else:
            last_group = None
        i += 1
    return None


def _env():
    import jsonpath
    from jsonpath.function_extensions import Match, Search

    class _Guarded:
        def check_cache(self, pattern: str):
            problem = regex_problem(pattern)
            if problem:
                raise QueryRefused(f"the pattern {pattern[:60]!r} is refused: {problem}")
            return super().check_cache(pattern)

        def __call__(self, value: object, pattern: object) -> bool:
            if isinstance(value, str) and len(value) > MAX_REGEX_SUBJECT:
                raise QueryRefused(f"a value is longer than {MAX_REGEX_SUBJECT:,} characters, the most a pattern "
                                   "is matched against")
            return super().__call__(value, pattern)

    class _Match(_Guarded, Match):
        pass

    class _Search(_Guarded, Search):
        pass

    class _Environment(jsonpath.JSONPathEnvironment):
        def setup_function_extensions(self) -> None:
            super().setup_function_extensions()
            self.function_extensions["match"] = _Match()
            self.function_extensions["search"] = _Search()

    return _Environment()


_ENV: Any = None


def _environment():
    global _ENV
    if _ENV is None:
        _ENV = _env()
    return _ENV


def _check_tokens(path: str) -> None:
    from jsonpath.token import (TOKEN_DDOT, TOKEN_DOUBLE_QUOTE_STRING, TOKEN_FILTER, TOKEN_FUNCTION, TOKEN_LPAREN,
                                TOKEN_RE_PATTERN, TOKEN_RPAREN, TOKEN_SINGLE_QUOTE_STRING)

    counts = {TOKEN_DDOT: 0, TOKEN_FILTER: 0}
    regex_depth = 0  # parentheses open inside a match()/search() call
    for token in _environment().lexer.tokenize(path):
        if token.kind in counts:
            counts[token.kind] += 1
        elif token.kind == TOKEN_FUNCTION and token.value in ("match", "search") and not regex_depth:
            regex_depth = -1  # its "(" comes next
        elif token.kind == TOKEN_LPAREN and regex_depth:
            regex_depth = 1 if regex_depth < 0 else regex_depth + 1
        elif token.kind == TOKEN_RPAREN and regex_depth > 0:
            regex_depth -= 1
        elif token.kind == TOKEN_RE_PATTERN or (regex_depth > 0 and token.kind in (TOKEN_SINGLE_QUOTE_STRING,
                                                                                  TOKEN_DOUBLE_QUOTE_STRING)):
            problem = regex_problem(token.value)
            if problem:
                raise QueryRefused(f"the pattern {token.value[:60]!r} is refused: {problem}")
    if counts[TOKEN_DDOT] > MAX_DESCENDANTS:
        raise QueryRefused(f"it has {counts[TOKEN_DDOT]} descendant segments (..) and at most {MAX_DESCENDANTS} "
                           "may be used, since each further one walks the whole body again for every value")
    if counts[TOKEN_FILTER] > MAX_FILTERS:
        raise QueryRefused(f"it has {counts[TOKEN_FILTER]} filters ([?...]); at most {MAX_FILTERS} are allowed")


def compile_path(path: str):
    """``path`` compiled by python-jsonpath; its JSONPathError, or QueryRefused when a rule refuses it."""
    if len(path) > MAX_PATH_CHARS:
        raise QueryRefused(f"it is longer than {MAX_PATH_CHARS} characters")
    compiled = _environment().compile(path)
    _check_tokens(path)
    return compiled


def too_large(path: str, size: int) -> str | None:
    """Why a body of ``size`` bytes is not queried with ``path`` (a sentence's end), or None: python-jsonpath
    walks about 1 MB a second, so a walk of the whole body ('..') is kept to MAX_WALK_BYTES."""
    if size > MAX_QUERY_BYTES:
        return f"the body is too large to query (over {MAX_QUERY_BYTES // 2**20} MiB)"
    if ".." in path and size > MAX_WALK_BYTES:
        return (f"the body is too large to query with '..' (over {MAX_WALK_BYTES // 2**20} MiB); write the path "
                "down from $ instead")
    return None


def finditer(compiled, document: Any, first_only: bool = False) -> list:
    """The matches of ``compiled`` in ``document`` (only the first when that is all a check needs); QueryRefused
    for a pattern read from the body or more than MAX_MATCHES matches."""
    found = list(itertools.islice(compiled.finditer(document), 1 if first_only else MAX_MATCHES + 1))
    if len(found) > MAX_MATCHES:
        raise QueryRefused(f"the path matches more than {MAX_MATCHES:,} values")
    return found
