"""A throwaway Synapse homeserver on loopback, for the demo and the tests.

SQLite-backed, on a free port, in a folder of its own; users are registered with the shared
secret, as an operator would. Message rate limits stay Synapse's defaults; `relax` lifts them
for one user through the admin API. Only registration, login, join and invite limits are
raised in the configuration, because a demo or a test registers many users at once.
Needs the `matrix-synapse` package (the `test` extra of uccn-bot).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nio import AsyncClient, AsyncClientConfig

SERVER_NAME = "uccn.test"
SHARED_SECRET = "uccn-test-shared-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class User:
    user_id: str
    password: str
    access_token: str
    device_id: str


class Synapse:
    def __init__(
        self,
        folder: Path,
        database: Mapping[str, Any] | None = None,
        *,
        metrics: bool = False,
        settings: Mapping[str, Any] | None = None,
    ) -> None:
        """A homeserver in `folder`; on SQLite there unless `database` is Synapse's database
        section for PostgreSQL (``{"name": "psycopg2", "args": {...}}``). With `metrics`, it
        serves its Prometheus metrics on loopback too, for `sample`; `settings` are more of
        Synapse's own (``{"refreshable_access_token_lifetime": "5s"}``)."""
        self.folder = folder
        self.settings = dict(settings or {})
        self.database = database
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.metrics_port = free_port() if metrics else None
        self.process: subprocess.Popen[bytes] | None = None
        self.log = folder / "synapse.out"
        self.admin: User | None = None

    def configure(self) -> Path:
        import yaml  # installed with matrix-synapse

        config_path = self.folder / "homeserver.yaml"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "synapse.app.homeserver",
                "--server-name",
                SERVER_NAME,
                "--config-path",
                str(config_path),
                "--data-directory",
                str(self.folder),
                "--generate-config",
                "--report-stats=no",
            ],
            check=True,
            capture_output=True,
            cwd=self.folder,
        )
        config = yaml.safe_load(config_path.read_text())
        relaxed = {"per_second": 1000, "burst_count": 1000}
        config.update(
            {
                "listeners": [
                    {
                        "port": self.port,
                        "bind_addresses": ["127.0.0.1"],
                        "type": "http",
                        "tls": False,
                        "x_forwarded": False,
                        "resources": [{"names": ["client"], "compress": False}],
                    }
                ],
                "database": dict(self.database)
                if self.database
                else {
                    "name": "sqlite3",
                    "args": {"database": str(self.folder / "homeserver.db")},
                },
                "registration_shared_secret": SHARED_SECRET,
                "enable_registration": False,
                "report_stats": False,
                "trusted_key_servers": [],
                "suppress_key_server_warning": True,
                "presence": {"enabled": False},
                "url_preview_enabled": False,
                "rc_registration": relaxed,
                "rc_login": {"address": relaxed, "account": relaxed, "failed_attempts": relaxed},
                "rc_joins": {"local": relaxed, "remote": relaxed},
                "rc_joins_per_room": relaxed,
                "rc_invites": {"per_room": relaxed, "per_user": relaxed, "per_issuer": relaxed},
                "rc_admin_redaction": relaxed,
                "bcrypt_rounds": 4,  # registering a hundred test users stays quick
            }
        )
        config.update(self.settings)
        if self.metrics_port is not None:
            config["enable_metrics"] = True
            config["listeners"].append(
                {"port": self.metrics_port, "bind_addresses": ["127.0.0.1"], "type": "metrics"}
            )
        config_path.write_text(yaml.safe_dump(config))
        return config_path

    def start(self, timeout: float = 90.0) -> None:
        config_path = self.folder / "homeserver.yaml"
        if not config_path.exists():
            self.configure()
        log = self.log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "synapse.app.homeserver", "-c", str(config_path)],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.folder,
            env={**os.environ, "SYNAPSE_CACHE_FACTOR": "0.5"},
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                urllib.request.urlopen(f"{self.url}/_matrix/client/versions", timeout=2).close()
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.25)
        output = self.log.read_text(errors="replace")[-3000:]
        self.stop()
        raise RuntimeError(f"Synapse did not start on {self.url}:\n{output}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def request(
        self, method: str, path: str, body: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.url}{path}", data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(request, timeout=30) as response:
            return dict(json.loads(response.read() or b"{}"))

    def register(self, localpart: str, *, admin: bool = False) -> User:
        """Register a user with the shared secret, as an operator would."""
        password = f"pw-{localpart}"
        nonce = self.request("GET", "/_synapse/admin/v1/register")["nonce"]
        mac = hmac.new(SHARED_SECRET.encode(), digestmod=hashlib.sha1)
        mac.update(
            b"\x00".join(
                [
                    nonce.encode(),
                    localpart.encode(),
                    password.encode(),
                    b"admin" if admin else b"notadmin",
                ]
            )
        )
        answer = self.request(
            "POST",
            "/_synapse/admin/v1/register",
            {
                "nonce": nonce,
                "username": localpart,
                "password": password,
                "admin": admin,
                "mac": mac.hexdigest(),
            },
        )
        return User(answer["user_id"], password, answer["access_token"], answer["device_id"])

    def client(self, user: User) -> AsyncClient:
        """A matrix-nio client logged in as `user` (with the token registration gave)."""
        client = AsyncClient(
            self.url,
            user.user_id,
            device_id=user.device_id,
            config=AsyncClientConfig(store_sync_tokens=False),
        )
        client.restore_login(user.user_id, user.device_id, user.access_token)
        return client

    def sample(self, name: str, **labels: str) -> float:
        """The sum of the samples of metric `name` whose labels include `labels`."""
        from prometheus_client.parser import text_string_to_metric_families  # with Synapse

        if self.metrics_port is None:
            raise RuntimeError("this Synapse was started without metrics")
        url = f"http://127.0.0.1:{self.metrics_port}/_synapse/metrics"
        with urllib.request.urlopen(url, timeout=10) as response:
            text = response.read().decode()
        return sum(
            sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
            if sample.name == name and labels.items() <= sample.labels.items()
        )

    def relax(self, user_id: str) -> None:
        """Lift the message rate limit for one user (admin API), for tests that say so."""
        self.limit(user_id, 0, 0)

    def limit(self, user_id: str, per_second: int, burst: int) -> None:
        """Rate-limit one user's actions, joins included, as a stock homeserver does (admin
        API; 0 and 0 lift the limits)."""
        if self.admin is None:
            self.admin = self.register(f"admin{free_port()}", admin=True)
        self.request(
            "POST",
            f"/_synapse/admin/v1/users/{urllib.parse.quote(user_id)}/override_ratelimit",
            {"messages_per_second": per_second, "burst_count": burst},
            token=self.admin.access_token,
        )
