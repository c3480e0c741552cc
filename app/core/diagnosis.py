"""One truth, three faces: the diagnosis of an exchange, shared by the GUI, the CLI and the importers.

CONTRACT:
    @dataclass(frozen=True) class Diagnosis:
        exchange: Exchange
        documented: DocumentedStatus | None       # None when no response arrived
        message: ApiMessage | None                # the body's Message/Description (or problem title/detail)
        findings: tuple[Finding, ...]
        retry_after: RetryAfter | None
        rate_limit: RateLimitInfo | None
        def to_json(self) -> dict                 # the `diagnose --json` object (issue 2)
    def diagnose(exchange: Exchange, catalog: StatusCatalog, now: float, *,
                 typed_request: HttpRequest | None = None, received_at: float | None = None) -> Diagnosis
        # typed_request: what the user typed (request findings are about it; e.g. a wrong Content-Length the
        #   transport had to correct); defaults to exchange.request.
        # received_at: when the response arrived (Retry-After counts from it); defaults to the response's Date
        #   header for an imported exchange (exchange.started_at is None), else `now`.
"""
