# Sourced by the class benchmarks: start_class_fake BIN WORK [fake-ecr serve options…] starts BIN/fake-ecr on a
# free loopback port with WORK/class/{state,accounts}.json (--auth sigv4, the admin API), waits until it answers,
# stops it and removes WORK on exit, and exports the instructor's AWS settings for labcheck. Sets port, admin_token.
start_class_fake() {
  local bin=$1 work=$2
  shift 2
  # The admin API (request counters) under --auth sigv4 wants a bearer token.
  admin_token="bench-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  "$bin/fake-ecr" serve --host 127.0.0.1 --port "$port" --state "$work/class/state.json" --accounts "$work/class/accounts.json" \
    --auth sigv4 --admin --admin-token "$admin_token" --default-region ap-northeast-1 --log-level error "$@" >/dev/null 2>&1 &
  class_fake_pid=$!
  class_fake_work=$work
  trap 'kill $class_fake_pid 2>/dev/null || true; rm -rf "$class_fake_work"' EXIT
  for _ in $(seq 100); do curl -fs -H "Authorization: Bearer $admin_token" "http://127.0.0.1:$port/_fake/requests" >/dev/null 2>&1 && break; sleep 0.1; done
  export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_REGION=ap-northeast-1 AWS_DEFAULT_REGION=ap-northeast-1 AWS_ACCESS_KEY_ID=AKIAINSTRUCTOR000001 \
         AWS_SECRET_ACCESS_KEY=instructor-secret AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null \
         AWS_SHARED_CREDENTIALS_FILE=/dev/null NO_COLOR=1
}
