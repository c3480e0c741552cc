"""Expectations written in a ``.http`` file after a request (httpyac-style ``??`` lines), checked on its diagnosis.

```
?? status == 201                          status: == != < <= > >= and a number
?? status < 400
?? header content-type includes json      header NAME: == != includes excludes exists missing (case-insensitive name)
?? duration < 500                         total time in milliseconds
?? body $.id exists                       body JSONPATH: exists missing == != < <= > >= includes; the value is JSON
?? body $.items[0].name == "coffee"         ("coffee", 3, true, null) or else a bare word
?? findings none                          no error or warning finding (info observations such as Location are fine)
?? findings lacks request-missing-content-type     / ?? findings has ID
```
``parse_assertion(line)`` raises :class:`AssertionSyntaxError` (a sentence); ``check(assertion, diagnosis)`` returns
an :class:`AssertionResult` with the expected and actual values as people read them. JSONPath is RFC 9535 through
python-jsonpath. Pure: no I/O.
"""

from __future__ import annotations

import json
import operator
import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from app.core.diagnosis import Diagnosis
from app.core.jsonpath_rules import QueryRefused, compile_path, finditer, too_large
from app.core.redact import REDACTED, is_secret_param, mask_header_value, redact_body, redact_text

PREFIX = "??"
_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_UNARY = ("exists", "missing")
_NOT_JSON = "the body is not JSON"
_BODY_WORDS = ("found", "not found", _NOT_JSON)  # what a body check says instead of a value
_PATH_NAMES = re.compile(r"[A-Za-z_][\w-]*")
_TEXT_OPS = ("includes", "excludes")
_LINE = re.compile(r"^\?\?\s*(?P<subject>\S+)\s*(?P<rest>.*)$")
MAX_LITERAL_CHARS = 100_000
_OP = re.compile(r"^(?P<op>==|!=|<=|>=|<|>|includes|excludes|exists|missing)(?:\s+(?P<value>.*))?$")


class AssertionSyntaxError(ValueError):
    """A ``??`` line that cannot be read; the message says what is expected."""


@dataclass(frozen=True)
class Assertion:
    text: str  # the line as written, without "??"
    subject: str  # status | header | duration | body | findings
    target: str  # the header name, the JSONPath, the finding id ("" for status/duration/findings none)
    op: str
    value: Any = None


@dataclass(frozen=True)
class AssertionResult:
    assertion: Assertion
    passed: bool
    expected: str
    actual: str
    found: tuple[tuple[tuple, Any], ...] = field(default=(), compare=False, repr=False)  # body: (path, value)s

    def to_json(self) -> dict:
        return {"assertion": self.assertion.text, "passed": self.passed, "expected": self.expected,
                "actual": self.actual}

    def redacted(self) -> AssertionResult:
        """This result as it may leave the app (terminal, --json, JUnit, the run's page): a secret header's value
        masked as everywhere else (app.core.redact), a body value under a secret-named key hidden, any other body
        value redacted as a JSON body, and the expectation's own value masked the same way."""
        a = self.assertion
        if a.subject == "header" and a.op not in _UNARY:
            value = _hidden_header(a.target, a.value or "")
            text = a.text if value == a.value else f"header {a.target} {a.op} {value}"
            actual = self.actual if self.actual == "absent" else _hidden_header(a.target, self.actual)
            return replace(self, assertion=replace(a, text=text), expected=f"{a.target} {a.op} {value}",
                           actual=actual)
        if a.subject != "body":
            return self
        secret = _names_secret(_PATH_NAMES.findall(a.target))
        actual = self.actual
        if self.found and actual not in _BODY_WORDS:
            shown = [_shown(REDACTED) if secret or _names_secret(parts) else _hidden_json(_shown(value))
                     for parts, value in self.found]
            actual = shown[0] if len(shown) == 1 else "[" + ", ".join(shown) + "]"
        if secret and a.op not in _UNARY:
            return replace(self, assertion=replace(a, text=f"body {a.target} {a.op} {REDACTED}"), actual=actual,
                           expected=self.expected.removesuffix(_shown(a.value)) + REDACTED)
        return replace(self, assertion=replace(a, text=redact_text(a.text)[0]), actual=actual,
                       expected=redact_text(self.expected)[0])


def _hidden_header(name: str, value: str) -> str:
    masked = mask_header_value(name, value)
    return masked if masked != value else redact_text(value)[0]


