"""Saved requests run as checks: the result of each request and the three ways it is reported.

A :class:`CheckResult` is one request of a run: where it came from, its diagnosis (None when it could not be sent),
the outcome of each ``??`` expectation (app.core.assertions), and any wait for Retry-After. A request with no
expectation passes when a response arrived. ``run_lines`` is the terminal text, ``run_json`` the ``--json`` object,
``junit_xml`` the JUnit XML file CI systems read (one testsuite per file, one testcase per request). What leaves
the app goes through :meth:`CheckResult.redacted` first (unless the user asks to see secrets): the values the
expectations quote come straight from headers and bodies. Pure: no I/O.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace

from app.core.assertions import AssertionResult
from app.core.diagnosis import Diagnosis
from app.core.humanize import human_duration
from app.core.redact import redact_text, redact_url


@dataclass(frozen=True)
class CheckResult:
    file: str  # the .http file, relative to what was run
    name: str  # the request's name, else "METHOD URL"
    method: str
    url: str
    diagnosis: Diagnosis | None  # None: not sent (a placeholder had no value)
    results: tuple[AssertionResult, ...] = ()
    problem: str | None = None  # why it was not sent, or the transport's sentence
    notes: tuple[str, ...] = ()  # e.g. "waited 2 s for Retry-After"
    history_id: int | None = None

    @property
    def answered(self) -> bool:
        return self.diagnosis is not None and self.diagnosis.exchange.response is not None

    @property
    def passed(self) -> bool:
        return self.answered and self.problem is None and all(r.passed for r in self.results)

    @property
    def failures(self) -> tuple[AssertionResult, ...]:
        return tuple(r for r in self.results if not r.passed)

    @property
    def status(self) -> str:
        if not self.answered:
            return "no response"
        resp = self.diagnosis.exchange.response  # type: ignore[union-attr]
        return f"{resp.status} {resp.reason}".strip()

    @property
    def documented(self) -> str:
        d = self.diagnosis
        return "" if d is None or d.documented is None else f"{d.documented.code} {d.documented.status}"

    @property
    def seconds(self) -> float | None:
        return None if self.diagnosis is None else self.diagnosis.exchange.timing.total

    def redacted(self) -> CheckResult:
        """This result as it may leave the app (terminal, --json, JUnit, the run's page): the URL (placeholders
        filled from the environment and the secret store), a "METHOD URL" name, the reason phrase, the problem
        sentence and every expected/actual value with secrets masked (app.core.redact)."""
        d = self.diagnosis
        resp = None if d is None else d.exchange.response
        if resp is not None:
            d = replace(d, exchange=replace(d.exchange, response=replace(resp, reason=redact_text(resp.reason)[0])))
        return replace(self, name=redact_text(self.name)[0], url=redact_url(self.url)[0], diagnosis=d,
                       problem=None if self.problem is None else redact_text(self.problem)[0],
                       results=tuple(r.redacted() for r in self.results))

    def to_json(self) -> dict:
        return {"file": self.file, "name": self.name, "method": self.method, "url": self.url,
                "passed": self.passed, "status": self.status, "documented": self.documented or None,
                "seconds": self.seconds, "problem": self.problem, "notes": list(self.notes),
                "assertions": [r.to_json() for r in self.results], "history_id": self.history_id}


@dataclass(frozen=True)
class RunTotals:
    passed: int
    failed: int
    no_response: int
    seconds: float

    @classmethod
    def of(cls, results: list[CheckResult], seconds: float) -> RunTotals:
        passed = sum(r.passed for r in results)
        return cls(passed, len(results) - passed, sum(not r.answered for r in results), seconds)


def result_lines(r: CheckResult) -> list[str]:
    """One line for the request, then its failed expectations and notes, indented."""
    mark = "✔ PASS" if r.passed else "✖ FAIL"
    documented = f" ({r.documented})" if r.documented and not r.status.startswith(r.documented) else ""
    lines = [f"{mark}  {r.name}  {r.status}{documented}  {human_duration(r.seconds)}  [{r.file}]"]
    if r.problem:
        lines.append(f"    {r.problem}")
    lines += [f"    ✖ ?? {f.assertion.text}: expected {f.expected}, got {f.actual}" for f in r.failures]
    lines += [f"    {note}" for note in r.notes]
    return lines


def total_line(t: RunTotals) -> str:
    n = t.passed + t.failed
    text = f"{n} request{'s' * (n != 1)}: {t.passed} passed, {t.failed} failed"
    if t.no_response:
        text += f" ({t.no_response} without a response)"
    return text + f" in {human_duration(t.seconds)}."


def run_json(results: list[CheckResult], totals: RunTotals) -> dict:
    return {"results": [r.to_json() for r in results], "passed": totals.passed, "failed": totals.failed,
            "no_response": totals.no_response, "seconds": round(totals.seconds, 3)}


def _case(suite: ET.Element, r: CheckResult) -> None:
    case = ET.SubElement(suite, "testcase", name=r.name, classname=r.file.replace("/", "."),
                         time=f"{r.seconds or 0:.3f}")
    if not r.answered:
        ET.SubElement(case, "error", message=r.problem or "No response.", type="no-response").text = r.problem
    elif not r.passed:
        first = r.failures[0] if r.failures else None
        message = f"?? {first.assertion.text}: expected {first.expected}, got {first.actual}" if first else r.problem
        failure = ET.SubElement(case, "failure", message=message or "failed", type="assertion")
        failure.text = "\n".join(result_lines(r)[1:])
    out = [f"{r.method} {r.url} -> {r.status}"] + list(r.notes)
    ET.SubElement(case, "system-out").text = "\n".join(out)


def junit_xml(results: list[CheckResult], totals: RunTotals, name: str = "request-inspector run") -> str:
    """JUnit XML: <testsuites> with one <testsuite> per file; a failed expectation is a <failure>, no response an
    <error>."""
    root = ET.Element("testsuites", name=name, tests=str(len(results)), time=f"{totals.seconds:.3f}",
                      failures=str(sum(r.answered and not r.passed for r in results)),
                      errors=str(totals.no_response))
    files = list(dict.fromkeys(r.file for r in results))
    for file in files:
        mine = [r for r in results if r.file == file]
        suite = ET.SubElement(root, "testsuite", name=file, tests=str(len(mine)),
                              failures=str(sum(r.answered and not r.passed for r in mine)),
                              errors=str(sum(not r.answered for r in mine)),
                              time=f"{sum(r.seconds or 0 for r in mine):.3f}")
        for r in mine:
            _case(suite, r)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
