"""The throwaway Synapse's metrics, which the Matrix ingestion benchmark reads."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest
from uccn_bot.homeserver import Synapse


def test_a_request_shows_in_the_metrics_it_serves(synapse: Synapse) -> None:
    def versions() -> float:
        return synapse.sample(
            "synapse_http_server_requests_received_total", servlet="VersionsRestServlet"
        )

    before = versions()
    urllib.request.urlopen(f"{synapse.url}/_matrix/client/versions", timeout=10).close()
    assert versions() == before + 1
    assert synapse.sample("synapse_http_server_requests_received_total", servlet="NoSuch") == 0


def test_a_homeserver_without_metrics_says_so(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="without metrics"):
        Synapse(tmp_path).sample("python_gc_time_count")