def _hidden_json(text: str) -> str:
    """A value shown as JSON text with secret-named fields and credential-shaped strings hidden."""
    body, _ = redact_body(text.encode("utf-8"), "application/json")
    return redact_text((body or b"").decode("utf-8"))[0]


def _names_secret(names) -> bool:
    """True when a JSONPath names a secret key (read from its text), or a value's location passes through one."""
    return any(isinstance(n, str) and is_secret_param(n) for n in names)


def is_assertion_line(line: str) -> bool:
    return line.lstrip().startswith(PREFIX)


def _cut(line: str) -> str:
    return line if len(line) <= 80 else line[:80] + "…"


def _literal(text: str, line: str) -> Any:
    text = text.strip()
    if len(text) > MAX_LITERAL_CHARS:
        raise AssertionSyntaxError(f"'?? {_cut(line)}': the value to compare with is longer than "
                                   f"{MAX_LITERAL_CHARS:,} characters.")
    try:
        return json.loads(text)
    except RecursionError:
        raise AssertionSyntaxError(f"'?? {_cut(line)}': the value to compare with is nested too deeply.") from None
    except ValueError:
        return text


def _operator(rest: str, text: str, allowed: tuple[str, ...]) -> tuple[str, str | None]:
    m = _OP.match(rest.strip())
    if m is None or m.group("op") not in allowed:
        raise AssertionSyntaxError(f"'?? {text}' needs one of {', '.join(allowed)} after its subject.")
    op, value = m.group("op"), m.group("value")
    if op not in _UNARY and (value is None or not value.strip()):
        raise AssertionSyntaxError(f"'?? {text}' needs a value after {op}.")
    if op in _UNARY and value:
        raise AssertionSyntaxError(f"'?? {text}': nothing may follow {op}.")
    return op, value


def _number(value: str | None, text: str) -> float:
    try:
        return float(value or "")
    except ValueError:
        raise AssertionSyntaxError(f"'?? {text}' compares with a number, not {value!r}.") from None


def _split_target(rest: str, text: str, what: str) -> tuple[str, str]:
    target, _, tail = rest.strip().partition(" ")
    if not target:
        raise AssertionSyntaxError(f"'?? {text}' needs {what}.")
    return target, tail


def parse_assertion(line: str) -> Assertion:
    """One ``??`` line read into an :class:`Assertion`; AssertionSyntaxError says what is wrong."""
    m = _LINE.match(line.strip())
    text = line.strip()[2:].strip()
    if m is None:
        raise AssertionSyntaxError("An assertion line starts with '??' and a subject (status, header, duration, "
                                   "body, findings).")
    subject, rest = m.group("subject").lower(), m.group("rest")
    if subject in ("status", "duration"):
        op, value = _operator(rest, text, tuple(_ORDER))
        return Assertion(text, subject, "", op, _number(value, text))
    if subject == "header":
        name, tail = _split_target(rest, text, "a header name")
        op, value = _operator(tail, text, ("==", "!=") + _TEXT_OPS + _UNARY)
        return Assertion(text, subject, name, op, None if value is None else value.strip())
    if subject == "body":
        path, tail = _split_target(rest, text, "a JSONPath such as $.id")
        _compile(path, text)
        op, value = _operator(tail, text, tuple(_ORDER) + ("includes",) + _UNARY)
        return Assertion(text, subject, path, op, None if value is None else _literal(value, text))
    if subject == "findings":
        words = rest.split()
        if words == ["none"]:
            return Assertion(text, subject, "", "none")
        if len(words) == 2 and words[0] in ("lacks", "has"):
            return Assertion(text, subject, words[1], words[0])
        raise AssertionSyntaxError(f"'?? {text}': write 'findings none', 'findings lacks ID' or 'findings has ID'.")
    raise AssertionSyntaxError(f"'?? {text}': the subject {subject!r} is unknown; use status, header, duration, "
                               "body or findings.")


def _compile(path: str, text: str):
    import jsonpath

    try:
        return compile_path(path)
    except QueryRefused as exc:
        raise AssertionSyntaxError(f"'?? {_cut(text)}': the JSONPath is refused: {exc}.") from None
    except RecursionError:
        raise AssertionSyntaxError(f"'?? {_cut(text)}': the JSONPath is nested too deeply to read.") from None
    except jsonpath.JSONPathError as exc:
        first = str(exc).splitlines()[0]
        raise AssertionSyntaxError(f"'?? {text}': the JSONPath {path!r} cannot be read ({first}).") from None


