"""What a worker counts, in Prometheus' terms (prometheus-client), and what it reads from the
store when scraped: the backlogs, the replies per open call, the deliveries by state.

Each worker has its own registry and serves it on its own port (see `docs/deployment.md`):
counters are per process, and the store's figures are the same from any worker.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector

from uccn_sdk.chat.connector import Connector
from uccn_sdk.store import Store

log = logging.getLogger("uccn.metrics")

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Metrics:
    """One worker's metrics; :meth:`render` is what `/metrics` serves."""

    def __init__(self, store: Store, connectors: Mapping[str, Connector]) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        self.registry.register(StoreCollector(store))
        self.registry.register(WaitCollector(connectors))
        registry = self.registry
        self.events_received = Counter(
            "uccn_events_received",
            "Events from a platform kept in the inbox",
            ["platform"],
            registry=registry,
        )
        self.events_handled = Counter(
            "uccn_events_handled", "Events handled", ["platform"], registry=registry
        )
        self.events_failed = Counter(
            "uccn_events_failed",
            "Event handlings that failed (tried again)",
            ["platform"],
            registry=registry,
        )
        self.events_given_up = Counter(
            "uccn_events_given_up",
            "Events left in the inbox after the last attempt",
            ["platform"],
            registry=registry,
        )
        self.posts_sent = Counter(
            "uccn_posts_sent", "Posts sent", ["platform", "kind"], registry=registry
        )
        self.posts_retried = Counter(
            "uccn_posts_retried",
            "Sends of a post that may have been tried before",
            ["platform"],
            registry=registry,
        )
        self.posts_failed = Counter(
            "uccn_posts_failed",
            "Sends that failed (final: refused for good)",
            ["platform", "final"],
            registry=registry,
        )
        self.send_seconds = Histogram(
            "uccn_send_seconds",
            "How long a send took, rate-limit waits included",
            ["platform"],
            registry=registry,
            buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
        )
        self.connector_up = Gauge(
            "uccn_connector_up",
            "1 while the connector is connected",
            ["platform"],
            registry=registry,
        )
        self.scheduler_lag = Histogram(
            "uccn_scheduler_lag_seconds",
            "How late a scheduled job started after the moment it was due",
            ["job"],
            registry=registry,
            buckets=(0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 15, 60, 300, 3600),
        )
        self.scheduler_leader = Gauge(
            "uccn_scheduler_leader", "1 while this worker leads the scheduler", registry=registry
        )
        self.workers_alive = Gauge(
            "uccn_workers_alive",
            "Worker processes running (served by the first worker, which watches the others)",
            registry=registry,
        )
        self.worker_restarts = Gauge(
            "uccn_worker_restarts",
            "Workers started again after they died, since the first worker started",
            registry=registry,
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)


class WaitCollector(Collector):
    """The time each connector spent waiting on its platform's rate limits, read when
    scraped (each connector adds up its own waits)."""

    def __init__(self, connectors: Mapping[str, Connector]) -> None:
        self.connectors = connectors

    def collect(self) -> Iterator[Metric]:
        waited = CounterMetricFamily(
            "uccn_rate_limit_wait_seconds",
            "Seconds spent waiting on a platform's rate limits (pacing and Retry-After)",
            labels=["platform"],
        )
        for platform, connector in sorted(self.connectors.items()):
            waited.add_metric([platform], connector.rate_limit_seconds)
        yield waited


class StoreCollector(Collector):
    """The figures the store holds, read when scraped; `uccn_database_up` 0 when it cannot
    be read (the rest is then left out, not reported as zero)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("uccn_database_up", "1 when the database answers")
        try:
            figures = list(self._figures())
        except Exception as error:
            log.warning("reading the metrics from the store failed: %s", error)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from figures

    def _figures(self) -> Iterator[Metric]:
        now = datetime.now(UTC)
        with self.store.begin() as tx:
            inbox_count, inbox_oldest = tx.inbox.backlog()
            outbox = tx.outbox.backlog()
            replies = tx.replies.counts_for_open_calls()
            deliveries = tx.deliveries.counts()
        depth = GaugeMetricFamily("uccn_inbox_depth", "Events waiting in the inbox")
        depth.add_metric([], inbox_count)
        yield depth
        yield _age(
            "uccn_inbox_oldest_seconds",
            "Age of the oldest waiting event",
            [],
            {(): inbox_oldest},
            now,
        )
        out_depth = GaugeMetricFamily(
            "uccn_outbox_depth", "Posts waiting in the outbox", labels=["platform"]
        )
        for platform, (count, _oldest) in sorted(outbox.items()):
            out_depth.add_metric([platform], count)
        yield out_depth
        yield _age(
            "uccn_outbox_oldest_seconds",
            "Age of the oldest waiting post",
            ["platform"],
            {(p,): oldest for p, (_count, oldest) in outbox.items()},
            now,
        )
        stored = GaugeMetricFamily(
            "uccn_replies", "Replies stored for each open call", labels=["call"]
        )
        for call, count in sorted(replies.items()):
            stored.add_metric([call], count)
        yield stored
        states = GaugeMetricFamily(
            "uccn_deliveries", "Announcement deliveries by state", labels=["state"]
        )
        for state, count in sorted(deliveries.items()):
            states.add_metric([state], count)
        yield states


def _age(
    name: str,
    documentation: str,
    labels: list[str],
    oldest: dict[tuple[str, ...], datetime | None],
    now: datetime,
) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation, labels=labels)
    for values, moment in sorted(oldest.items()):
        family.add_metric(list(values), (now - moment).total_seconds() if moment else 0.0)
    return family
