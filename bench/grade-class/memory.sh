#!/usr/bin/env bash
# Peak RSS, wall time and class-report sizes of `labcheck grade` for a class of N students on a local
# fake-ecr, then of `labcheck merge` of that output, then of a roster of BAD bad rows (refused at the
# bad-row limit). Uses the release binaries unless BIN is set (e.g. BIN=.build/debug).
#   bench/grade-class/memory.sh [students] [bad-rows]
set -euo pipefail
cd "$(dirname "$0")/../.."
students=${1:-3000}
bad=${2:-100000}
if [ -z "${BIN:-}" ]; then
  swift build -c release --product labcheck >&2
  swift build -c release --product fake-ecr >&2
  BIN=$(swift build -c release --show-bin-path)
fi

work=$(mktemp -d)
trap 'kill ${fake:-} 2>/dev/null || true; rm -rf "$work"' EXIT
python3 bench/grade-class/make_class.py "$students" "$work/class"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$BIN/fake-ecr" serve --host 127.0.0.1 --port "$port" --state "$work/class/state.json" --accounts "$work/class/accounts.json" \
  --auth sigv4 --default-region ap-northeast-1 --log-level error >/dev/null 2>&1 &
fake=$!
for _ in $(seq 300); do curl -fs "http://127.0.0.1:$port/_fake/requests" >/dev/null 2>&1 && break; sleep 0.2; done

export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_REGION=ap-northeast-1 AWS_ACCESS_KEY_ID=AKIAINSTRUCTOR000001 \
       AWS_SECRET_ACCESS_KEY=instructor-secret AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null \
       AWS_SHARED_CREDENTIALS_FILE=/dev/null NO_COLOR=1

# timed LABEL COMMAND...: prints peak RSS and wall time from /usr/bin/time -v.
timed() {
  local label=$1; shift
  /usr/bin/time -v "$@" >"$work/$label.out" 2>"$work/$label.err" || true
  local rss wall
  rss=$(awk -F: '/Maximum resident/ {printf "%.0f", $2 / 1024}' "$work/$label.err")
  wall=$(awk '/Elapsed \(wall/ {print $NF}' "$work/$label.err")
  printf '%-28s peak RSS %5s MB   wall %s\n' "$label" "$rss" "$wall"
}
sizes() {
  for file in class.csv class.json class.junit.xml class.md class.html; do
    printf '    %-16s %8.1f MB\n' "$file" "$(stat -c %s "$1/$file" | awk '{print $1 / 1e6}')"
  done
}

timed "grade $students students" "$BIN/labcheck" grade --roster "$work/class/roster.csv" --jobs 8 --output "$work/out"
sizes "$work/out"
timed "merge of that output" "$BIN/labcheck" merge "$work/out" --output "$work/merged"
for file in class.csv class.json class.junit.xml class.md class.html; do
  cmp -s "$work/out/$file" "$work/merged/$file" || echo "    $file differs after merge"
done

python3 - "$work/bad.csv" "$bad" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("student_id,name,account_id,role_arn\n")
    for n in range(1, int(sys.argv[2]) + 1):
        f.write(f"b{n},Bad {n},12x,arn:aws:iam::12x:role/R\n")
PY
timed "grade $bad bad rows" "$BIN/labcheck" grade --roster "$work/bad.csv" --jobs 8 --output "$work/bad-out"
head -c 200 "$work/grade $bad bad rows.err"; echo
