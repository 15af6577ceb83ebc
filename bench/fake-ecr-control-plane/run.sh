#!/usr/bin/env bash
# fake-ecr (release build) against moto_server: the same request mix (mix.lua), the same load
# generator (wrk), the same concurrency, RUNS runs each (reported: the median of each figure);
# then fake-ecr's peak RSS holding 10,000 repositories.
# Run by hand: bench/fake-ecr-control-plane/run.sh   (needs wrk, moto_server, python3)
# Environment: DURATION (default 10s), CONNECTIONS (default 16), THREADS (default 1), RUNS (default 3).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-16}"
threads="${THREADS:-1}"
runs="${RUNS:-3}"
for tool in wrk moto_server python3 curl; do
    command -v "$tool" >/dev/null || { echo "$tool is required (apt-get install wrk; pip install 'moto[server]')" >&2; exit 2; }
done

if [[ -z "${SKIP_BUILD:-}" ]]; then (cd "$root" && swift build -c release --product fake-ecr >&2); fi
bin="$root/.build/release/fake-ecr"
work="$(mktemp -d)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { for _ in $(seq 1 200); do curl -s -o /dev/null "$1" && return 0; sleep 0.05; done; echo "no server at $1" >&2; exit 1; }
seed() {  # one repository to describe, one rule (moto has no pull through cache rules: its answers count as non-2xx)
    curl -s -o /dev/null -X POST "$1/" -H 'X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.CreateRepository' \
        -H 'Content-Type: application/x-amz-json-1.1' -H "Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250101/ap-northeast-1/ecr/aws4_request, SignedHeaders=host, Signature=00" \
        -d '{"repositoryName":"bench/seed"}'
    curl -s -o /dev/null -X POST "$1/" -H 'X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.CreatePullThroughCacheRule' \
        -H 'Content-Type: application/x-amz-json-1.1' -H "Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250101/ap-northeast-1/ecr/aws4_request, SignedHeaders=host, Signature=00" \
        -d '{"upstreamRegistryUrl":"public.ecr.aws","ecrRepositoryPrefix":"public-ecr-9641173"}'
}
# run_wrk URL NAME [DURATION]: one wrk run (NAME also makes the run's new repository names unique).
run_wrk() { wrk -t"$threads" -c"$connections" -d"${3:-$duration}" --latency -s "$here/mix.lua" "$1" -- "$2" | tee "$work/$2.wrk" >&2; grep '^RESULT' "$work/$2.wrk"; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
# median RESULT-LINES: one RESULT line whose every figure is the median of that figure over the lines.
median() {
    python3 -c '
import statistics, sys
runs = [dict(f.split("=") for f in line.split()[1:]) for line in sys.stdin if line.startswith("RESULT")]
print("RESULT " + " ".join(f"{k}={statistics.median(float(r[k]) for r in runs):g}" for k in runs[0]))' <<<"$1"
}

fake_port="$(free_port)"
"$bin" serve --port "$fake_port" --admin --log-level warning >"$work/fake.out" 2>&1 &
fake_pid=$!; pids+=("$fake_pid")
wait_http "http://127.0.0.1:$fake_port/_fake/requests"
seed "http://127.0.0.1:$fake_port"

moto_port="$(free_port)"
moto_server -H 127.0.0.1 -p "$moto_port" >"$work/moto.out" 2>&1 &
pids+=("$!")
wait_http "http://127.0.0.1:$moto_port/moto-api/"
seed "http://127.0.0.1:$moto_port"

fake_runs=""; moto_runs=""
for run in $(seq 1 "$runs"); do
    echo "== run $run/$runs: fake-ecr (release), wrk -t$threads -c$connections -d$duration" >&2
    fake_runs+="$(run_wrk "http://127.0.0.1:$fake_port" "fake$run")"$'\n'
    echo "== run $run/$runs: moto_server, same mix and concurrency" >&2
    moto_runs+="$(run_wrk "http://127.0.0.1:$moto_port" "moto$run")"$'\n'
done
fake="$(median "$fake_runs")"; moto="$(median "$moto_runs")"

# Peak RSS of a fresh fake holding 10,000 repositories (plus what a 5 s mixed run creates): a new
# process, so that the repositories the timed runs created above do not count.
rss_port="$(free_port)"
"$bin" serve --port "$rss_port" --admin --log-level warning >"$work/fake-rss.out" 2>&1 &
rss_pid=$!; pids+=("$rss_pid")
wait_http "http://127.0.0.1:$rss_port/_fake/requests"
python3 - "$rss_port" <<'PY'
import json, sys, urllib.request
port = sys.argv[1]
state = {"schemaVersion": 1, "registries": [{"accountId": "123456789012", "region": "ap-northeast-1",
    "repositories": [{"repositoryName": "bench/seed"}] + [{"repositoryName": f"bench/rss-{i:05d}"} for i in range(9999)],
    "pullThroughCacheRules": [{"ecrRepositoryPrefix": "public-ecr-9641173", "upstreamRegistryUrl": "public.ecr.aws"}]}]}
request = urllib.request.Request(f"http://127.0.0.1:{port}/_fake/state", data=json.dumps(state).encode(), method="PUT")
urllib.request.urlopen(request).read()
PY
repos="$(curl -s "http://127.0.0.1:$rss_port/_fake/state" | python3 -c 'import json,sys; print(sum(len(r.get("repositories", [])) for r in json.load(sys.stdin)["registries"]))')"
run_wrk "http://127.0.0.1:$rss_port" fake-rss 5s >/dev/null
rss_kb="$(awk '/VmHWM/ {print $2}' "/proc/$rss_pid/status")"

fake_rps="$(field rps "$fake")"; moto_rps="$(field rps "$moto")"
echo
echo "medians of $runs runs:"
printf '%-10s %12s %10s %10s %8s\n' server "requests/s" "p50 ms" "p99 ms" non2xx
printf '%-10s %12s %10s %10s %8s\n' fake-ecr "$fake_rps" "$(field p50_ms "$fake")" "$(field p99_ms "$fake")" "$(field non2xx "$fake")"
printf '%-10s %12s %10s %10s %8s\n' moto "$moto_rps" "$(field p50_ms "$moto")" "$(field p99_ms "$moto")" "$(field non2xx "$moto")"
python3 -c "print(f'throughput ratio fake/moto: {float($fake_rps) / float($moto_rps):.1f}x')"
echo "fake-ecr peak RSS (VmHWM) with $repos repositories loaded: $((rss_kb / 1024)) MiB"
