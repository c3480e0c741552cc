"""Sending one request with httpx (owner: transport helper).

CONTRACT:
    @dataclass(frozen=True) class SendOptions:
        timeout: float = 30.0            # httpx per-phase timeouts
        deadline: float | None = None    # overall wall-clock limit for the whole exchange (defaults to 2 * timeout + 30)
        follow_redirects: bool = False
        verify: bool = True
        http2: bool = False
        memory_body_limit: int = 4 MiB   # bigger bodies spill to a temp file (response.body_path), body = preview
        max_body_bytes: int = 1 GiB      # wire bytes cap -> TransportError kind "too-large"
        max_decoded_bytes: int = 1 GiB   # decoding cap -> TransportError kind "decompression-bomb"
    Progress = Callable[[int, int | None], None]   # (wire bytes so far, expected total or None)
    class Transport:
        def __init__(self, temp_dir: str | None = None)      # builds AsyncClients lazily, reused (no keep-alive)
        async def send(self, request: HttpRequest, options: SendOptions = SendOptions(),
                       progress: Progress | None = None) -> Exchange
            # never raises for network trouble: Exchange.error is a TransportError with a plain sentence.
            # asyncio.CancelledError propagates (the caller cancelled).
            # Exchange.request = the request as actually sent (every header on the wire, incl. those httpx added).
            # A typed Content-Length that cannot be sent -> real length sent, Exchange.notes says so.
        async def aclose(self) -> None
"""
