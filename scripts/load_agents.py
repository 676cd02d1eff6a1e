"""A small, time-bounded load of agents on the lookup page, to check a deployment holds them.

    python scripts/load_agents.py --port 8000 --clients 20 --seconds 20 [--database kbportal]

Each client signs in as a demo agent (DEBUG must be on), then searches in a loop on the acme
lookup page. Prints the requests, errors (non-200 and connection failures), latency p50/p95/max
and, with --database, the most PostgreSQL connections seen to that database. With
--max-connections N the run stops early when the database holds more than N connections
(so that a leaking server cannot starve other users of a shared PostgreSQL).
Standard library only: it runs with any Python 3.
"""

from __future__ import annotations

import argparse
import http.client
import re
import statistics
import subprocess
import threading
import time
import urllib.parse

QUERIES = ["refund", "lost parcel", "colis", "facture", "delivery", "adresse", "damaged", "remboursement"]


class Agent:
    def __init__(self, port: int, base: str, email: str, password: str) -> None:
        self.port, self.base, self.email, self.password = port, base, email, password
        self.cookies: dict[str, str] = {}

    def request(self, method: str, host: str, path: str, body: str | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": host, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers.update({"Content-Type": "application/x-www-form-urlencoded",
                            "Referer": f"http://{host}:{self.port}/accounts/sign-in/"})
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, text

    def sign_in(self) -> None:
        _, page = self.request("GET", self.base, "/accounts/sign-in/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": self.email,
                                       "password": self.password})
        status, _ = self.request("POST", self.base, "/accounts/sign-in/", body)
        if status != 302:
            raise RuntimeError(f"sign-in of {self.email} answered {status}")


def connections_to(database: str) -> int:
    out = subprocess.run(  # noqa: S603 - fixed argv, the operator's own database name
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc",  # noqa: S607
         f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{database}'"],
        capture_output=True, text=True, check=False,
    )
    return int(out.stdout.strip() or 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--base-domain", default="kb.localhost")
    parser.add_argument("--tenant", default="acme")
    parser.add_argument("--email", default="ravi@helios.example")
    parser.add_argument("--password", default="demo-kbportal-2026")
    parser.add_argument("--database", help="count PostgreSQL connections to this database")
    parser.add_argument("--max-connections", type=int, default=0, help="stop early above this many")
    args = parser.parse_args()

    tenant_host = f"{args.tenant}.{args.base_domain}"
    agents = [Agent(args.port, args.base_domain, args.email, args.password) for _ in range(args.clients)]
    for agent in agents:
        agent.sign_in()
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    stop = threading.Event()
    peak = [connections_to(args.database) if args.database else 0]

    def work(agent: Agent, n: int) -> None:
        i = n
        while not stop.is_set():
            query = urllib.parse.quote(QUERIES[i % len(QUERIES)])
            i += 1
            started = time.perf_counter()
            try:
                status, _ = agent.request("GET", tenant_host, f"/search/?q={query}")
                key = None if status == 200 else str(status)
            except Exception as exc:  # noqa: BLE001 - a refused or reset connection is an error to count
                key = type(exc).__name__
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if key:
                    errors[key] = errors.get(key, 0) + 1

    threads = [threading.Thread(target=work, args=(agent, n), daemon=True) for n, agent in enumerate(agents)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    stopped_early = False
    while time.perf_counter() - started < args.seconds:
        time.sleep(0.5)
        if args.database:
            peak[0] = max(peak[0], connections_to(args.database))
            if args.max_connections and peak[0] > args.max_connections:
                stopped_early = True
                break
    stop.set()
    for thread in threads:
        thread.join(timeout=35)
    duration = time.perf_counter() - started
    ordered = sorted(latencies)
    p95 = ordered[int(len(ordered) * 0.95) - 1] if ordered else 0
    print(
        f"clients={args.clients} seconds={duration:.1f} requests={len(latencies)} "
        f"errors={sum(errors.values())} {errors or ''} "
        f"p50_ms={statistics.median(ordered) * 1000:.0f} p95_ms={p95 * 1000:.0f} max_ms={ordered[-1] * 1000:.0f} "
        f"peak_db_connections={peak[0] if args.database else 'n/a'}"
        + (" STOPPED EARLY (connection cap)" if stopped_early else "")
    )


if __name__ == "__main__":
    main()
