#!/usr/bin/env bash
# labcheck grade vs a boto3 script (serial, and a thread pool of the same size as --jobs), 200 students
# on a local fake-ecr (release build), one run each. Prints wall times, ratios, API calls per student
# and labcheck's peak RSS.
#   bench/grade-class/run.sh [students] [jobs]
# SERIAL=0 skips the serial boto3 run (at 2,000 students it alone takes ~12 minutes here).
set -euo pipefail
cd "$(dirname "$0")/../.."
students=${1:-200}
jobs=${2:-8}

echo "building release binaries..." >&2
swift build -c release --product labcheck >&2
swift build -c release --product fake-ecr >&2
bin=$(swift build -c release --show-bin-path)

work=$(mktemp -d)
python3 bench/grade-class/make_class.py "$students" "$work/class"
source bench/grade-class/class-fake.sh
start_class_fake "$bin" "$work"

ADMIN_TOKEN="$admin_token" python3 - "$bin/labcheck" "$work" "$port" "$students" "$jobs" "${SERIAL:-1}" <<'PY'
import json, os, resource, subprocess, sys, time, urllib.request
labcheck, work, port, students, jobs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
serial = sys.argv[6] != "0"
roster = f"{work}/class/roster.csv"
admin = {"Authorization": "Bearer " + os.environ["ADMIN_TOKEN"]}
def requests():
    return json.load(urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/_fake/requests", headers=admin)))
def reset():
    urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/_fake/requests/reset", method="POST", headers=admin))
def timed(command):
    start = time.perf_counter()
    subprocess.run(command, check=False, capture_output=True)
    return time.perf_counter() - start

reset()
before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
t_labcheck = timed([labcheck, "grade", "--roster", roster, "--jobs", str(jobs), "--output", f"{work}/out"])
rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
calls = sum(requests().values())
t_serial = timed([sys.executable, "bench/grade-class/boto3_grade.py", roster]) if serial else None
t_threads = timed([sys.executable, "bench/grade-class/boto3_grade.py", roster, "--threads", str(jobs)])
print(f"{students} students, --jobs {jobs} / {jobs} threads, one run each")
print(f"labcheck grade        {t_labcheck:7.2f} s   peak RSS {rss_mb:.0f} MB   {calls / students:.1f} API calls per student")
if t_serial is not None:
    print(f"boto3 serial          {t_serial:7.2f} s   -> labcheck {t_serial / t_labcheck:.1f}x faster")
print(f"boto3 {jobs} threads      {t_threads:7.2f} s   -> labcheck {t_threads / t_labcheck:.1f}x faster (goal >= 10x; peak RSS goal <= 150 MB)")
PY
