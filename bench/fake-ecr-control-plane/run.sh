#!/usr/bin/env bash
# fake-ecr (release build) against moto_server and against the ceiling, an empty-handler Hummingbird
# 2.28.1 app (empty-handler/, built here, not shipped): the same request mixes (mix.lua: read, write),
# the same load generator (wrk), the same concurrency, RUNS rounds (each round runs fake, moto and the
# empty handler one after another; reported: the median of each figure). First it shows that wrk is
# not the limit: the empty handler under the read mix with each of CEILING_THREADS wrk threads.
# Last, fake-ecr's peak RSS holding 10,000 repositories.
# Run by hand: bench/fake-ecr-control-plane/run.sh   (needs wrk, moto_server, python3, curl)
# Environment: DURATION (10s), CONNECTIONS (16), THREADS (2), RUNS (3), MIXES ("read write"),
# CEILING_THREADS ("1 2 4"; empty: skip), SKIP_BUILD=1, FAKE_ECR (a fake-ecr binary to measure instead).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-16}"
threads="${THREADS:-2}"
runs="${RUNS:-3}"
mixes="${MIXES:-read write}"
ceiling_threads="${CEILING_THREADS-1 2 4}"
for tool in wrk moto_server python3 curl; do
    command -v "$tool" >/dev/null || { echo "$tool is required (apt-get install wrk; pip install 'moto[server]')" >&2; exit 2; }
done

empty_scratch="$here/empty-handler/.build-bench"
if [[ -z "${SKIP_BUILD:-}" ]]; then
    (cd "$root" && nice swift build -c release --product fake-ecr >&2)
    (cd "$here/empty-handler" && nice swift build -c release --scratch-path "$empty_scratch" >&2)
