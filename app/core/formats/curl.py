"""curl command import (bash and Windows cmd flavours, as browsers' "Copy as cURL" write them) and export.

Parsing never runs anything: it tokenizes the command the way the shell would, then reads curl's options.
Files named with ``@file`` are not read unless the caller passes ``read_file`` (a callable path -> bytes);
without it the body gets a placeholder and a warning says so.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote

from app.core.formats.errors import FormatError, at, never_other_errors
from app.core.models import HttpRequest
from app.core.redact import redact_request

MULTIPART_BOUNDARY = "------------------------RequestInspectorBoundary7MA4YWxk"
CURL_ACCEPT_ENCODING = "deflate, gzip, br, zstd"

ReadFile = Callable[[str], bytes]


@dataclass(frozen=True)
class CurlImport:
    request: HttpRequest
    unknown_flags: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    insecure: bool = False
    follow_redirects: bool = False
    compressed: bool = False


# ---------------------------------------------------------------- tokenizing


@dataclass(frozen=True)
class _Token:
    text: str  # may hold U+DC80..U+DCFF for raw bytes (\xHH >= 0x80), see _to_bytes
    offset: int


def _to_bytes(s: str) -> bytes:
    try:
        return s.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return s.encode("utf-8", "replace")


def _to_text(s: str) -> str:
    """A token as plain text (header values, URLs): raw bytes decoded leniently."""
    return _to_bytes(s).decode("utf-8", "replace")


_SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
                   "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?"}


def _ansi_c(text: str, i: int, start: int) -> tuple[str, int]:
    """Read a bash $'...' string whose body starts at ``i``; return (value, index after closing quote)."""
    out: list[str] = []
    n = len(text)
    while i < n:
        c = text[i]
        if c == "'":
            return "".join(out), i + 1
        if c != "\\" or i + 1 >= n:
            out.append(c)
            i += 1
            continue
        e = text[i + 1]
        i += 2
        if e in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[e])
        elif e in "xuU":
            width = {"x": 2, "u": 4, "U": 8}[e]
            m = re.match(r"[0-9A-Fa-f]{1,%d}" % width, text[i:i + width])
            if not m:
                out.append("\\" + e)
                continue
            code = int(m.group(0), 16)
            i += len(m.group(0))
            if e == "x":
                out.append(chr(code) if code < 0x80 else chr(0xDC00 + code))
            elif code > 0x10FFFF:
                raise at(text, i, f"The escape \\{e}{m.group(0)} is not a valid character")
            else:
                out.append(chr(code))
        elif e in "01234567":
            m = re.match(r"[0-7]{1,3}", text[i - 1:i + 2])
            assert m is not None
            code = int(m.group(0), 8) & 0xFF
            i += len(m.group(0)) - 1
            out.append(chr(code) if code < 0x80 else chr(0xDC00 + code))
        elif e == "c" and i < n:
            out.append(chr(ord(text[i]) & 0x1F))
            i += 1
        else:
            out.append("\\" + e)
    raise at(text, start, "The $'...' quote that starts here is never closed")


def _tokenize_bash(text: str, warnings: list[str]) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in " \t\r\n":
            i += 1
            continue
        if c == "\\" and text[i + 1:i + 2] in ("\n", "\r"):
            i += 2
            continue
        if c == "#":  # a comment up to the end of the line
            while i < n and text[i] != "\n":
                i += 1
            continue
        if c in "|;&<>":
            rest = text[i:].strip().splitlines()[0] if text[i:].strip() else c
            warnings.append(f"Ignored what follows the curl command: {rest[:60]!r}.")
            break
        start = i
        buf: list[str] = []
        while i < n:
            c = text[i]
            if c in " \t\r\n|;&<>":
                break
            if c == "\\":
                if i + 1 >= n:
                    i += 1
                    break
                nxt = text[i + 1]
                if nxt == "\r" and text[i + 2:i + 3] == "\n":
                    i += 3
                elif nxt == "\n":
                    i += 2
                else:
                    buf.append(nxt)
                    i += 2
            elif c == "'":
                end = text.find("'", i + 1)
                if end < 0:
                    raise at(text, i, "The single quote that starts here is never closed")
                buf.append(text[i + 1:end])
                i = end + 1
            elif c == "$" and text[i + 1:i + 2] == "'":
                value, i = _ansi_c(text, i + 2, i)
                buf.append(value)
            elif c == '"' or (c == "$" and text[i + 1:i + 2] == '"'):
                qstart = i
                i += 1 if c == '"' else 2
                while True:
                    if i >= n:
                        raise at(text, qstart, "The double quote that starts here is never closed")
                    d = text[i]
                    if d == '"':
                        i += 1
                        break
                    if d == "\\" and i + 1 < n and text[i + 1] in '$`"\\\n':
                        if text[i + 1] != "\n":
                            buf.append(text[i + 1])
                        i += 2
                    else:
                        buf.append(d)
                        i += 1
            else:
                buf.append(c)
                i += 1
        tokens.append(_Token("".join(buf), start))
    return tokens


def _cmd_unescape(text: str) -> tuple[str, list[int]]:
    """cmd.exe's pass: ^ escapes the next character outside "quotes"; ^<newline> continues the line.

    Returns the command line as the program receives it, and for each character its offset in ``text``.
    """
    out: list[str] = []
    offs: list[int] = []
    in_quote = False
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\r" and text[i + 1:i + 2] == "\n":
            i += 1
            continue
        if c == '"':
            in_quote = not in_quote
        elif c == "^" and not in_quote:
            if i + 1 >= n:
                i += 1
                continue
            nxt = text[i + 1]
            if nxt == "\r" and text[i + 2:i + 3] == "\n":
                i += 1
                nxt = "\n"
            if nxt == "\n":
                i += 2
                if i < n and text[i] in "\r\n":  # "^" + newline + newline = a literal newline
                    if text[i] == "\r" and text[i + 1:i + 2] == "\n":
                        i += 1
                    out.append("\n")
                    offs.append(i)
                    i += 1
                continue
            out.append(nxt)
            offs.append(i + 1)
            i += 2
            continue
        elif c == "\n" and not in_quote:
            out.append(" ")
            offs.append(i)
            i += 1
            continue
        out.append(c)
        offs.append(i)
        i += 1
    return "".join(out), offs


def _tokenize_cmd(text: str, warnings: list[str]) -> list[_Token]:
    """cmd.exe's pass, then the MS C runtime's argument rules (quotes, backslashes before quotes, "")."""
    line, offs = _cmd_unescape(text)
    tokens: list[_Token] = []
    i, n = 0, len(line)
    while i < n:
        if line[i] in " \t\n":
            i += 1
            continue
        start = i
        buf: list[str] = []
        in_quote = False
        quote_start = i
        while i < n:
            c = line[i]
            if c in " \t" and not in_quote:
                break
            if c == "\\":
                j = i
                while j < n and line[j] == "\\":
                    j += 1
                count = j - i
                if j < n and line[j] == '"':
                    buf.append("\\" * (count // 2))
                    if count % 2:
                        buf.append('"')
                        i = j + 1
                    else:
                        i = j
                else:
                    buf.append("\\" * count)
                    i = j
                continue
            if c == '"':
                if in_quote and i + 1 < n and line[i + 1] == '"':
                    buf.append('"')
                    i += 2
                    continue
                in_quote = not in_quote
                if in_quote:
                    quote_start = i
                i += 1
                continue
            buf.append(c)
            i += 1
        if in_quote:
            raise at(text, offs[quote_start] if quote_start < len(offs) else len(text),
                     "The double quote that starts here is never closed")
        tokens.append(_Token("".join(buf), offs[start] if start < len(offs) else len(text)))
    return tokens


def _is_cmd_flavour(text: str) -> bool:
    # ^<newline> continuations, ^" quotes (Chrome), or "" inside a quoted word (older Chrome/Firefox for Windows)
    if re.search(r"(?<!\^)\\\r?\n", text):  # bash's backslash line continuation: never cmd
        return False
    return bool(re.search(r"\^\r?\n", text) or '^"' in text or re.search(r'[^\s\\]""[^\s]', text))


# ---------------------------------------------------------------- options

# option -> canonical long name, for options that take a value
_VALUE_OPTS = {
    "-H": "header", "--header": "header", "-X": "request", "--request": "request",
    "-d": "data", "--data": "data", "--data-ascii": "data", "--data-raw": "data-raw",
    "--data-binary": "data-binary", "--data-urlencode": "data-urlencode", "--json": "json",
    "-u": "user", "--user": "user", "-b": "cookie", "--cookie": "cookie", "-F": "form", "--form": "form",
    "--form-string": "form-string", "--url": "url", "-A": "user-agent", "--user-agent": "user-agent",
    "-e": "referer", "--referer": "referer", "-T": "upload-file", "--upload-file": "upload-file",
    "-r": "range", "--range": "range", "--oauth2-bearer": "oauth2-bearer", "-x": "proxy", "--proxy": "proxy",
    "-K": "config", "--config": "config",
    # read and ignored
    "-o": "", "--output": "", "-m": "", "--max-time": "", "--connect-timeout": "", "--retry": "",
    "--retry-delay": "", "--retry-max-time": "", "--cacert": "", "--capath": "", "--cert": "", "-E": "",
    "--key": "", "--cert-type": "", "--key-type": "", "--resolve": "", "--connect-to": "", "-w": "",
    "--write-out": "", "-c": "", "--cookie-jar": "", "--limit-rate": "", "--max-redirs": "", "--interface": "",
    "-U": "", "--proxy-user": "", "--max-filesize": "", "--trace": "", "--trace-ascii": "", "-D": "",
    "--dump-header": "", "--output-dir": "", "-Y": "", "--speed-limit": "", "-y": "", "--speed-time": "",
    "--dns-servers": "", "--pinnedpubkey": "", "--ciphers": "", "--tls-max": "", "--expect100-timeout": "",
    "--unix-socket": "", "--abstract-unix-socket": "", "--noproxy": "", "--preproxy": "", "--stderr": "",
    "--variable": "", "--url-query": "url-query", "--aws-sigv4": "", "--proto": "", "--proto-redir": "",
    "-z": "", "--time-cond": "", "--keepalive-time": "", "-Q": "", "--quote": "", "--netrc-file": "",
}
_BOOL_OPTS = {
    "-k": "insecure", "--insecure": "insecure", "-L": "location", "--location": "location",
    "--location-trusted": "location", "-I": "head", "--head": "head", "-G": "get", "--get": "get",
    "--compressed": "compressed", "--http2": "http2", "--http1.1": "", "--http1.0": "", "-0": "",
    "--http2-prior-knowledge": "http2", "--http3": "", "--http3-only": "",
    "-s": "", "--silent": "", "-S": "", "--show-error": "", "-v": "", "--verbose": "", "-i": "", "--include": "",
    "-f": "", "--fail": "", "--fail-with-body": "", "-N": "", "--no-buffer": "", "-g": "", "--globoff": "",
    "-#": "", "--progress-bar": "", "-4": "", "-6": "", "-j": "", "--junk-session-cookies": "",
    "-O": "", "--remote-name": "", "-J": "", "--remote-header-name": "", "--ssl-no-revoke": "", "--path-as-is": "",
    "--raw": "", "-q": "", "--disable": "", "--no-progress-meter": "", "--tr-encoding": "", "--tcp-nodelay": "",
    "--no-keepalive": "", "--no-sessionid": "", "--ssl": "", "--ssl-reqd": "", "--no-alpn": "", "--no-npn": "",
    "-n": "", "--netrc": "", "--netrc-optional": "", "-Z": "", "--parallel": "", "--basic": "", "--digest": "",
    "--ntlm": "", "--negotiate": "", "--anyauth": "", "-l": "", "--list-only": "", "-R": "", "--remote-time": "",
    "--create-dirs": "", "--styled-output": "", "--no-styled-output": "", "-:": "", "--next": "",
}
_SHORT_VALUE = {k[1] for k in _VALUE_OPTS if len(k) == 2}
_SHORT_BOOL = {k[1] for k in _BOOL_OPTS if len(k) == 2}


@dataclass
class _State:
    url: str | None = None
    method: str | None = None
    headers: list[tuple[str, str]] | None = None
    data: list[bytes] | None = None
    form: list[bytes] | None = None
    cookies: list[str] | None = None
    user: str | None = None
    user_agent: str | None = None
    referer: str | None = None
    get: bool = False
    head: bool = False
    upload: bool = False
    insecure: bool = False
    location: bool = False
    compressed: bool = False
    json: bool = False
    url_query: list[str] | None = None
    removed: set[str] | None = None  # lower-case names given as "Name:" (curl: do not send my default)


def _file_content(path: str, what: str, read_file: ReadFile | None, warnings: list[str]) -> bytes:
    if read_file is not None:
        try:
            return read_file(path)
        except Exception as exc:  # the caller's reader: any failure becomes a warning, never a crash
            warnings.append(f"Could not read the file {path!r} named by {what}: {exc}. A placeholder is used instead.")
    else:
        warnings.append(f"{what} reads the file {path!r}; its content is not included (a placeholder is used).")
    return f"<content of {path}>".encode("utf-8")


def _urlencode_arg(arg: str, read_file: ReadFile | None, warnings: list[str]) -> bytes:
    """curl's --data-urlencode forms: content, =content, name=content, @file, name@file."""
    def enc(b: bytes) -> str:
        return quote(b, safe="-._~*")

    m = re.match(r"^([^=@]*)([=@])(.*)$", arg, re.S)
    if not m:
        return enc(_to_bytes(arg)).encode()
    name, sep, rest = m.groups()
    if sep == "@":
        content = _file_content(rest, "--data-urlencode", read_file, warnings)
    else:
        content = _to_bytes(rest)
    return ((name + "=") if name else "").encode("utf-8") + enc(content).encode()


