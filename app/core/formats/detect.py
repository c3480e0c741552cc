"""What kind of text is this? One answer for every importer: File → Import, paste, triage, the CLI.

``detect_kind(text, filename=None)`` -> an ``ImportKind`` or None (not recognised). The content decides; the file
name's suffix (.http / .rest) only breaks ties: a request line with an HTTP version followed by headers reads the same
as raw HTTP and as a one-request .http file, and text that is none of the kinds below is left to the .http reader
(which says which line is wrong) when the name says .http.

- ``HAR``: a JSON object with a ``"log"`` object.
- ``POSTMAN``: a JSON object shaped like a Postman export: ``"info"`` and ``"item"`` (also inside the API's
  ``{"collection": {...}}`` wrapper), or a v1 collection / an environment, so the Postman reader can say what to
  export instead.
- ``CURL``: starts with ``curl`` or ``curl.exe`` and a space or tab (after a pasted ``$`` prompt, or after ``#``
  comment lines as a shell script has them); what follows is the curl reader's business.
- ``RAW_EXCHANGE``: a status line (``HTTP/1.1 429 ...``) first, or a raw request with a status line further down.
- ``RAW_REQUEST``: a request line with an HTTP version (``POST /orders HTTP/1.1``) and at least one line more.
- ``OPENAPI``: an OpenAPI 3.x document, a JSON object with ``"openapi": "3..."`` or YAML whose first key line is a
  top-level key and which has a top-level ``openapi: 3...`` line (checked after every other kind, so a raw exchange
  whose body is such a document stays an exchange). It holds operations, not exchanges: File → Import saves them.
- ``HTTP_FILE``: ``###`` separators, ``@var = value`` lines, comments (``#``, ``//``, ``/* */``) or scripts
  (``< {% %}``, httpyac's ``{{ }}``), then a request line (``GET https://...``, ``POST {{base}}/x``, or a bare URL
  after such a marker).

Pure, never raises, linear in the length of the text: the patterns have no nested or overlapping repeats and are
matched against single lines, and JSON is parsed once.
"""

from __future__ import annotations

import enum
import json
import re


class ImportKind(enum.Enum):
    CURL = "curl"
    RAW_REQUEST = "raw request"
    RAW_EXCHANGE = "raw exchange"
    HAR = "har"
    POSTMAN = "postman"
    HTTP_FILE = "http file"
    OPENAPI = "openapi"


HTTP_FILE_SUFFIXES = (".http", ".rest")
BLANK = "\ufeff \t\r\n"  # a byte-order mark and blank space before the content
_CURL = re.compile(r"(?:[$>%][ \t]+)?curl(?:\.exe)?[ \t]", re.IGNORECASE)  # after a pasted prompt too
_REQUEST_LINE = re.compile(r"[A-Za-z]+ +\S+ +HTTP/\d(?:\.\d)?")
_STATUS_LINE = re.compile(r"HTTP/\d(?:\.\d)?[ \t]+\d{3}(?:\s|$)")
_STATUS_LINE_ANYWHERE = re.compile(r"^HTTP/\d(?:\.\d)?[ \t]+\d{3}(?:\s|$)", re.MULTILINE)
_SEPARATOR_ANYWHERE = re.compile(r"^###", re.MULTILINE)
_VARIABLE_LINE = re.compile(r"@[A-Za-z0-9_.-]+[ \t]*=")
_URL = r"(?:https?://|\{\{)\S*"
_HTTP_FILE_REQUEST = re.compile(r"(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|CONNECT|TRACE) +" + _URL
                                + r"(?: +HTTP/\d(?:\.\d)?)?")
_BARE_URL = re.compile(_URL + r"(?: +HTTP/\d(?:\.\d)?)?")
_YAML_KEY = re.compile(r"""(?:[A-Za-z_$][\w$.-]*|"[^"\n]*"|'[^'\n]*')[ \t]*:(?:[ \t]|$)""")
_OPENAPI_YAML = re.compile(r"""^["']?openapi["']?[ \t]*:[ \t]*["']?3\.""", re.MULTILINE)


def detect_kind(text: str, filename: str | None = None) -> ImportKind | None:
    """The kind of ``text`` (None: not recognised). ``filename`` only breaks ties (.http / .rest)."""
    if not isinstance(text, str):
        return None
    content = text.lstrip(BLANK)
    if not content:
        return None
    kind = _kind_by_content(content, filename)
    if kind is None and _is_http_file_name(filename):
        return ImportKind.HTTP_FILE
    if kind is None and _is_openapi_yaml(content):
        return ImportKind.OPENAPI
    return kind