def _compare(op: str, actual: Any, expected: Any) -> bool:
    if op == "includes":  # text: case-insensitive substring; a JSON array: one of its items
        if isinstance(actual, str):
            return str(expected).lower() in actual.lower()
        return isinstance(actual, list) and expected in actual
    if op == "excludes":
        return str(expected).lower() not in str(actual).lower()
    try:
        return _ORDER[op](actual, expected)
    except TypeError:  # "abc" < 3: not comparable, so not true
        return False


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, float) or not value.is_integer() \
        else str(int(value))


def _check_body(a: Assertion, d: Diagnosis) -> AssertionResult:
    resp = d.exchange.response
    too_big = too_large(a.target, len(resp.body or b"")) if resp is not None else None
    if too_big:
        return AssertionResult(a, False, f"{a.target} {a.op} {_shown(a.value)}".strip(), f"not checked: {too_big}")
    try:
        document = json.loads(resp.body) if resp is not None and resp.body else None
    except (ValueError, RecursionError):
        document = None
    if document is None:
        return AssertionResult(a, a.op == "missing", f"{a.target} {a.op} {_shown(a.value)}".strip(), _NOT_JSON)
    try:
        matches = tuple((m.parts, m.obj) for m in finditer(_compile(a.target, a.text), document,
                                                                      a.op in _UNARY))
    except (QueryRefused, RecursionError) as exc:
        why = str(exc) if isinstance(exc, QueryRefused) else "the body is nested too deeply to query"
        return AssertionResult(a, False, f"{a.target} {a.op} {_shown(a.value)}".strip(), f"not checked: {why}")
    found = [value for _, value in matches]
    if a.op in _UNARY:
        ok = bool(found) == (a.op == "exists")
        return AssertionResult(a, ok, f"{a.target} {a.op}", "found" if found else "not found")
    if not found:
        return AssertionResult(a, False, f"{a.target} {a.op} {_shown(a.value)}", "not found")
    value = found[0] if len(found) == 1 else found
    return AssertionResult(a, _compare(a.op, value, a.value), f"{a.op} {_shown(a.value)}", _shown(value), matches)


def _check_header(a: Assertion, d: Diagnosis) -> AssertionResult:
    resp = d.exchange.response
    value = resp.header(a.target) if resp is not None else None
    if a.op in _UNARY:
        ok = (value is not None) == (a.op == "exists")
        return AssertionResult(a, ok, f"{a.target} {a.op}", "present" if value is not None else "absent")
    expected = f"{a.target} {a.op} {a.value}"
    if value is None:
        return AssertionResult(a, a.op in ("!=", "excludes"), expected, "absent")
    ok = _compare(a.op, value.lower() if a.op in ("==", "!=") else value, (a.value or "").lower()
                  if a.op in ("==", "!=") else a.value)
    return AssertionResult(a, ok, expected, value)


def _check_findings(a: Assertion, d: Diagnosis) -> AssertionResult:
    if a.op == "none":
        problems = [f.id for f in d.findings if f.severity in ("error", "warning")]
        return AssertionResult(a, not problems, "no error or warning findings", ", ".join(problems) or "none")
    ids = [f.id for f in d.findings]
    present = a.target in ids
    return AssertionResult(a, present == (a.op == "has"), f"{a.op} {a.target}", ", ".join(ids) or "no findings")


def check(a: Assertion, d: Diagnosis) -> AssertionResult:
    """Whether the exchange of ``d`` meets ``a``. A missing response fails every check but 'body … missing'."""
    resp = d.exchange.response
    if a.subject == "status":
        actual = resp.status if resp is not None else None
        ok = actual is not None and _ORDER[a.op](actual, a.value)
        return AssertionResult(a, ok, f"{a.op} {_shown(a.value)}", "no response" if actual is None else str(actual))
    if a.subject == "duration":
        total = d.exchange.timing.total
        ms = None if total is None else total * 1000
        ok = ms is not None and _ORDER[a.op](ms, a.value)
        return AssertionResult(a, ok, f"{a.op} {_shown(a.value)} ms", "unknown" if ms is None else f"{ms:.0f} ms")
    if a.subject == "header":
        return _check_header(a, d)
    if a.subject == "body":
        return _check_body(a, d)
    return _check_findings(a, d)
