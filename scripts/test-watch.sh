#!/usr/bin/env bash
# Watch mode through a real terminal: runs `labcheck check --watch` in a tmux session of its own
# against a fake-ecr process seeded empty, creates a repository with the AWS CLI while it runs, and
# checks (capture-pane) that it shows as newly passed within the interval and that `q` stops it.
# Usage: scripts/test-watch.sh [BIN_DIR]   (default: the debug build, .build/debug)
# Needs tmux and aws; exits 0 on success, 1 with the screen on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(cd "${1:-.build/debug}" && pwd)
for tool in tmux aws; do command -v "$tool" >/dev/null || { echo "test-watch: $tool is not installed" >&2; exit 1; }; done
work=$(mktemp -d /tmp/labcheck-watch.XXXXXX)
socket="labcheck-watch-$$"
fake_pid=
cleanup() {
  tmux -L "$socket" kill-server 2>/dev/null || true
  [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$bin/fake-ecr" serve --port 0 --state fixtures/states/fresh.json --default-region ap-northeast-1 >"$work/fake.log" 2>&1 &
fake_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/fake.log" && break; sleep 0.1; done
endpoint=$(sed -n 's/^fake-ecr listening on //p' "$work/fake.log")
[ -n "$endpoint" ] || { echo "test-watch: fake-ecr did not start:"; cat "$work/fake.log"; exit 1; }

cat >"$work/env.sh" <<ENV
export HOME='$work' AWS_CONFIG_FILE='$work/config' AWS_SHARED_CREDENTIALS_FILE='$work/credentials'
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export AWS_REGION=ap-northeast-1 AWS_DEFAULT_REGION=ap-northeast-1 AWS_ENDPOINT_URL='$endpoint' AWS_EC2_METADATA_DISABLED=true
export LANG=C.UTF-8 TERM=xterm-256color
ENV
cat >"$work/watch.sh" <<RUN
. '$work/env.sh'
cd '$work'
'$bin/labcheck' check --watch --interval 2s --phase build --lang en
echo "EXIT=\$?"
sleep 600
RUN
tmux -L "$socket" new-session -d -s watch -x 150 -y 60 "/bin/sh $work/watch.sh"

screen() { tmux -L "$socket" capture-pane -p -t watch; }
# wait_for SECONDS DESCRIPTION COMMAND...: polls the screen until COMMAND (reading it on stdin) succeeds.
wait_for() {
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  while [ $SECONDS -lt $deadline ]; do
    if screen | "$@" >/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "test-watch: FAILED: $what; the screen:"; screen; exit 1
}

wait_for 60 "the first round shows" grep -q "round 1"
screen | head -1 | grep -q "^Next step: repo-aws-lbc" || { echo "test-watch: FAILED: the next step is not at the top"; screen; exit 1; }
screen | grep -q "✗ repo-nginx" || { echo "test-watch: FAILED: repo-nginx is not failing at first"; screen; exit 1; }
screen | grep -q "Score 0/75 (0.0%)" || { echo "test-watch: FAILED: no progress bar and score"; screen; exit 1; }
echo "test-watch: round 1 shown, repo-nginx failing"

(. "$work/env.sh"; aws ecr create-repository --repository-name public.ecr.aws/nginx/nginx >/dev/null)
created=$SECONDS
echo "test-watch: created public.ecr.aws/nginx/nginx with the AWS CLI"
wait_for 20 "repo-nginx shows as newly passed" grep -q "✓ repo-nginx.*★ new"
echo "test-watch: repo-nginx shown as newly passed after $((SECONDS - created)) s (interval 2 s)"
screen | grep -q "Score 5/75 (6.7%)" || { echo "test-watch: FAILED: the score did not change"; screen; exit 1; }

tmux -L "$socket" send-keys -t watch q
wait_for 20 "q stops watch mode (exit 1: not full marks)" grep -q "EXIT=1"
echo "test-watch: q stopped it (exit 1)"
echo "test-watch: passed"