def _kind_by_content(content: str, filename: str | None) -> ImportKind | None:
    if content.startswith("{"):
        return _json_kind(content)
    if _CURL.match(content) or (content.startswith("#") and _CURL.match(_after_shell_comments(content))):
        return ImportKind.CURL
    first, _, rest = content.partition("\n")
    first = first.strip()
    if _STATUS_LINE.match(first):
        return ImportKind.RAW_EXCHANGE
    if _REQUEST_LINE.fullmatch(first) and rest.strip():
        if _STATUS_LINE_ANYWHERE.search(rest):
            return ImportKind.RAW_EXCHANGE
        if _SEPARATOR_ANYWHERE.search(rest) or _is_http_file_name(filename):
            return ImportKind.HTTP_FILE
        return ImportKind.RAW_REQUEST
    return ImportKind.HTTP_FILE if _reads_as_http_file(content) else None


def _after_shell_comments(content: str) -> str:
    """The text from its first line that is neither blank nor a ``#`` comment (a script's shebang and notes)."""
    start = 0
    while start < len(content):
        end = content.find("\n", start)
        end = len(content) if end < 0 else end
        line = content[start:end].strip()
        if line and not line.startswith("#"):
            return content[start:].lstrip()
        start = end + 1
    return ""


def _is_http_file_name(filename: str | None) -> bool:
    return isinstance(filename, str) and filename.lower().endswith(HTTP_FILE_SUFFIXES)


# A HAR names its "log" first: said without parsing the whole file (a 75 MB capture was parsed twice, once here
# only to be told it is a HAR, and a hostile one nested 100,000 levels deep got "does not parse" instead of the
# HAR reader's own sentence).
_HAR_PREFIX = re.compile(r'\A\{\s*"log"\s*:\s*\{')
_HAR_KEY_NEAR_TOP = re.compile(r'"log"\s*:\s*\{')


def _json_kind(content: str) -> ImportKind | None:
    if _HAR_PREFIX.match(content):
        return ImportKind.HAR
    try:
        doc = json.loads(content)
    except RecursionError:  # deeper than the parser goes: let the HAR reader say so if it looks like one
        return ImportKind.HAR if _HAR_KEY_NEAR_TOP.search(content[:4096]) else None
    except ValueError:  # not JSON
        return None
    if not isinstance(doc, dict):
        return None
    if isinstance(doc.get("log"), dict):
        return ImportKind.HAR
    if isinstance(doc.get("openapi"), str) and doc["openapi"].startswith("3."):
        return ImportKind.OPENAPI
    root = doc["collection"] if isinstance(doc.get("collection"), dict) else doc
    if ("info" in root and "item" in root) or "_postman_variable_scope" in root or (
            isinstance(root.get("requests"), list) and "order" in root):
        return ImportKind.POSTMAN
    return None


def _is_openapi_yaml(content: str) -> bool:
    """A YAML mapping (its first line that is not a comment or '---' is a top-level key) with ``openapi: 3.x``."""
    for line in content.split("\n", 200)[:200]:
        if not line.strip() or line.lstrip().startswith("#") or line.rstrip() == "---":
            continue
        return bool(_YAML_KEY.match(line)) and _OPENAPI_YAML.search(content) is not None
    return False


def _reads_as_http_file(content: str) -> bool:
    """Markers (###, @var = value, # or // comments, /* */ blocks, scripts) and blank lines, then a request line."""
    marked = False
    closer = ""  # inside a block comment ("*/") or a script ("%}" or "}}") until a line holds this
    for line in content.split("\n"):
        line = line.strip()
        if closer:
            closer = "" if closer in line else closer
            continue
        if not line:
            continue
        opened = _opens_block(line)
        if opened is not None:
            marked, closer = True, opened
            continue
        if line.startswith(("#", "//")) or _VARIABLE_LINE.match(line):
            marked = True
            continue
        return bool(_HTTP_FILE_REQUEST.fullmatch(line) or (marked and _BARE_URL.fullmatch(line)))
    return False


def _opens_block(line: str) -> str | None:
    """For a line opening a block comment or a script: what closes it ("" when the same line does)."""
    for opener, closer in (("/*", "*/"), ("< {%", "%}"), ("{{", "}}")):
        if line.startswith(opener) and (opener != "{{" or "}}" not in line):
            return "" if closer in line[len(opener):] else closer
    return None
