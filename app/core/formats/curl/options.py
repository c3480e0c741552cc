"""Reads curl's options from the words of a command: an option table, one small handler per option.

Every option curl knows that takes a value is listed, so its value is never taken for the URL; the ones that do
not change the request (output files, timeouts, TLS files...) are read and ignored. Options the importer does not
know are collected for the caller to report. ``-abc`` short clusters and ``-Hvalue`` attached values work as in curl.
Files named with ``@file`` are read only through the caller's ``read_file``; otherwise a placeholder and a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from app.core.formats.curl.tokens import Token, to_bytes, to_text
from app.core.formats.errors import at

MULTIPART_BOUNDARY = "------------------------RequestInspectorBoundary7MA4YWxk"

ReadFile = Callable[[str], bytes]


@dataclass
class ParsedOptions:
    """What the options said, before the request is built (see build.py)."""

    read_file: ReadFile | None = None
    warnings: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # options the importer does not know, as typed
    url: str | None = None
    method: str | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    removed: set[str] = field(default_factory=set)  # lower-case names given as "Name:" (curl: do not send my default)
    data: list[bytes] = field(default_factory=list)
    form: list[bytes] = field(default_factory=list)
    cookies: list[str] = field(default_factory=list)
    url_query: list[str] | None = None
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
    stdin: bytes | None = None  # what a here-document hands the command ("@-" reads it)
    stdin_file: str | None = None  # "< file": stdin comes from this file

    def file_content(self, path: str, what: str) -> bytes:
        """The content of ``path`` through the caller's reader, else a placeholder (with a warning either way).

        ``-`` is stdin: the command's here-document when it has one, else the file it is redirected from.
        """
        if path == "-" and self.stdin is not None:
            return self.stdin
        if path == "-" and self.stdin_file is None:
            self.warnings.append(f"{what} reads standard input, which the text does not include (a placeholder is "
                                 f"used).")
            return b"<content of standard input>"
        if path == "-":
            path = to_text(self.stdin_file or "")
        if self.read_file is not None:
            try:
                return self.read_file(path)
            except Exception as exc:  # the caller's reader: any failure becomes a warning, never a crash
                self.warnings.append(
                    f"Could not read the file {path!r} named by {what}: {exc}. A placeholder is used instead.")
        else:
            self.warnings.append(
                f"{what} reads the file {path!r}; its content is not included (a placeholder is used).")
        return f"<content of {path}>".encode("utf-8")


# ---------------------------------------------------------------- value helpers


def _urlencode_arg(st: ParsedOptions, arg: str) -> bytes:
    """curl's --data-urlencode forms: content, =content, name=content, @file, name@file."""
    def enc(b: bytes) -> str:
        return quote(b, safe="-._~*")

    m = re.match(r"^([^=@]*)([=@])(.*)$", arg, re.S)
    if not m:
        return enc(to_bytes(arg)).encode()
    name, sep, rest = m.groups()
    content = st.file_content(rest, "--data-urlencode") if sep == "@" else to_bytes(rest)
    return ((name + "=") if name else "").encode("utf-8") + enc(content).encode()


def _form_part(st: ParsedOptions, arg: str, literal: bool) -> bytes:
    """One multipart part for -F/--form-string ``name=value`` (``@file``/``<file`` with ;type= and ;filename=)."""
    name, eq, value = arg.partition("=")
    if not eq:
        st.warnings.append(f"Ignored -F {arg!r}: a form field needs name=value.")
        return b""
    disposition = f'Content-Disposition: form-data; name="{to_text(name)}"'
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
        content = st.file_content(path, f"-F {name}=")
        if value[0] == "@":
            disposition += f'; filename="{to_text(filename)}"'
            extra = f"\r\nContent-Type: {ctype or 'application/octet-stream'}"
        elif ctype:
            extra = f"\r\nContent-Type: {ctype}"
    else:
        content = to_bytes(value)
    return (f"--{MULTIPART_BOUNDARY}\r\n{disposition}{extra}\r\n\r\n").encode("utf-8") + content + b"\r\n"


# ---------------------------------------------------------------- one handler per option


def _header(st: ParsedOptions, value: str) -> None:
    if value.startswith("@"):
        st.warnings.append(f"-H {value} reads headers from a file; they are not included.")
        return
    name, colon, hval = value.partition(":")
    if not colon:
        if value.endswith(";") and value[:-1].strip():
            st.headers.append((to_text(value[:-1].strip()), ""))  # "Name;" sends an empty header
        else:
            st.warnings.append(f"Ignored the header {value!r}: it has no colon.")
        return
    name, hval = to_text(name.strip()), to_text(hval.strip())
    if not name:
        st.warnings.append(f"Ignored the header {value!r}: it has no name.")
    elif not hval:
        st.removed.add(name.lower())
    else:
        st.headers.append((name, hval))


def _data(st: ParsedOptions, value: str) -> None:
    """-d: @file has its line breaks removed, as curl does."""
    if value.startswith("@"):
        st.data.append(st.file_content(value[1:], "--data @").replace(b"\r", b"").replace(b"\n", b""))
    else:
        st.data.append(to_bytes(value))


