"""PostgreSQL LISTEN/NOTIFY for waiters: one dedicated connection per process listens on a few channels, and a
coroutine waits for a (channel, payload) to be notified, with a timeout.

Notifications are hints, never the truth: a waiter that wakes (or times out) reads the database again. When the
server goes away the listener reconnects with a backoff, and on every (re)connection it wakes every waiter, since
whatever was notified meanwhile is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator, Sequence

log = logging.getLogger("payments.listener")

RECONNECT_SECONDS = (0.2, 0.5, 1.0, 2.0)


class Signals:
    """Waiters on (channel, payload) in this process, woken when someone `fire`s it.

    Arm before looking, wait after: `with signals.armed(ch, p) as woken: <read the state>; await
    signals.wait(woken, timeout)` returns at once if (ch, p) was fired since it was armed, so a change that lands
    between the read and the wait is never missed."""

    def __init__(self) -> None:
        self._events: dict[tuple[str, str], asyncio.Event] = {}
        self._armed: dict[tuple[str, str], int] = {}

    def fire(self, channel: str, payload: str = "") -> None:
        """Wake the waiters of (channel, payload)."""
        event = self._events.pop((channel, payload), None)
        if event is not None:
            event.set()

    def fire_all(self) -> None:
        events, self._events = self._events, {}
        for event in events.values():
            event.set()

    @contextlib.contextmanager
    def armed(self, channel: str, payload: str = "") -> Iterator[asyncio.Event]:
        key = (channel, payload)
        event = self._events.get(key)
        if event is None:
            event = self._events[key] = asyncio.Event()
        self._armed[key] = self._armed.get(key, 0) + 1
        try:
            yield event
        finally:
            left = self._armed.pop(key) - 1
            if left:
                self._armed[key] = left
            elif self._events.get(key) is event:
                del self._events[key]  # nobody waits for it any more

    @staticmethod
    async def wait(event: asyncio.Event, timeout: float) -> bool:
        """True when `event` (from `armed`) was fired within `timeout` seconds (or before)."""
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            return False
        return True


class Listener(Signals):
    """Signals that other processes fire too, through PostgreSQL's NOTIFY on the channels listened to."""

    def __init__(self, conninfo: str, channels: Sequence[str]) -> None:
        super().__init__()
        self.conninfo = conninfo
        self.channels = list(dict.fromkeys(channels))
        self._task: asyncio.Task[None] | None = None
        self.connected = asyncio.Event()

    def add_channels(self, channels: Sequence[str]) -> None:
        """More channels, before `start` (a second user of the same listener names its own)."""
        if set(channels) <= set(self.channels):
            return
        assert self._task is None, "channels are listened to from the start"
        self.channels = list(dict.fromkeys([*self.channels, *channels]))

    async def start(self, timeout: float = 10.0) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="pg-listener")
        with contextlib.suppress(TimeoutError):  # a server that is down now: waiters fall back on their timeouts
            await asyncio.wait_for(self.connected.wait(), timeout)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        import psycopg

        attempt = 0
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(self.conninfo, autocommit=True) as conn:
                    for channel in self.channels:
                        await conn.execute(f"LISTEN {channel}")
                    attempt = 0
                    self.connected.set()
                    self.fire_all()
                    async for note in conn.notifies():
                        self.fire(note.channel, note.payload)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the server went away (or never came): try again, waiters use their timeouts
                self.connected.clear()
                delay = RECONNECT_SECONDS[min(attempt, len(RECONNECT_SECONDS) - 1)]
                if attempt == 0:
                    log.warning("listener lost its connection (%s); reconnecting", type(exc).__name__)
                attempt += 1
                await asyncio.sleep(delay)