def _form_part(arg: str, literal: bool, read_file: ReadFile | None, warnings: list[str]) -> bytes:
    name, eq, value = arg.partition("=")
    if not eq:
        warnings.append(f"Ignored -F {arg!r}: a form field needs name=value.")
        return b""
    disposition = f'Content-Disposition: form-data; name="{_to_text(name)}"'
    extra = ""
    if not literal and value[:1] in ("@", "<"):
        path, *params = value[1:].split(";")
        ctype = None
        filename = path.replace("\\", "/").rsplit("/", 1)[-1]
        for p in params:
            k, _, v = p.partition("=")
            if k.strip() == "type":
                ctype = v.strip()
            elif k.strip() == "filename":
                filename = v.strip().strip('"')
        content = _file_content(path, f"-F {name}=", read_file, warnings)
        if value[0] == "@":
            disposition += f'; filename="{_to_text(filename)}"'
            extra = f"\r\nContent-Type: {ctype or 'application/octet-stream'}"
        elif ctype:
            extra = f"\r\nContent-Type: {ctype}"
    else:
        content = _to_bytes(value)
    return (f"--{MULTIPART_BOUNDARY}\r\n{disposition}{extra}\r\n\r\n").encode("utf-8") + content + b"\r\n"


def _apply(opt: str, value: str, st: _State, warnings: list[str], read_file: ReadFile | None) -> None:
    assert st.headers is not None and st.data is not None and st.form is not None and st.cookies is not None
    if opt == "header":
        if value.startswith("@"):
            warnings.append(f"-H {value} reads headers from a file; they are not included.")
            return
        name, colon, hval = value.partition(":")
        if not colon:
            if value.endswith(";") and value[:-1].strip():
                st.headers.append((_to_text(value[:-1].strip()), ""))
            else:
                warnings.append(f"Ignored the header {value!r}: it has no colon.")
            return
        name = _to_text(name.strip())
        hval = _to_text(hval.strip())
        if not name:
            warnings.append(f"Ignored the header {value!r}: it has no name.")
        elif not hval:
            assert st.removed is not None
            st.removed.add(name.lower())
        else:
            st.headers.append((name, hval))
    elif opt == "request":
        st.method = _to_text(value)
    elif opt in ("data", "data-binary"):
        if value.startswith("@"):
            content = _file_content(value[1:], f"--{opt} @", read_file, warnings)
            if opt == "data":
                content = content.replace(b"\r", b"").replace(b"\n", b"")
            st.data.append(content)
        else:
            st.data.append(_to_bytes(value))
    elif opt == "data-raw":
        st.data.append(_to_bytes(value))
    elif opt == "json":
        st.json = True
        st.data.append(_file_content(value[1:], "--json @", read_file, warnings) if value.startswith("@")
                       else _to_bytes(value))
    elif opt == "data-urlencode":
        st.data.append(_urlencode_arg(value, read_file, warnings))
    elif opt in ("form", "form-string"):
        part = _form_part(value, opt == "form-string", read_file, warnings)
        if part:
            st.form.append(part)
    elif opt == "user":
        st.user = _to_text(value)
    elif opt == "cookie":
        if "=" in value:
            st.cookies.append(_to_text(value).strip().rstrip(";"))
        else:
            warnings.append(f"-b {value} reads cookies from a file; they are not included.")
    elif opt == "url":
        if st.url is None:
            st.url = _to_text(value)
        else:
            warnings.append(f"Only the first URL is used; ignored {_to_text(value)!r}.")
    elif opt == "user-agent":
        st.user_agent = _to_text(value)
    elif opt == "referer":
        st.referer = _to_text(value).removesuffix(";auto")
    elif opt == "upload-file":
        st.upload = True
        st.data.append(_file_content(value, "-T", read_file, warnings))
    elif opt == "range":
        st.headers.append(("Range", "bytes=" + _to_text(value)))
    elif opt == "oauth2-bearer":
        st.headers.append(("Authorization", "Bearer " + _to_text(value)))
    elif opt == "proxy":
        warnings.append(f"The command goes through the proxy {_to_text(value)!r}; the import sends directly.")
    elif opt == "config":
        warnings.append(f"-K {value} reads more options from a file; they are not included.")
    elif opt == "url-query":
        st.url_query = (st.url_query or []) + [_to_text(value)]