def _data_binary(st: ParsedOptions, value: str) -> None:
    st.data.append(st.file_content(value[1:], "--data-binary @") if value.startswith("@") else to_bytes(value))


def _data_raw(st: ParsedOptions, value: str) -> None:
    st.data.append(to_bytes(value))


def _json(st: ParsedOptions, value: str) -> None:
    st.json = True
    st.data.append(st.file_content(value[1:], "--json @") if value.startswith("@") else to_bytes(value))


def _data_urlencode(st: ParsedOptions, value: str) -> None:
    st.data.append(_urlencode_arg(st, value))


def _form(st: ParsedOptions, value: str, *, literal: bool = False) -> None:
    part = _form_part(st, value, literal)
    if part:
        st.form.append(part)


def _cookie(st: ParsedOptions, value: str) -> None:
    if "=" in value:
        st.cookies.append(to_text(value).strip().rstrip(";"))
    else:
        st.warnings.append(f"-b {value} reads cookies from a file; they are not included.")


def url(st: ParsedOptions, value: str) -> None:
    """--url, or a word that is no option: the first one is the URL."""
    if st.url is None:
        st.url = to_text(value)
    else:
        st.warnings.append(f"Only the first URL is used; ignored {to_text(value)!r}.")


def _upload_file(st: ParsedOptions, value: str) -> None:
    st.upload = True
    st.data.append(st.file_content(value, "-T"))


def _set(attribute: str, convert: Callable[[str], str] = to_text) -> Callable[[ParsedOptions, str], None]:
    def handler(st: ParsedOptions, value: str) -> None:
        setattr(st, attribute, convert(value))
    return handler


def _add_header(name: str, prefix: str) -> Callable[[ParsedOptions, str], None]:
    def handler(st: ParsedOptions, value: str) -> None:
        st.headers.append((name, prefix + to_text(value)))
    return handler


def _warn(template: str, convert: Callable[[str], str] = str) -> Callable[[ParsedOptions, str], None]:
    def handler(st: ParsedOptions, value: str) -> None:
        st.warnings.append(template.format(convert(value)))
    return handler


def _url_query(st: ParsedOptions, value: str) -> None:
    st.url_query = (st.url_query or []) + [to_text(value)]


def _flag(attribute: str) -> Callable[[ParsedOptions], None]:
    def handler(st: ParsedOptions) -> None:
        setattr(st, attribute, True)
    return handler


ValueHandler = Callable[[ParsedOptions, str], None]
FlagHandler = Callable[[ParsedOptions], None]

# curl's name for each option that takes a value -> what it does to the request (None: read and ignored)
VALUE_HANDLERS: dict[str, ValueHandler | None] = {
    "header": _header,
    "request": _set("method"),
    "data": _data,
    "data-raw": _data_raw,
    "data-binary": _data_binary,
    "data-urlencode": _data_urlencode,
    "json": _json,
    "form": _form,
    "form-string": lambda st, value: _form(st, value, literal=True),
    "user": _set("user"),
    "cookie": _cookie,
    "url": url,
    "user-agent": _set("user_agent"),
    "referer": _set("referer", lambda value: to_text(value).removesuffix(";auto")),
    "upload-file": _upload_file,
    "range": _add_header("Range", "bytes="),
    "oauth2-bearer": _add_header("Authorization", "Bearer "),
    "proxy": _warn("The command goes through the proxy {!r}; the import sends directly.", to_text),
    "config": _warn("-K {} reads more options from a file; they are not included."),
    "url-query": _url_query,
    "ignored": None,
}
FLAG_HANDLERS: dict[str, FlagHandler | None] = {
    "insecure": _flag("insecure"),
    "location": _flag("location"),
    "head": _flag("head"),
    "get": _flag("get"),
    "compressed": _flag("compressed"),
    "ignored": None,
}

