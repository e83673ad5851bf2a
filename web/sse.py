"""Server-Sent Events over the feed hub, reusable by any page (``text/event-stream``).

    @router.get("/stream")
    async def stream(request: Request) -> StreamingResponse:
        return sse_response(request, hub(request), lambda batch: [Message(data={...}, id=batch.last_id)])

Every message that follows a batch carries the batch's last event id (``id:``), so a
browser that reconnects sends ``Last-Event-ID`` and the hub replays what it missed.
A comment line at every tick of the hub (``FeedHub.keepalive_s``) keeps proxies from closing an idle stream and
lets the server notice a phone that went away.
"""
from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import StreamingResponse

from web.hub import Batch, FeedHub

RETRY_MS = 3000
HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no", "Connection": "keep-alive"}


@dataclass(frozen=True)
class Message:
    data: Any
    event: str | None = None
    id: int | None = None

    def encode(self) -> bytes:
        body = self.data if isinstance(self.data, str) else json.dumps(self.data, ensure_ascii=False,
                                                                        separators=(",", ":"))
        lines = []
        if self.id is not None:
            lines.append(f"id: {self.id}")
        if self.event:
            lines.append(f"event: {self.event}")
        lines.extend(f"data: {part}" for part in body.split("\n"))
        return ("\n".join(lines) + "\n\n").encode()


def last_event_id(request: Request) -> int | None:
    """The id the browser saw last: the ``Last-Event-ID`` header, else ``?last_event_id=``; None when absent."""
    raw = request.headers.get("last-event-id") or request.query_params.get("last_event_id")
    if raw is None or not raw.strip().isdigit() or len(raw.strip()) > 18:
        return None
    return int(raw.strip())


Render = Callable[[Batch], Iterable[Message]]


def sse_response(request: Request, hub: FeedHub, render: Render, *, initial: Iterable[Message] = (),
                 after_id: int | None = None, wants: Callable[[Batch], bool] | None = None) -> StreamingResponse:
    """A streaming response: ``initial`` messages, then ``render(batch)`` for each batch the hub publishes.

    The events after ``after_id`` (default: the browser's ``Last-Event-ID``) come first, as one batch.
    ``wants``: which batches concern this stream (see ``Subscription.wants``).
    """
    sub = hub.subscribe(after_id if after_id is not None else last_event_id(request), wants=wants)

    async def stream() -> AsyncIterator[bytes]:
        try:
            yield f"retry: {RETRY_MS}\n\n".encode()
            for message in initial:
                yield message.encode()
            if sub.catch_up:
                for message in render(Batch(sub.catch_up)):
                    yield message.encode()
            while (batch := await sub.get()) is not None:
                if batch.keepalive:
                    if await request.is_disconnected():
                        return
                    yield b": keep-alive\n\n"
                    continue
                for message in render(batch):
                    yield message.encode()
        finally:
            hub.unsubscribe(sub)

    return StreamingResponse(stream(), media_type="text/event-stream", headers=HEADERS)