def _apply_bool(opt: str, st: _State) -> None:
    if opt == "insecure":
        st.insecure = True
    elif opt == "location":
        st.location = True
    elif opt == "head":
        st.head = True
    elif opt == "get":
        st.get = True
    elif opt == "compressed":
        st.compressed = True


def _has(headers: list[tuple[str, str]], name: str, removed: set[str] | None = None) -> bool:
    """True when the header is set, or was removed with "Name:" (then curl adds no default either)."""
    return any(k.lower() == name.lower() for k, _ in headers) or name.lower() in (removed or set())


@never_other_errors("curl command")
def parse_curl(text: str, read_file: ReadFile | None = None) -> CurlImport:
    """Read a curl command line (bash or Windows cmd flavour) into the request it would send."""
    if not isinstance(text, str):
        raise FormatError("A curl command must be text.")
    src = text.lstrip("\ufeff")
    warnings: list[str] = []
    if not src.strip():
        raise FormatError("The curl command is empty.")
    tokens = _tokenize_cmd(src, warnings) if _is_cmd_flavour(src) else _tokenize_bash(src, warnings)
    if tokens and tokens[0].text in ("$", ">", "%"):  # a pasted shell prompt
        tokens = tokens[1:]
    if not tokens:
        raise FormatError("The curl command is empty.")
    first = tokens[0]
    prog = _to_text(first.text).replace("\\", "/").rsplit("/", 1)[-1].lower()
    if prog not in ("curl", "curl.exe"):
        shown = _to_text(first.text)[:40]
        raise at(src, first.offset, f"This is not a curl command: it starts with {shown!r} instead of 'curl'")
    st = _State(headers=[], data=[], form=[], cookies=[], removed=set())
    unknown: list[str] = []
    i = 1
    while i < len(tokens):
        tok = tokens[i]
        t = tok.text
        i += 1

        def value_for(opt_shown: str) -> str:
            nonlocal i
            if i >= len(tokens):
                raise at(src, tok.offset, f"The option {opt_shown} needs a value after it")
            i += 1
            return tokens[i - 1].text

        if t.startswith("--") and len(t) > 2:
            if t in _VALUE_OPTS:
                v = value_for(t)
                if _VALUE_OPTS[t]:
                    _apply(_VALUE_OPTS[t], v, st, warnings, read_file)
            elif t in _BOOL_OPTS:
                _apply_bool(_BOOL_OPTS[t], st)
            elif t.startswith("--no-") and ("--" + t[5:]) in _BOOL_OPTS:
                pass
            else:
                unknown.append(_to_text(t))
        elif t.startswith("-") and len(t) > 1:
            j = 1
            while j < len(t):
                ch = t[j]
                if ch in _SHORT_VALUE:
                    opt = "-" + ch
                    v = t[j + 1:] if j + 1 < len(t) else value_for(opt)
                    if _VALUE_OPTS[opt]:
                        _apply(_VALUE_OPTS[opt], v, st, warnings, read_file)
                    break
                if ch in _SHORT_BOOL:
                    _apply_bool(_BOOL_OPTS["-" + ch], st)
                else:
                    unknown.append(_to_text("-" + ch))
                j += 1
        elif t == "--":
            continue
        else:
            _apply("url", t, st, warnings, read_file)
    return _build(st, src, unknown, warnings)