fi
bin="${FAKE_ECR:-$root/.build/release/fake-ecr}"
# What is measured: the worktree's commit, or the binary named by FAKE_ECR.
label="${FAKE_ECR:+$FAKE_ECR}"; label="${label:-$(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo '?')}"
empty_bin="$empty_scratch/release/empty-handler"
work="$(mktemp -d)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { for _ in $(seq 1 200); do curl -s -o /dev/null "$1" && return 0; sleep 0.05; done; echo "no server at $1" >&2; exit 1; }
ecr() {  # ecr URL OPERATION BODY: one unsigned-in-effect ECR call (neither server verifies signatures here)
    curl -s -o /dev/null -X POST "$1/" -H "X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.$2" \
        -H 'Content-Type: application/x-amz-json-1.1' -H "Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250101/ap-northeast-1/ecr/aws4_request, SignedHeaders=host, Signature=00" \
        -d "$3"
}
seed() {  # the repository the read mix describes, with one image; one rule (moto has none: its answers count as non-2xx)
    ecr "$1" CreateRepository '{"repositoryName":"bench/seed"}'
    ecr "$1" PutImage '{"repositoryName":"bench/seed","imageTag":"seed","imageManifest":"{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}"}'
    ecr "$1" CreatePullThroughCacheRule '{"upstreamRegistryUrl":"public.ecr.aws","ecrRepositoryPrefix":"public-ecr-9641173"}'
}
# prepare_write URL NAME THREADS: the repositories the write mix's first rounds name (mix.lua: rounds -2*LAG..-1).
prepare_write() {
    local tid round
    for tid in $(seq 1 "$3"); do
        for round in $(seq 1 64); do ecr "$1" CreateRepository "{\"repositoryName\":\"bench/w$2-t$tid-p$round\"}"; done
    done
}
# run_wrk URL NAME MIX [DURATION] [THREADS]: one wrk run (NAME also makes the run's new repository names unique).
run_wrk() {
    [[ "$3" == write ]] && prepare_write "$1" "$2" "${5:-$threads}"
    wrk -t"${5:-$threads}" -c"$connections" -d"${4:-$duration}" --latency -s "$here/mix.lua" "$1" -- "$2" "$3" >"$work/$2.wrk" 2>&1
    local line
    line="$(grep '^RESULT' "$work/$2.wrk")" || { cat "$work/$2.wrk" >&2; exit 1; }
    echo "   $2: $line" >&2
    echo "$line"
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
# median RESULT-LINES: one RESULT line whose every figure is the median of that figure over the lines.
median() {
    python3 -c '
import statistics, sys
runs = [dict(f.split("=") for f in line.split()[1:]) for line in sys.stdin if line.startswith("RESULT")]
print("RESULT " + " ".join(f"{k}={statistics.median(float(r[k]) for r in runs):g}" for k in runs[0]))' <<<"$1"
}
load() { cut -d' ' -f1-3 /proc/loadavg; }
# round_ratios FAKE-LINES MOTO-LINES EMPTY-LINES: each round's fake/moto and fake/empty (the three ran back
# to back, so a machine that speeds up or slows down between rounds moves both sides of a round's ratio).
round_ratios() {
    python3 -c '
import statistics, sys
def rates(text): return [float([f for f in l.split() if f.startswith("rps=")][0][4:]) for l in text.splitlines() if l.startswith("RESULT")]
fake, moto, empty = rates(sys.argv[1]), rates(sys.argv[2]), rates(sys.argv[3])
m = [f / o for f, o in zip(fake, moto)]; e = [f / x for f, x in zip(fake, empty)]
print("  per round: fake/moto " + " / ".join(f"{r:.1f}x" for r in m) + f" (median {statistics.median(m):.1f}x),"
      + " fake/empty " + " / ".join(f"{r:.2f}x" for r in e) + f" (median {statistics.median(e):.2f}x)")' "$1" "$2" "$3"
}

echo "fake-ecr: $label; load average at start: $(load)" >&2
fake_port="$(free_port)"
"$bin" serve --port "$fake_port" --admin --log-level warning >"$work/fake.out" 2>&1 &
pids+=("$!")
wait_http "http://127.0.0.1:$fake_port/_fake/requests"
seed "http://127.0.0.1:$fake_port"

moto_port="$(free_port)"
moto_server -H 127.0.0.1 -p "$moto_port" >"$work/moto.out" 2>&1 &
pids+=("$!")
wait_http "http://127.0.0.1:$moto_port/moto-api/"
seed "http://127.0.0.1:$moto_port"

empty_port="$(free_port)"
"$empty_bin" "$empty_port" >"$work/empty.out" 2>&1 &
pids+=("$!")
wait_http "http://127.0.0.1:$empty_port/"

# Is wrk the limit? The empty handler with more wrk threads: if the figure rises, it was.
ceiling=""
for t in $ceiling_threads; do
    echo "== ceiling: empty handler, read mix, wrk -t$t -c$connections -d$duration" >&2
    ceiling+="$(printf '%-4s' "-t$t") $(run_wrk "http://127.0.0.1:$empty_port" "ceiling-t$t" read "$duration" "$t")"$'\n'
done

declare -A result
for mix in $mixes; do
    fake_runs=""; moto_runs=""; empty_runs=""
    for run in $(seq 1 "$runs"); do
        echo "== $mix mix, round $run/$runs (wrk -t$threads -c$connections -d$duration), load $(load): fake-ecr, moto_server, empty handler" >&2
        fake_runs+="$(run_wrk "http://127.0.0.1:$fake_port" "fake-$mix$run" "$mix")"$'\n'
        moto_runs+="$(run_wrk "http://127.0.0.1:$moto_port" "moto-$mix$run" "$mix")"$'\n'
        empty_runs+="$(run_wrk "http://127.0.0.1:$empty_port" "empty-$mix$run" "$mix")"$'\n'
    done
    result[$mix,fake]="$(median "$fake_runs")"; result[$mix,moto]="$(median "$moto_runs")"; result[$mix,empty]="$(median "$empty_runs")"
    result[$mix,rounds]="$(round_ratios "$fake_runs" "$moto_runs" "$empty_runs")"
done
load_after_runs="$(load)"

# Peak RSS of a fresh fake holding 10,000 repositories (plus what a 5 s read run adds to its trail):
# a new process, so that what the timed runs created above does not count.
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
run_wrk "http://127.0.0.1:$rss_port" fake-rss read 5s >/dev/null
rss_kb="$(awk '/VmHWM/ {print $2}' "/proc/$rss_pid/status")"

echo
echo "fake-ecr $label, wrk -t$threads -c$connections -d$duration, medians of $runs rounds; load average after the rounds: $load_after_runs"
if [[ -n "$ceiling" ]]; then
    echo "ceiling check (empty handler, read mix, one run each): more wrk threads must not raise it"
    while read -r flag line; do
        [[ -n "$flag" ]] && printf '  wrk %-4s %10s req/s  p99 %s ms\n' "$flag" "$(field rps "$line")" "$(field p99_ms "$line")"
    done <<<"$ceiling"
fi
for mix in $mixes; do
    fake="${result[$mix,fake]}"; moto="${result[$mix,moto]}"; empty="${result[$mix,empty]}"
    echo "$mix mix:"
    printf '  %-14s %12s %10s %10s %8s\n' server "requests/s" "p50 ms" "p99 ms" non2xx
    for server in fake-ecr moto empty-handler; do
        case "$server" in fake-ecr) line="$fake" ;; moto) line="$moto" ;; *) line="$empty" ;; esac
        printf '  %-14s %12s %10s %10s %8s\n' "$server" "$(field rps "$line")" "$(field p50_ms "$line")" "$(field p99_ms "$line")" "$(field non2xx "$line")"
    done
    python3 -c "print(f'  fake/moto {float($(field rps "$fake")) / float($(field rps "$moto")):.1f}x   fake/empty {float($(field rps "$fake")) / float($(field rps "$empty")):.2f}x')"
    echo "${result[$mix,rounds]}"
done
echo "fake-ecr peak RSS (VmHWM) with $repos repositories loaded: $((rss_kb / 1024)) MiB"
