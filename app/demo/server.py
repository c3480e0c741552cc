"""The practice server: behaves like the documented API, and misbehaves on request (owner: demo helper).

CONTRACT:
    class DemoServer:
        def __init__(self, host="127.0.0.1", port=0, *, rate_limit: int = 5, rate_window: float = 60.0,
                     catalog: StatusCatalog | None = None)
        async def start(self) -> str        # returns base URL "http://127.0.0.1:PORT"
        async def stop(self) -> None
        url: str
    class DemoServerThread:                 # the same server on its own thread + event loop (GUI, sync tests)
        def __init__(self, **kwargs)        # kwargs as DemoServer
        def start(self) -> str              # blocks until listening, returns base URL
        def stop(self) -> None
        url: str
    def serve_forever(host: str, port: int, on_ready: Callable[[str], None]) -> None   # used by `demo-server`
"""
