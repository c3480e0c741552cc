"""What the rest of the app may ask of a transport, without importing httpx.

``Transport`` is the one seam between the window (or the CLI) and the network: ``send`` an HttpRequest with
``SendOptions`` and get an Exchange back (failures live inside the Exchange as a TransportError, never raised),
``warm`` builds what the first send would otherwise build (client, TLS context) and ``aclose`` releases it.
app.net.transport.Transport is the real one; tests pass their own objects with the same three methods.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from app.core.models import Exchange, HttpRequest

MiB = 1024 * 1024
GiB = 1024 * MiB

# Called with (bytes received on the wire so far, the announced total or None).
Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class SendOptions:
    timeout: float = 30.0
    deadline: float | None = None
    follow_redirects: bool = False
    verify: bool = True
    http2: bool = False
    memory_body_limit: int = 4 * MiB
    max_body_bytes: int = 1 * GiB
    max_decoded_bytes: int = 1 * GiB

    @property
    def effective_deadline(self) -> float:
        return self.deadline if self.deadline is not None else 2 * self.timeout + 30


class Transport(Protocol):
    async def send(self, request: HttpRequest, options: SendOptions = ..., progress: Progress | None = None
                   ) -> Exchange: ...

    async def warm(self, options: SendOptions | None = None) -> None: ...

    async def aclose(self) -> None: ...
