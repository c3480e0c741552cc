"""OpenAPI 3.0 / 3.1 documents as a source of explanations and checks.

Most APIs publish an OpenAPI document rather than a markdown error page, and it says more: which statuses each
operation answers, what they mean for that operation, which request media types it takes, what an error body looks
like. These modules are pure (the caller reads files and hands over bytes or a ``read_file`` callable):

    load.py       bytes (JSON or YAML) -> Document: ``$ref`` within the file and to local files, cycles safe
    operations.py Document -> Operations (broken ones skipped and listed)
    match.py      (method, URL) -> the operation, through server URLs and the most specific path template
    explain.py    status -> the operation's documented response (code, then range ``4XX``, then ``default``)
    checks.py     findings the document makes possible (content types, parameters, response schemas)
    catalog.py    OpenApiCatalog: the same face as the markdown StatusCatalog, plus ``explain`` per exchange
    to_http.py    operations -> .http files (import)
"""