def _build(st: _State, src: str, unknown: list[str], warnings: list[str]) -> CurlImport:
    assert st.headers is not None and st.data is not None and st.form is not None and st.cookies is not None
    if not st.url:
        raise FormatError("The curl command has no URL.")
    url = st.url.strip()
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", url):
        url = "http://" + url
        warnings.append("The URL has no scheme; curl assumes http://, and so does the import.")
    headers = list(st.headers)
    rm = st.removed
    body: bytes | None = None
    if st.form:
        if st.data:
            warnings.append("The command mixes -F and -d; curl refuses that. Only the -F form fields are used.")
        body = b"".join(st.form) + f"--{MULTIPART_BOUNDARY}--\r\n".encode()
        if not _has(headers, "Content-Type", rm):
            headers.append(("Content-Type", f"multipart/form-data; boundary={MULTIPART_BOUNDARY}"))
    elif st.data:
        joined = b"&".join(st.data)
        if st.get:
            sep = "&" if "?" in url else "?"
            url = url + sep + joined.decode("utf-8", "replace")
        else:
            body = joined
            if st.json:
                if not _has(headers, "Content-Type", rm):
                    headers.append(("Content-Type", "application/json"))
                if not _has(headers, "Accept", rm):
                    headers.append(("Accept", "application/json"))
            elif not st.upload and not _has(headers, "Content-Type", rm):
                headers.append(("Content-Type", "application/x-www-form-urlencoded"))
    if st.url_query:
        url = url + ("&" if "?" in url else "?") + "&".join(st.url_query)
    if st.user is not None and not _has(headers, "Authorization", rm):
        user = st.user
        if ":" not in user:
            warnings.append("-u names no password; curl would ask for one. The import uses an empty password.")
            user += ":"
        headers.append(("Authorization", "Basic " + base64.b64encode(user.encode("utf-8")).decode("ascii")))
    if st.cookies and not _has(headers, "Cookie", rm):
        headers.append(("Cookie", "; ".join(st.cookies)))
    if st.user_agent is not None and not _has(headers, "User-Agent", rm):
        headers.append(("User-Agent", st.user_agent))
    if st.referer is not None and not _has(headers, "Referer", rm):
        headers.append(("Referer", st.referer))
    if st.compressed and not _has(headers, "Accept-Encoding", rm):
        headers.append(("Accept-Encoding", CURL_ACCEPT_ENCODING))
    if st.method:
        method = st.method
    elif st.head:
        method = "HEAD"
    elif st.upload:
        method = "PUT"
    elif body is not None:
        method = "POST"
    else:
        method = "GET"
    chunked = any(k.lower() == "transfer-encoding" and "chunked" in v.lower() for k, v in headers)
    req = HttpRequest(method=method, url=url, headers=tuple(headers), body=body, chunked=chunked)
    return CurlImport(request=req, unknown_flags=tuple(dict.fromkeys(unknown)), warnings=tuple(warnings),
                      insecure=st.insecure, follow_redirects=st.location, compressed=st.compressed)


