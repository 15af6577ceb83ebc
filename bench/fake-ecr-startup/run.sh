#!/usr/bin/env bash
# fake-ecr's start-up (exec to the first answered request) empty, with --state of 10,000
# repositories and with --data-dir holding them, beside moto_server's, medians of ROUNDS rounds.
# Run by hand: bench/fake-ecr-startup/run.sh   (needs moto_server, python3)
# Environment: ROUNDS (10), SKIP_BUILD=1, FAKE_ECR (a fake-ecr binary to measure instead).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
command -v moto_server >/dev/null || { echo "moto_server is required (pip install 'moto[server]')" >&2; exit 2; }
if [[ -z "${SKIP_BUILD:-}" && -z "${FAKE_ECR:-}" ]]; then (cd "$root" && nice swift build -c release --product fake-ecr >&2); fi
bin="${FAKE_ECR:-$root/.build/release/fake-ecr}"
echo "fake-ecr $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo '?'), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$here/startup.py" "$bin" "${ROUNDS:-10}"
