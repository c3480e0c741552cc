"""curl command import (bash and Windows cmd flavours, as browsers' "Copy as cURL" write them) and export.

Parsing never runs anything: it splits the command into words the way the shell would (lex_bash.py, lex_cmd.py),
reads curl's options through a table of one handler per option (options.py) and builds the request curl would
send (build.py); parse.py ties these together. Files named with ``@file`` are not read unless the caller passes
``read_file`` (a callable path -> bytes); without it the body gets a placeholder and a warning says so.
export.py writes a request back as a bash curl command.
"""

from app.core.formats.curl.build import CURL_ACCEPT_ENCODING, CurlImport
from app.core.formats.curl.export import bash_quote, to_curl
from app.core.formats.curl.options import MULTIPART_BOUNDARY, ReadFile
from app.core.formats.curl.parse import parse_curl, parse_curl_commands

__all__ = [
    "CURL_ACCEPT_ENCODING",
    "MULTIPART_BOUNDARY",
    "CurlImport",
    "ReadFile",
    "bash_quote",
    "parse_curl",
    "parse_curl_commands",
    "to_curl",
]
