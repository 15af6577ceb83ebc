#!/usr/bin/env python3
"""Start-up of fake-ecr and moto_server: exec to the first answered request, medians over rounds.

startup.py FAKE_ECR_BINARY [ROUNDS]   (run.sh builds the binary and calls this)

Cases, measured in turn within each round so that the machine's load touches all alike:
  fake empty        fake-ecr serve
  fake --state      fake-ecr serve --state S.json          (10,000 repositories)
  fake --data-dir   fake-ecr serve --data-dir D            (D holds the same 10,000, loaded once before)
  moto empty        moto_server
The clock starts just before the exec and stops when a DescribeRepositories (maxResults 1) has its
whole HTTP answer (any status: an answer is an answer). The client retries a refused connection
every millisecond.
"""
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

REPOSITORIES = 10_000
HEADERS = {
    "Content-Type": "application/x-amz-json-1.1",
    "X-Amz-Target": "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories",
    "Authorization": "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250101/ap-northeast-1/ecr/aws4_request, "
    "SignedHeaders=host, Signature=00",
}
BODY = b'{"maxResults":1}'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def first_answer(port: int, deadline: float) -> tuple[int, int]:
    """Polls until one request is answered; returns (status, answer body length)."""
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("POST", "/", body=BODY, headers=HEADERS)
            response = connection.getresponse()
            body = response.read()
            connection.close()
            return response.status, len(body)
        except (ConnectionRefusedError, ConnectionResetError, http.client.RemoteDisconnected):
            if time.perf_counter() > deadline:
                raise SystemExit(f"no answer on port {port} within the deadline")
            time.sleep(0.001)


def measure(command: list[str], port: int) -> float:
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        status, _ = first_answer(port, start + 60)
        elapsed = time.perf_counter() - start
        if status >= 500:
            raise SystemExit(f"{command[0]} answered {status}")
        return elapsed
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    binary = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    work = tempfile.mkdtemp(prefix="fake-ecr-startup-")
    try:
        state = os.path.join(work, "state.json")
        with open(state, "w") as file:
            json.dump({"schemaVersion": 1, "registries": [{
                "accountId": "123456789012", "region": "ap-northeast-1",
                "repositories": [{"repositoryName": f"bench/startup-{i:05d}"} for i in range(REPOSITORIES)]}]}, file)
        data = os.path.join(work, "data")
        # Fill the data directory once (a first start with --state), as a CI cache would hold it.
        port = free_port()
        measure([binary, "serve", "--port", str(port), "--data-dir", data, "--state", state, "--log-level", "error"], port)

        def fake(*extra: str):
            return lambda port: [binary, "serve", "--port", str(port), "--log-level", "error", *extra]

        cases = {
            "fake-ecr, empty": fake(),
            f"fake-ecr, --state of {REPOSITORIES:,} repositories": fake("--state", state),
            f"fake-ecr, --data-dir holding {REPOSITORIES:,} repositories": fake("--data-dir", data),
            "moto_server, empty": lambda port: ["moto_server", "-H", "127.0.0.1", "-p", str(port)],
        }
        figures: dict[str, list[float]] = {name: [] for name in cases}
        for round_number in range(rounds):
            for name, command in cases.items():
                port = free_port()
                figures[name].append(measure(command(port), port))
            print(f"round {round_number + 1}/{rounds}: " + ", ".join(f"{f[-1] * 1000:.0f}" for f in figures.values()) + " ms",
                  file=sys.stderr)
        print(f"exec to first answered request, median of {rounds} rounds (min-max), load average {os.getloadavg()[0]:.2f}:")
        for name, values in figures.items():
            print(f"  {name:<48} {statistics.median(values) * 1000:8.1f} ms  ({min(values) * 1000:.1f}-{max(values) * 1000:.1f})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
