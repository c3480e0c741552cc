"""The limits on ?? body JSONPath queries: regexes that backtrack forever, walks nested in walks, huge bodies."""

from __future__ import annotations

import time

import pytest

from app.core.jsonpath_rules import MAX_MATCHES, QueryRefused, compile_path, finditer, regex_problem, too_large


@pytest.mark.parametrize("pattern", ["(a+)+", "(a*)*", "(a|a)+", "(?:a+)+", "(a{2,3})+", "(a?)*", "x((a+)b)*",
                                     "(S|3|C|R|E|T|v|4|l|u|e|9|S3)*$Z", "a" * 201])
def test_catastrophic_or_long_patterns_are_refused(pattern):
    assert regex_problem(pattern)


@pytest.mark.parametrize("pattern", ["a+b*", "^[a-z]+@x\\.com$", "(ab)+", "(a+)?", "[(a+)]+", "\\(a+\\)+",
                                     "((a)b)*", "colou?r", "a{2,3}", ""])
def test_ordinary_patterns_are_allowed(pattern):
    assert regex_problem(pattern) is None


@pytest.mark.parametrize("path, rule", [
    ("$[?match(@,'(a+)+')]", "repeated group"), ("$[?search(@.a,\"(a|b)*c\")]", "repeated group"),
    ("$[?@=~/(x*)*y/]", "repeated group"), ("$..[?@..[?@..*]]", "3 descendant segments"),
    ("$..[?@..*]", "2 descendant segments"), ("$" + "[?@" * 4 + "]" * 4, "4 filters"),
    ("$" + ".a" * 600, "longer than 1000")])
def test_paths_breaking_a_rule_are_refused_naming_it(path, rule):
    with pytest.raises(QueryRefused, match=rule):
        compile_path(path)


def test_a_string_compared_outside_match_is_not_read_as_a_pattern():
    compile_path("$[?@.a=='(a+)+']")


def test_a_pattern_taken_from_the_body_meets_the_same_rules_in_time():
    doc = [{"a": "a" * 40 + "!", "p": "(a+)+"}]
    start = time.monotonic()
    with pytest.raises(QueryRefused, match="'\\(a\\+\\)\\+' is refused"):
        finditer(compile_path("$[?match(@.a,@.p)]"), doc)
    assert time.monotonic() - start < 1


def test_too_many_matches_stop_the_query_but_exists_needs_one():
    doc = list(range(MAX_MATCHES + 5))
    with pytest.raises(QueryRefused, match="more than 10,000 values"):
        finditer(compile_path("$[*]"), doc)
    assert len(finditer(compile_path("$[*]"), doc, first_only=True)) == 1


def test_body_size_limits():
    assert too_large("$.a", 8 * 2**20) is None and "too large to query" in too_large("$.a", 8 * 2**20 + 1)
    assert too_large("$..a", 2 * 2**20) is None and "with '..'" in too_large("$..a", 2 * 2**20 + 1)

