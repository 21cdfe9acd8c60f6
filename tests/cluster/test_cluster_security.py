"""``--cluster local`` runs a scheduler only narrate can use: whoever connects to a Dask
scheduler runs code in its workers, so the local cluster speaks mutual TLS with credentials
made for the run (Dask's ``security=True``), and a client without them is refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")
pytest.importorskip("cryptography")


def test_a_client_without_the_local_cluster_s_credentials_cannot_connect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from narrate.cluster import LOCAL, connect

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    client, cluster = connect(LOCAL, workers=1)
    try:
        assert cluster is not None
        address = cluster.scheduler_address
        assert address.startswith("tls://127.0.0.1:"), address
        assert list(client.run(os.getpid).values())  # narrate's own client is let in
        strangers = [
            {"address": address},  # no credentials at all
            {"address": address.replace("tls://", "tcp://")},  # plain TCP
            {"address": address, "security": distributed.Security.temporary()},  # another CA
        ]
        for stranger in strangers:
            with pytest.raises(Exception):  # noqa: B017  refused, however Dask says it
                intruder = distributed.Client(**stranger, timeout=5, set_as_default=False)
                try:
                    intruder.run(os.getuid)
                finally:
                    intruder.close()
    finally:
        client.close()
        cluster.close()


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("tcp://127.0.0.1:8786", True),
        ("tcp://127.3.2.1:8786", True),
        ("tcp://[::1]:8786", True),
        ("tcp://localhost:8786", True),
        ("tcp://10.0.0.5:8786", False),
        ("tcp://[2001:db8::5]:8786", False),
        ("tcp://scheduler.example.org:8786", False),
    ],
)
def test_which_schedulers_are_on_this_machine(address: str, loopback: bool) -> None:
    """A plain tcp:// scheduler off this machine gets a warning (see connect)."""
    from narrate.cluster import _loopback

    assert _loopback(address) is loopback
