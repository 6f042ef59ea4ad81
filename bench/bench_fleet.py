"""Fleet telemetry at scale: N simulated kiosks against the local Mosquitto (TLS, per-kiosk logins,
the real ACLs), at the real heartbeat rate and at 10×.

    .venv/bin/python bench/bench_fleet.py [--clients 2000] [--seconds 60] [--procs 4]

The clients are multiplexed in a few asyncio processes (aiomqtt, which drives paho-mqtt, the
kiosk's own MQTT library); each publishes the kiosk's real retained state payload (fleet_state of a
health model, ~1 KB) on kiosk/<id>/state at QoS 1, first at one message per `--period` (60 s, the
default fleet.heartbeat_s) and then at ten per period, with phases spread uniformly. One
operations subscriber (another process, the `ops` login) receives kiosk/+/state at QoS 1.

Printed per phase: messages/s offered and received, end-to-end latency (publish call → the
subscriber's receive; p50/p99/max), the publisher's own event-loop lateness (how late a publish
started against its schedule: pure client overhead on this shared 2-core machine), the PUBACK round
trip, lost messages (acknowledged by the broker but never received; expected 0 at QoS 1), the
broker's CPU (share of one core) and peak RSS, and the CPU of the client processes.
The open-file limit is raised to the hard limit first (2,000 TLS connections need more than 1,024).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import random
import resource
import ssl
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kiosk.devices.model import DeviceState, DeviceStatus  # noqa: E402
from kiosk.services.fleet_client import fleet_state, mqtt_password, offline_state, topics  # noqa: E402
from kiosk.services.health import Part, kiosk_health  # noqa: E402
from simulators.fleet.broker import OPS_USER, Mosquitto, write_credentials  # noqa: E402

PKI = REPO / "var" / "pki"
BENCH_KEY = b"bench-fleet-key-0123456789abcdef"


def kiosk_ids(n: int) -> list[str]:
    return [f"BENCH-{i:05d}" for i in range(n)]


def state_payload(kiosk_id: str, seq: int) -> dict[str, Any]:
    """The kiosk's real state message (as fleet_client publishes it) for a plausible kiosk."""
    statuses = {
        "idcard": DeviceStatus("idcard", DeviceState.ONLINE, {"card_present": False, "sam_id": "05.01-20200101-0000000001-3456789012"}),
        "scanner": DeviceStatus("scanner", DeviceState.ONLINE, {}),
        "printer": DeviceStatus("printer", DeviceState.ONLINE, {"online": True, "cover_open": False, "paper": "ok",
                                                                "failed_jobs": 0}),
        "camera": DeviceStatus("camera", DeviceState.ONLINE, {"source": "index", "size": "640x480"}),
        "sscard": DeviceStatus("sscard", DeviceState.ONLINE, {"card_present": False, "reader": "Virtual PCD 00 00"}),
    }
    services = [Part("backend", "online", "answering", {"online": True}),
                Part("catalogue", "online", "v", {"version": "bb1d8b912af8ed09", "age_s": 120.0}),
                Part("outbox", "online", "0 waiting", {"depth": 0, "failed": 0, "oldest_age_s": None}),
                Part("disk", "online", "ok", {"free_bytes": 50 * 2**30})]
    health = kiosk_health(kiosk_id, statuses, services, version="0.1.0")
    return fleet_state(health, maintenance=False, seq=seq, sent_at=time.time(), heartbeat_s=60.0)


def tls_context() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(PKI / "ca.pem"))


def raise_nofile() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


# ---- the operations subscriber (one process) --------------------------------------------------------

def subscriber(port: int, password: str, ready: Any, stop: Any, out: Any) -> None:
    import aiomqtt

    async def run() -> None:
        received: dict[str, list[float]] = {}
        seen: set[tuple[str, int]] = set()
        duplicates = 0
        async with aiomqtt.Client("127.0.0.1", port, username=OPS_USER, password=password, identifier="bench-ops",
                                  protocol=aiomqtt.ProtocolVersion.V5, tls_context=tls_context(),
                                  max_queued_incoming_messages=0) as client:
            await client.subscribe("kiosk/+/state", qos=1)
            ready.set()

            async def consume() -> None:
                nonlocal duplicates
                async for message in client.messages:
                    now_ns = time.time_ns()
                    data = json.loads(message.payload)
                    if data.get("state") != "online" or message.retain:
                        continue
                    key = (data["kiosk_id"], data["seq"])
                    if key in seen:
                        duplicates += 1
                        continue
                    seen.add(key)
                    received.setdefault(data["bench_phase"], []).append((now_ns - data["sent_ns"]) / 1e6)

            task = asyncio.create_task(consume())
            while not stop.is_set():
                await asyncio.sleep(0.2)
            task.cancel()
        out.put({"latency_ms": received, "duplicates": duplicates})

    asyncio.run(run())