# every spelling -> curl's name (a key of the handler tables above)
VALUE_OPTIONS = {
    "-H": "header", "--header": "header", "-X": "request", "--request": "request",
    "-d": "data", "--data": "data", "--data-ascii": "data", "--data-raw": "data-raw",
    "--data-binary": "data-binary", "--data-urlencode": "data-urlencode", "--json": "json",
    "-u": "user", "--user": "user", "-b": "cookie", "--cookie": "cookie", "-F": "form", "--form": "form",
    "--form-string": "form-string", "--url": "url", "-A": "user-agent", "--user-agent": "user-agent",
    "-e": "referer", "--referer": "referer", "-T": "upload-file", "--upload-file": "upload-file",
    "-r": "range", "--range": "range", "--oauth2-bearer": "oauth2-bearer", "-x": "proxy", "--proxy": "proxy",
    "-K": "config", "--config": "config", "--url-query": "url-query",
    **dict.fromkeys((
        "-o", "--output", "-m", "--max-time", "--connect-timeout", "--retry", "--retry-delay", "--retry-max-time",
        "--cacert", "--capath", "--cert", "-E", "--key", "--cert-type", "--key-type", "--resolve", "--connect-to",
        "-w", "--write-out", "-c", "--cookie-jar", "--limit-rate", "--max-redirs", "--interface", "-U",
        "--proxy-user", "--max-filesize", "--trace", "--trace-ascii", "-D", "--dump-header", "--output-dir", "-Y",
        "--speed-limit", "-y", "--speed-time", "--dns-servers", "--pinnedpubkey", "--ciphers", "--tls-max",
        "--expect100-timeout", "--unix-socket", "--abstract-unix-socket", "--noproxy", "--preproxy", "--stderr",
        "--variable", "--aws-sigv4", "--proto", "--proto-redir", "-z", "--time-cond", "--keepalive-time", "-Q",
        "--quote", "--netrc-file",
    ), "ignored"),
}
FLAG_OPTIONS = {
    "-k": "insecure", "--insecure": "insecure", "-L": "location", "--location": "location",
    "--location-trusted": "location", "-I": "head", "--head": "head", "-G": "get", "--get": "get",
    "--compressed": "compressed",
    **dict.fromkeys((
        "--http2", "--http2-prior-knowledge", "--http1.1", "--http1.0", "-0", "--http3", "--http3-only",
        "-s", "--silent", "-S", "--show-error", "-v", "--verbose", "-i", "--include", "-f", "--fail",
        "--fail-with-body", "-N", "--no-buffer", "-g", "--globoff", "-#", "--progress-bar", "-4", "-6", "-j",
        "--junk-session-cookies", "-O", "--remote-name", "-J", "--remote-header-name", "--ssl-no-revoke",
        "--path-as-is", "--raw", "-q", "--disable", "--no-progress-meter", "--tr-encoding", "--tcp-nodelay",
        "--no-keepalive", "--no-sessionid", "--ssl", "--ssl-reqd", "--no-alpn", "--no-npn", "-n", "--netrc",
        "--netrc-optional", "-Z", "--parallel", "--basic", "--digest", "--ntlm", "--negotiate", "--anyauth", "-l",
        "--list-only", "-R", "--remote-time", "--create-dirs", "--styled-output", "--no-styled-output", "-:",
        "--next",
    ), "ignored"),
}
_SHORT_VALUE = {k[1] for k in VALUE_OPTIONS if len(k) == 2}
_SHORT_FLAG = {k[1] for k in FLAG_OPTIONS if len(k) == 2}


def _on_value(st: ParsedOptions, option: str, value: str) -> None:
    handler = VALUE_HANDLERS[VALUE_OPTIONS[option]]
    if handler is not None:
        handler(st, value)


def _on_flag(st: ParsedOptions, option: str) -> None:
    handler = FLAG_HANDLERS[FLAG_OPTIONS[option]]
    if handler is not None:
        handler(st)


class _Words:
    """The command's words after "curl", read one by one; an option's value is the word after it."""

    def __init__(self, src: str, tokens: list[Token]) -> None:
        self.src, self.tokens, self.i = src, tokens, 0

    def next(self) -> Token | None:
        if self.i >= len(self.tokens):
            return None
        self.i += 1
        return self.tokens[self.i - 1]

    def value_for(self, option: Token, shown: str) -> str:
        value = self.next()
        if value is None:
            raise at(self.src, option.offset, f"The option {shown} needs a value after it")
        return value.text


def _long_option(st: ParsedOptions, words: _Words, tok: Token) -> None:
    t = tok.text
    if t in VALUE_OPTIONS:
        _on_value(st, t, words.value_for(tok, t))
    elif t in FLAG_OPTIONS:
        _on_flag(st, t)
    elif not (t.startswith("--no-") and ("--" + t[5:]) in FLAG_OPTIONS):  # --no-<flag> turns a flag off
        st.unknown.append(to_text(t))


def _short_options(st: ParsedOptions, words: _Words, tok: Token) -> None:
    """A cluster such as ``-sSL`` or ``-XPOST``: flags, then at most one option whose value is the rest."""
    t = tok.text
    for j in range(1, len(t)):
        ch = t[j]
        if ch in _SHORT_VALUE:
            option = "-" + ch
            _on_value(st, option, t[j + 1:] if j + 1 < len(t) else words.value_for(tok, option))
            return
        if ch in _SHORT_FLAG:
            _on_flag(st, "-" + ch)
        else:
            st.unknown.append(to_text("-" + ch))


def read_options(src: str, tokens: list[Token], read_file: ReadFile | None, warnings: list[str], *,
                 stdin: bytes | None = None, stdin_file: str | None = None) -> ParsedOptions:
    """Apply every option of ``tokens`` (the words after "curl"); warnings go to ``warnings``."""
    st = ParsedOptions(read_file=read_file, warnings=warnings, stdin=stdin, stdin_file=stdin_file)
    words = _Words(src, tokens)
    while (tok := words.next()) is not None:
        t = tok.text
        if t.startswith("--") and len(t) > 2:
            _long_option(st, words, tok)
        elif t.startswith("-") and len(t) > 1:
            _short_options(st, words, tok)
        elif t != "--":
            url(st, t)
    return st
