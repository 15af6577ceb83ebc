#!/usr/bin/env bash
# Push and pull of a ~50 MB image (5 gzip'd layers of 10 MiB of seeded random bytes) with skopeo,
# against fake-ecr (release build, blobs on disk with --data-dir) and docker-registry (CNCF
# distribution, filesystem storage), in the same run, on loopback. Each round starts every server
# fresh (empty storage), pushes once and pulls once, timing whole skopeo processes; the servers take
# turns in a rotating order so that machine noise hits all of them. Prints median MB/s
# (1 MB = 10^6 bytes) of both directions and the ratios fake-ecr / docker-registry; fake-ecr with
# blobs in memory (no --data-dir) is an extra line.
#   bench/registry-throughput/run.sh [rounds]     (default 5 rounds, after 1 untimed warm-up round)
# Needs skopeo, docker-registry, aws (CLI), python3, curl. Environment: SKIP_BUILD=1, WARMUP (1).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds="${1:-5}"
warmup="${WARMUP:-1}"
for tool in skopeo docker-registry aws python3 curl; do
    command -v "$tool" >/dev/null || { echo "$tool is required (apt-get install skopeo docker-registry awscli python3 curl)" >&2; exit 2; }
done

if [[ -z "${SKIP_BUILD:-}" ]]; then (cd "$root" && swift build -c release --product fake-ecr >&2); fi
bin="$root/.build/release/fake-ecr"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT   # the driver stops the servers it starts
echo "building the image (OCI layout) under $work..." >&2
bytes="$(python3 "$here/make_image.py" "$work/image" 5 10)"

export TMPDIR="$work" AWS_ACCESS_KEY_ID=AKIAEXAMPLE AWS_SECRET_ACCESS_KEY=x AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 \
       AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER=
python3 - "$bin" "$work" "$bytes" "$rounds" "$warmup" <<'PY'
import os, shutil, socket, statistics, subprocess, sys, time, urllib.error, urllib.request
fake_bin, work, image_bytes, rounds, warmup = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
layout = f"oci:{work}/image:bench"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url):
    for _ in range(400):
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except urllib.error.HTTPError:
            return  # answering (e.g. 401 on /v2/)
        except OSError:
            time.sleep(0.05)
    sys.exit(f"no server at {url}")


class Server:
    def __init__(self, kind):
        self.kind, self.port, self.dir = kind, free_port(), os.path.join(work, f"data-{kind}-{free_port()}")
        os.makedirs(self.dir)
        log = open(os.path.join(self.dir, "server.log"), "w")
        if kind == "docker-registry":
            storage = os.path.join(self.dir, "storage")
            config = os.path.join(self.dir, "config.yml")
            with open(config, "w") as f:
                f.write(f"""version: 0.1
log: {{level: error, accesslog: {{disabled: true}}}}
storage:
  filesystem: {{rootdirectory: {storage}}}
  cache: {{blobdescriptor: inmemory}}
  maintenance: {{uploadpurging: {{enabled: false}}}}
http: {{addr: "127.0.0.1:{self.port}"}}
""")
            self.proc = subprocess.Popen(["docker-registry", "serve", config], stdout=log, stderr=log)
            wait_http(f"http://127.0.0.1:{self.port}/v2/")
            self.creds = []
        else:
            args = [fake_bin, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--admin", "--log-level", "warning"]
            if kind == "fake-ecr":
                args += ["--data-dir", os.path.join(self.dir, "store")]
            self.proc = subprocess.Popen(args, stdout=log, stderr=log)
            wait_http(f"http://127.0.0.1:{self.port}/_fake/requests")
            aws = ["aws", "--endpoint-url", f"http://127.0.0.1:{self.port}", "ecr"]
            password = subprocess.run(aws + ["get-login-password"], check=True, capture_output=True, text=True).stdout.strip()
            subprocess.run(aws + ["create-repository", "--repository-name", "bench/big"], check=True, capture_output=True)
            self.creds = ["AWS:" + password]

    def copy(self, source, destination, creds_flag, tls_flag):
        command = ["skopeo", "--insecure-policy", "copy", "--quiet", tls_flag]
        if self.creds:
            command += [creds_flag, self.creds[0]]
        start = time.perf_counter()
        subprocess.run(command + [source, destination], check=True, capture_output=True)
        return time.perf_counter() - start

    def round(self, tag):
        ref = f"docker://127.0.0.1:{self.port}/bench/big:{tag}"
        push = self.copy(layout, ref, "--dest-creds", "--dest-tls-verify=false")
        out = os.path.join(work, f"pull-{tag}")
        pull = self.copy(ref, f"dir:{out}", "--src-creds", "--src-tls-verify=false")
        pulled = sum(os.path.getsize(os.path.join(out, name)) for name in os.listdir(out) if name != "version")
        if pulled != image_bytes:
            sys.exit(f"{self.kind}: pulled {pulled} bytes, pushed {image_bytes}")
        shutil.rmtree(out)
        return push, pull

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        shutil.rmtree(self.dir)


kinds = ["fake-ecr", "docker-registry", "fake-ecr-memory"]
times = {kind: {"push": [], "pull": []} for kind in kinds}
for r in range(warmup + rounds):
    order = kinds[r % len(kinds):] + kinds[:r % len(kinds)]
    for kind in order:
        server = Server(kind)
        try:
            push, pull = server.round(f"r{r}")
        finally:
            server.stop()
        label = "warm-up" if r < warmup else f"round {r - warmup + 1}"
        print(f"{label:8s} {kind:16s} push {push:6.3f} s ({image_bytes / push / 1e6:6.1f} MB/s)  pull {pull:6.3f} s ({image_bytes / pull / 1e6:6.1f} MB/s)", file=sys.stderr)
        if r >= warmup:
            times[kind]["push"].append(push)
            times[kind]["pull"].append(pull)

mbps = {kind: {d: image_bytes / statistics.median(t) / 1e6 for d, t in times[kind].items()} for kind in kinds}
print(f"image: {image_bytes / 1e6:.1f} MB (5 gzip'd layers of 10 MiB random bytes), {rounds} rounds, medians")
print(f"{'server':36s} {'push MB/s':>10s} {'pull MB/s':>10s}")
names = {"fake-ecr": "fake-ecr (--data-dir, blobs on disk)", "docker-registry": "docker-registry (filesystem)",
         "fake-ecr-memory": "fake-ecr (in memory)"}
for kind in kinds:
    print(f"{names[kind]:36s} {mbps[kind]['push']:10.1f} {mbps[kind]['pull']:10.1f}")
ratio = {d: mbps["fake-ecr"][d] / mbps["docker-registry"][d] for d in ("push", "pull")}
print(f"fake-ecr / docker-registry: push {ratio['push']:.2f}x, pull {ratio['pull']:.2f}x (goal: >= 1.0x both)")
memory = {d: mbps["fake-ecr-memory"][d] / mbps["docker-registry"][d] for d in ("push", "pull")}
print(f"fake-ecr in memory / docker-registry: push {memory['push']:.2f}x, pull {memory['pull']:.2f}x")
PY