# ---------------------------------------------------------------- export

_PLAIN = re.compile(r"^[A-Za-z0-9_@%+=:,./-]+$")


def bash_quote(s: str) -> str:
    """Quote ``s`` for bash: bare when safe, '...' for plain text, $'...' when it holds quotes/controls/raw bytes."""
    if s and _PLAIN.match(s):
        return s
    if not any(c == "'" or ord(c) < 0x20 or ord(c) == 0x7F or 0xD800 <= ord(c) <= 0xDFFF for c in s):
        return "'" + s + "'"
    out = []
    for c in s:
        o = ord(c)
        if c == "\\":
            out.append("\\\\")
        elif c == "'":
            out.append("\\'")
        elif c == "\n":
            out.append("\\n")
        elif c == "\r":
            out.append("\\r")
        elif c == "\t":
            out.append("\\t")
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\x{o:02x}")
        elif 0xDC80 <= o <= 0xDCFF:
            out.append(f"\\x{o - 0xDC00:02x}")
        elif 0xD800 <= o <= 0xDFFF:
            out.append("\\uFFFD")
        else:
            out.append(c)
    return "$'" + "".join(out) + "'"


def to_curl(request: HttpRequest, redact: bool = True) -> str:
    """A bash curl command that sends ``request`` (secrets hidden unless ``redact=False``)."""
    if redact:
        request = redact_request(request)[0]
    first = ["curl"]
    body = request.body
    default = "POST" if body is not None else "GET"
    if request.method == "HEAD" and body is None:
        first.append("-I")
    elif request.method != default:
        first += ["-X", bash_quote(request.method)]
    first.append(bash_quote(request.url))
    lines = [" ".join(first)]
    for name, value in request.headers:
        lines.append("-H " + bash_quote(f"{name}: {value}" if value else f"{name};"))
    if body is not None and request.header("Content-Type") is None:
        lines.append("-H " + bash_quote("Content-Type:"))  # curl would otherwise add its form Content-Type
    if body is not None:
        text = body.decode("utf-8", "surrogateescape")
        flag = "--data-raw" if text.startswith("@") else "--data-binary"
        lines.append(f"{flag} {bash_quote(text)}")
    return " \\\n  ".join(lines)
