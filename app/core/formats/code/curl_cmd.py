"""curl for Windows cmd.exe (curl.exe ships with Windows 10 and later), in the flavour browsers write: every word
in ``^"...^"`` so cmd.exe never enters its own quote mode, each character cmd.exe would act on (``& | < > ( ) ^ "``
and ``%`` before a name) escaped with ``^``, then the C runtime's rules for curl.exe's argv (``\\"`` for a quote,
backslashes doubled only before a quote). A line break is ``^`` and two line breaks.

cmd.exe cannot hold a carriage return or another control character in a word: a body with one (every multipart
body) is read from a file instead (``--data-binary @body.bin``; a REM line says to save the body there), and so
is a body that is a file. A method, URL or header holding one (possible in an imported capture) is refused with a
sentence: a carriage return pasted into cmd.exe ends the command there and runs the rest as another one.
"""

from __future__ import annotations

import re

from app.core.formats.code.plan import CodeError, Plan

_CMD_SPECIAL = str.maketrans({c: "^" + c for c in '&|<>()^"!'})
_NAME_AFTER_PERCENT = re.compile(r"%(?=[A-Za-z0-9_])")
_BACKSLASHES_BEFORE_QUOTE = re.compile(r'(\\+)(?="|$)')
_UNSAYABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def cmd_quote(word: str) -> str:
    """``word`` as one argument of curl.exe, run from cmd.exe."""
    crt = _BACKSLASHES_BEFORE_QUOTE.sub(lambda m: m.group(1) * 2, word).replace('"', '\\"')
    escaped = _NAME_AFTER_PERCENT.sub("%^", crt.translate(_CMD_SPECIAL))
    return '^"' + escaped.replace("\n", "^\n\n") + '^"'


def sayable(text: str) -> bool:
    return not _UNSAYABLE.search(text)


_UNSAYABLE_IN_WORD = re.compile(r"[\x00-\x1f\x7f]")  # in a method, URL or header: no line break either


def generate(plan: Plan) -> str:
    for what, text in (("method", plan.method), ("URL", plan.url),
                       *(("header", f"{n}: {v}") for n, v in plan.headers)):
        if _UNSAYABLE_IN_WORD.search(text):
            raise CodeError(f"The request's {what} holds a control character (a line break or similar), which "
                            "cmd.exe cannot hold: a pasted carriage return would end the command there. Copy it "
                            "for bash or PowerShell instead.")
    words = ["curl"]
    if plan.method != ("POST" if plan.body is not None else "GET"):
        words += ["-X", cmd_quote(plan.method)]
    words.append(cmd_quote(plan.url))
    lines = [" ".join(words)]
    lines += ["-H " + cmd_quote(f"{n}: {v}" if v else f"{n};") for n, v in plan.headers]
    if plan.content_type_missing:
        lines.append("-H " + cmd_quote("Content-Type:"))  # curl would otherwise add its form Content-Type
    rem = ""
    if plan.body is not None:
        text = (plan.inline or b"").decode("utf-8", "replace") if plan.inline is not None else None
        if plan.whole_file is not None:
            lines.append("--data-binary " + cmd_quote("@" + plan.whole_file.path))
        elif text is not None and sayable(text) and text.encode() == plan.inline:
            lines.append(("--data-raw " if text.startswith("@") else "--data-binary ") + cmd_quote(text))
        else:
            rem = "REM cmd.exe cannot hold this body's bytes: save the body as body.bin beside you first.\n"
            lines.append("--data-binary " + cmd_quote("@body.bin"))
    return rem + " ^\n  ".join(lines) + "\n"
