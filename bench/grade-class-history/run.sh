#!/usr/bin/env bash
# labcheck grade of a class graded after cleanup, with no ledger: every point from each account's CloudTrail
# history, on a local fake-ecr enforcing CloudTrail's 2 LookupEvents per second per account. Prints the wall
# time, the grades, and the API calls (LookupEvents apart) per student.
#   bench/grade-class-history/run.sh [students] [jobs] [bin-dir]
# bin-dir: where labcheck and fake-ecr are (default: a release build, `swift build -c release`).
# Then the same class by boto3_grade_history.py with a pool of as many threads as jobs (PEER=0 skips it), on the
# same fake (each account's quota is whole again by then), and labcheck's peak RSS.
set -euo pipefail
cd "$(dirname "$0")/../.."
students=${1:-200}
jobs=${2:-8}
bin=${3:-}
if [ -z "$bin" ]; then
  echo "building release binaries..." >&2
  swift build -c release --product labcheck >&2
  swift build -c release --product fake-ecr >&2
  bin=$(swift build -c release --show-bin-path)
fi

work=$(mktemp -d)
python3 bench/grade-class/make_class.py "$students" "$work/class" cleaned-up-with-history
# The fixture history is of April 2025: kept (--trail-retention) and read (--since) however old it is.
source bench/grade-class/class-fake.sh
start_class_fake "$bin" "$work" --trail-lookup-rate 2 --trail-retention 3650d

ADMIN_TOKEN="$admin_token" python3 - "$bin/labcheck" "$work" "$port" "$students" "$jobs" "${PEER:-1}" <<'PY'
import csv, json, os, resource, subprocess, sys, time, urllib.request
labcheck, work, port, students, jobs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
peer = sys.argv[6] != "0"
admin = {"Authorization": "Bearer " + os.environ["ADMIN_TOKEN"]}
def requests():
    return json.load(urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/_fake/requests", headers=admin)))
urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/_fake/requests/reset", method="POST", headers=admin))
start = time.perf_counter()
run = subprocess.run([labcheck, "grade", "--roster", f"{work}/class/roster.csv", "--jobs", str(jobs), "--since", "2025-01-01",
                      "--output", f"{work}/out"], capture_output=True, text=True)
wall = time.perf_counter() - start
rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
counts = requests()
lookups = sum(v for k, v in counts.items() if k.endswith("LookupEvents"))
calls = sum(counts.values())
rows = list(csv.DictReader(open(f"{work}/out/class.csv", encoding="utf-8-sig")))
full = sum(1 for r in rows if r["percentage"] == "100.0")
from_trail = sum(1 for r in rows if r["evidence"] and all(p.endswith("=trail") for p in r["evidence"].split()))
print(f"{students} students after cleanup, no ledger, --jobs {jobs}, fake enforcing 2 LookupEvents/s per account (exit {run.returncode})")
print(f"labcheck grade   {wall:7.2f} s   ({wall / students:.2f} s of wall time per student)   peak RSS {rss_mb:.0f} MB")
print(f"                 {lookups / students:.1f} LookupEvents and {(calls - lookups) / students:.1f} other API calls per student")
print(f"                 {full}/{students} at 100%, {from_trail}/{students} with every step's evidence from the trail")
if peer:
    urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/_fake/requests/reset", method="POST", headers=admin))
    start = time.perf_counter()
    subprocess.run([sys.executable, "bench/grade-class-history/boto3_grade_history.py", f"{work}/class/roster.csv", "--threads", str(jobs),
                    "--since", "2025-01-01"], check=True, capture_output=True)
    peer_wall = time.perf_counter() - start
    counts = requests()
    peer_lookups = sum(v for k, v in counts.items() if k.endswith("LookupEvents"))
    print(f"boto3 {jobs} threads {peer_wall:7.2f} s   -> labcheck {peer_wall / wall:.1f}x faster (goal >= 10x); "
          f"{peer_lookups / students:.1f} LookupEvents per student (throttled retries included)")
PY
