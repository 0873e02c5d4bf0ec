"""What the runtime hands a feature's hooks: the network's store, plugins, configuration, clock
and connectors, and the services a feature keeps for as long as the runtime runs."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Coroutine, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from uccn_sdk.chat.connector import Connector
    from uccn_sdk.config import NetworkConfig
    from uccn_sdk.plugins import Plugins
    from uccn_sdk.store import Store

T = TypeVar("T")

log = logging.getLogger("uccn.runtime")


def utc_now() -> datetime:
    return datetime.now(UTC)


class Runtime:
    """The running network, as `uccn_handle_event`, `uccn_tick` and `uccn_runtime_started` see
    it.

    A feature keeps one instance of a service (an index built once, say) with :meth:`keep`:

    ```python
    class Calls:
        @classmethod
        def of(cls, runtime: Runtime) -> Calls:
            return runtime.keep(cls, lambda: cls(runtime.store, runtime.plugins, runtime.config))
    ```
    """

    def __init__(
        self,
        store: Store,
        plugins: Plugins,
        config: NetworkConfig,
        clock: Callable[[], datetime] = utc_now,
        connectors: Sequence[Connector] = (),
    ) -> None:
        self.store, self.plugins, self.config, self.clock = store, plugins, config, clock
        self.connectors = tuple(connectors)
        self._kept: dict[object, Any] = {}
        self._keeping = threading.RLock()  # the scheduler's threads ask too
        self._beside: set[asyncio.Task[Any]] = set()

    def keep(self, key: type[T], make: Callable[[], T]) -> T:
        """The one `key` this runtime keeps, made by `make` the first time it is asked for."""
        with self._keeping:
            if key not in self._kept:
                self._kept[key] = make()
            kept: T = self._kept[key]
            return kept

    def beside(self, work: Coroutine[Any, Any, object]) -> None:
        """Run `work` on the runtime's loop beside the events (warming an index, say); the
        runtime waits for it before it stops, and logs what it raises."""
        task = asyncio.get_running_loop().create_task(work)
        self._beside.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._beside.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            log.error("work beside the events failed", exc_info=error)

    async def finish_beside(self) -> None:
        """Wait for the work started with :meth:`beside`."""
        while self._beside:
            await asyncio.gather(*self._beside, return_exceptions=True)
