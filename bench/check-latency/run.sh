#!/usr/bin/env bash
# labcheck check vs a minimal boto3 script, one student, against a local fake-ecr (release build).
# Prints the median of 20 runs of each (whole process wall time) and the ratio.
#   bench/check-latency/run.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-20}

echo "building release binaries..." >&2
# labcheck as students get it: release, Swift runtime linked statically (saves ~20 ms of dynamic loading per run).
swift build -c release --static-swift-stdlib --scratch-path .build-static --product labcheck >&2
swift build -c release --product fake-ecr >&2
labcheck_bin=$(swift build -c release --static-swift-stdlib --scratch-path .build-static --show-bin-path)/labcheck
bin=$(swift build -c release --show-bin-path)

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$bin/fake-ecr" serve --host 127.0.0.1 --port "$port" --state fixtures/states/complete.json --admin >/dev/null 2>&1 &
fake=$!
trap 'kill $fake 2>/dev/null || true; rm -rf "$work"' EXIT
work=$(mktemp -d)
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/_fake/requests" >/dev/null 2>&1 && break; sleep 0.1; done

export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_REGION=ap-northeast-1 AWS_DEFAULT_REGION=ap-northeast-1 AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE \
       AWS_SECRET_ACCESS_KEY=bench-secret AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null \
       AWS_SHARED_CREDENTIALS_FILE=/dev/null NO_COLOR=1

python3 - "$runs" "$labcheck_bin" "$work" <<'PY'
import statistics, subprocess, sys, time
runs, labcheck, work = int(sys.argv[1]), sys.argv[2], sys.argv[3]
commands = {
    "labcheck check": [labcheck, "check", "--phase", "build", "--output", work, "--format", "json"],
    "boto3 script": [sys.executable, "bench/check-latency/boto3_check.py"],
}
medians = {}
for name, command in commands.items():
    subprocess.run(command, check=True, capture_output=True)  # warm-up (page cache, bytecode)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append((time.perf_counter() - start) * 1000)
    medians[name] = statistics.median(times)
    print(f"{name:16s} median {medians[name]:7.1f} ms  (min {min(times):.1f}, max {max(times):.1f}, {runs} runs)")
ratio = medians["boto3 script"] / medians["labcheck check"]
print(f"labcheck is {ratio:.1f}x faster than the boto3 script (goal: labcheck under 50 ms)")
PY