# ---- the publishers (a few processes, many clients each) ---------------------------------------------

async def one_kiosk(client: Any, kid: str, seq: dict[str, int], phase: str, period: float, t0: float,
                    t_end: float, stats: dict[str, Any]) -> None:
    """One simulated kiosk for one phase: a state every `period`, starting at a random offset."""
    loop = asyncio.get_running_loop()
    nxt = t0 + random.random() * period
    while nxt < t_end:
        await asyncio.sleep(max(0.0, nxt - loop.time()))
        stats["lateness_ms"].append((loop.time() - nxt) * 1000)
        seq[kid] += 1
        body = state_payload(kid, seq[kid])
        body["sent_ns"], body["bench_phase"] = time.time_ns(), phase
        sent = time.perf_counter()
        try:
            await client.publish(topics(kid)["state"], json.dumps(body), qos=1, retain=True, timeout=30)
            stats["acked"] += 1
            stats["puback_ms"].append((time.perf_counter() - sent) * 1000)
        except Exception:
            stats["failed"] += 1
        nxt += period


def publisher(ids: list[str], port: int, phases: list[tuple[str, float, float]], ready: Any, go: Any,
              out: Any) -> None:
    import aiomqtt
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    raise_nofile()

    async def run() -> None:
        ctx = tls_context()
        clients: dict[str, aiomqtt.Client] = {}
        connect_t0 = time.monotonic()

        async def connect(kid: str) -> None:
            will = aiomqtt.Will(topics(kid)["state"], json.dumps(offline_state(kid, "connection lost")), qos=1,
                                retain=True)
            props = Properties(PacketTypes.CONNECT)
            props.SessionExpiryInterval = 0
            c = aiomqtt.Client("127.0.0.1", port, username=kid, password=mqtt_password(BENCH_KEY, kid), identifier=kid,
                               protocol=aiomqtt.ProtocolVersion.V5, tls_context=ctx, will=will, keepalive=60,
                               timeout=60, properties=props)
            await c.__aenter__()
            clients[kid] = c

        sem = asyncio.Semaphore(50)  # do not open 500 TLS handshakes at the same instant

        async def connect_limited(kid: str) -> None:
            async with sem:
                await connect(kid)

        await asyncio.gather(*(connect_limited(k) for k in ids))
        connect_s = time.monotonic() - connect_t0
        ready.put(connect_s)
        while not go.is_set():
            await asyncio.sleep(0.05)
        results: dict[str, dict[str, list[float] | int]] = {}
        seq = {k: 0 for k in ids}
        for name, period, duration in phases:
            stats: dict[str, Any] = {"lateness_ms": [], "puback_ms": [], "acked": 0, "failed": 0}
            loop = asyncio.get_running_loop()
            t0 = loop.time()
            t_end = t0 + duration

            await asyncio.gather(*(one_kiosk(clients[k], k, seq, name, period, t0, t_end, stats) for k in ids))
            results[name] = stats
        for c in clients.values():
            await c.__aexit__(None, None, None)
        out.put({"connect_s": connect_s, "phases": results})

    asyncio.run(run())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=2000)
    ap.add_argument("--seconds", type=float, default=60.0, help="length of each phase")
    ap.add_argument("--period", type=float, default=60.0, help="the real heartbeat period (fleet.heartbeat_s)")
    ap.add_argument("--procs", type=int, default=4, help="publisher processes")
    args = ap.parse_args()
    nofile = raise_nofile()
    ids = kiosk_ids(args.clients)
    work = Path(tempfile.mkdtemp(prefix="bench-fleet-"))
    ops_password = "bench-ops-password"
    passwd, acl = write_credentials(work, {**{k: mqtt_password(BENCH_KEY, k) for k in ids}, OPS_USER: ops_password})
    broker = Mosquitto(PKI, passwd, acl, workdir=work)
    broker.start()
    pid, port = broker.proc.pid, broker.port  # type: ignore[union-attr]
    print(f"bench_fleet: {args.clients} kiosks in {args.procs} asyncio processes, TLS, QoS 1, retained; "
          f"mosquitto pid {pid} on 127.0.0.1:{port}; open-file limit {nofile}; {os.cpu_count()} cores")
    payload_bytes = len(json.dumps({**state_payload(ids[0], 1), "sent_ns": time.time_ns(), "bench_phase": "real"}))
    phases = [("real", args.period, args.seconds), ("10x", args.period / 10, args.seconds)]
    ctx = mp.get_context("spawn")
    sub_ready, stop, sub_out = ctx.Event(), ctx.Event(), ctx.Queue()
    sub = ctx.Process(target=subscriber, args=(port, ops_password, sub_ready, stop, sub_out))
    sub.start()
    sub_ready.wait(60)
    ready, go, out = ctx.Queue(), ctx.Event(), ctx.Queue()
    chunks = [ids[i::args.procs] for i in range(args.procs)]
    procs = [ctx.Process(target=publisher, args=(chunk, port, phases, ready, go, out)) for chunk in chunks]
    t_connect = time.monotonic()
    for p in procs:
        p.start()
    connects = [ready.get(timeout=600) for _ in procs]
    print(f"connected {args.clients} clients in {time.monotonic() - t_connect:.1f} s "
          f"(slowest process {max(connects):.1f} s); broker RSS {rss_mb(pid):.0f} MB")
    broker_cpu0, rss_peak = cpu_seconds(pid), 0.0
    client_cpu0 = {p.pid: cpu_seconds(p.pid) for p in procs}
    sub_cpu0 = cpu_seconds(sub.pid)  # type: ignore[arg-type]
    go.set()
    marks: list[tuple[float, float]] = []
    t0 = time.monotonic()
    for _ in range(len(phases)):
        phase_start = time.monotonic()
        b0 = cpu_seconds(pid)
        while time.monotonic() - phase_start < args.seconds:
            rss_peak = max(rss_peak, rss_mb(pid))
            time.sleep(1.0)
        marks.append((cpu_seconds(pid) - b0, time.monotonic() - phase_start))
    results = [out.get(timeout=600) for _ in procs]
    wall = time.monotonic() - t0
    client_cpu = sum(cpu_seconds(p.pid) - client_cpu0[p.pid] for p in procs if Path(f"/proc/{p.pid}").exists())
    time.sleep(3)  # let the last messages reach the subscriber before it stops (bench only)
    sub_cpu = cpu_seconds(sub.pid) - sub_cpu0  # type: ignore[arg-type]
    stop.set()
    received = sub_out.get(timeout=120)
    for p in [*procs, sub]:
        p.join(60)
    broker_cpu = cpu_seconds(pid) - broker_cpu0
    broker.stop()

    print(f"payload {payload_bytes} bytes (the kiosk's retained state); subscriber duplicates (QoS 1 redelivery): "
          f"{received['duplicates']}")
    print(f"{'phase':<6} {'offered/s':>9} {'recv/s':>8} {'acked':>7} {'lost':>5} {'e2e p50':>8} {'e2e p99':>8} "
          f"{'e2e max':>8} {'late p99':>8} {'puback p99':>10} {'broker CPU':>10}")
    for (name, _period, duration), (bcpu, span) in zip(phases, marks, strict=True):
        acked = sum(r["phases"][name]["acked"] for r in results)
        failed = sum(r["phases"][name]["failed"] for r in results)
        late = [v for r in results for v in r["phases"][name]["lateness_ms"]]
        puback = [v for r in results for v in r["phases"][name]["puback_ms"]]
        lat = received["latency_ms"].get(name, [])
        print(f"{name:<6} {acked / duration:9.1f} {len(lat) / duration:8.1f} {acked:7d} {acked - len(lat):5d} "
              f"{pct(lat, .5):7.1f}ms {pct(lat, .99):7.1f}ms {max(lat, default=float('nan')):7.1f}ms "
              f"{pct(late, .99):7.1f}ms {pct(puback, .99):9.1f}ms {100 * bcpu / span:9.1f}%"
              + (f"  ({failed} publish calls failed)" if failed else ""))
    print(f"broker: peak RSS {rss_peak:.0f} MB, CPU {broker_cpu:.1f} s over {wall:.0f} s; clients: CPU {client_cpu:.1f} s "
          f"({100 * client_cpu / wall:.0f}% of one core, {args.procs} processes); subscriber CPU {sub_cpu:.1f} s")
    per_day = args.clients * 86400 / args.period
    print(f"at the real rate one kiosk sends {86400 / args.period:.0f} states/day = {payload_bytes * 86400 / args.period / 1e6:.2f} MB/day "
          f"payload; {args.clients} kiosks {per_day / 1e6:.2f} M messages/day")
    lost = sum(sum(r["phases"][n]["acked"] for r in results) for n, _, _ in phases) - sum(
        len(v) for v in received["latency_ms"].values())
    print("result: " + ("no message lost at QoS 1" if lost == 0 else f"{lost} messages LOST"))
    return 0 if lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
