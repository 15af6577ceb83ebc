#!/usr/bin/env bash
# Drives fake-ecr with the real AWS CLI: every control-plane command of the ECR lab, verbatim
# apart from the endpoint (AWS_ENDPOINT_URL), then each ECR error once, checking its __type.
#
# Usage: Tests/cli/aws-cli-control-plane.sh            (starts .build/debug/fake-ecr itself)
#        FAKE_ECR_BIN=/path/to/fake-ecr Tests/cli/aws-cli-control-plane.sh
# Prints "N passed, N failed" and exits non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${FAKE_ECR_BIN:-$root/.build/debug/fake-ecr}"
[[ -x "$bin" ]] || { echo "fake-ecr binary not found at $bin (swift build --product fake-ecr)" >&2; exit 2; }
command -v aws >/dev/null || { echo "aws CLI not installed" >&2; exit 2; }

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
"$bin" serve --host 127.0.0.1 --port "$port" --admin >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
for _ in $(seq 1 100); do
    grep -q "listening on" "$work/server.out" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { echo "fake-ecr exited: $(cat "$work/server.err")" >&2; exit 1; }
    sleep 0.1
done
endpoint="$(sed -n 's/.*listening on //p' "$work/server.out" | head -n1)"
[[ -n "$endpoint" ]] || { echo "fake-ecr did not start" >&2; exit 1; }

# Dummy credentials, no user config, the lab's region.
export AWS_ENDPOINT_URL="$endpoint"
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
unset AWS_SESSION_TOKEN AWS_PROFILE || true
export AWS_DEFAULT_REGION=ap-northeast-1 AWS_REGION=ap-northeast-1
export AWS_CONFIG_FILE="$work/no-config" AWS_SHARED_CREDENTIALS_FILE="$work/no-credentials"
export AWS_PAGER="" AWS_MAX_ATTEMPTS=1 AWS_RETRY_MODE=standard

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
# expect_eq LABEL EXPECTED ACTUAL
expect_eq() { if [[ "$2" == "$3" ]]; then pass "$1"; else fail "$1: expected '$2', got '$3'"; fi; }
# expect_error TYPE command...: the command fails and the CLI names TYPE.
expect_error() {
    local type="$1"; shift
    local out
    if out="$("$@" 2>&1)"; then fail "$type: command succeeded: $*"; return; fi
    if echo "$out" | grep -q "An error occurred ($type)"; then pass "$type"; else fail "$type: got: $out"; fi
}

account=123456789012
registry="$account.dkr.ecr.ap-northeast-1.amazonaws.com"

echo "== build phase: repositories (verbatim lab commands)"
out="$(aws ecr create-repository \
     --repository-name public.ecr.aws/eks/aws-load-balancer-controller )"
expect_eq "create lbc repositoryUri" "$registry/public.ecr.aws/eks/aws-load-balancer-controller" \
    "$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["repository"]["repositoryUri"])')"
expect_eq "create lbc repositoryArn" "arn:aws:ecr:ap-northeast-1:$account:repository/public.ecr.aws/eks/aws-load-balancer-controller" \
    "$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["repository"]["repositoryArn"])')"
expect_eq "create lbc defaults" "MUTABLE AES256 False" \
    "$(echo "$out" | python3 -c 'import json,sys; r=json.load(sys.stdin)["repository"]; print(r["imageTagMutability"], r["encryptionConfiguration"]["encryptionType"], r["imageScanningConfiguration"]["scanOnPush"])')"
aws ecr create-repository \
     --repository-name registry.k8s.io/autoscaling/cluster-autoscaler >/dev/null && pass "create cluster-autoscaler"
aws ecr create-repository \
     --repository-name public.ecr.aws/nginx/nginx >/dev/null && pass "create nginx"
expect_eq "describe-repositories lists 3" "3" \
    "$(aws ecr describe-repositories --query 'length(repositories)' --output text)"
expect_eq "createdAt is a timestamp" "True" \
    "$(aws ecr describe-repositories --repository-names public.ecr.aws/nginx/nginx --output json | python3 -c 'import json,sys; r=json.load(sys.stdin)["repositories"][0]; print(isinstance(r["createdAt"], (int,float)) or "T" in r["createdAt"])')"

echo "== login password (verbatim: aws ecr get-login-password, with and without --region)"
password="$(aws ecr get-login-password)"
[[ -n "$password" && "$password" != *:* ]] && pass "get-login-password has no ':'" || fail "get-login-password: '$password'"
password2="$(aws ecr get-login-password --region ap-northeast-1)"
[[ -n "$password2" ]] && pass "get-login-password --region" || fail "get-login-password --region"
expect_eq "authorization token proxyEndpoint" "$endpoint" \
    "$(aws ecr get-authorization-token --query 'authorizationData[0].proxyEndpoint' --output text)"
expect_eq "authorization token is base64(AWS:<password without ':'>)" "AWS 2" \
    "$(aws ecr get-authorization-token --query 'authorizationData[0].authorizationToken' --output text | base64 -d | awk -F: '{print $1, NF}')"

echo "== images pushed (docker push is the registry data plane: blobs uploaded with curl, manifests with put-image)"
# PutImage refuses layers the repository has not seen: upload the config (100 bytes) and the layer
# (1000 bytes) over /v2/ first, as docker push does, with the password of get-login-password.
head -c 100 /dev/zero | tr '\0' c >"$work/config.blob"
head -c 1000 /dev/zero | tr '\0' l >"$work/layer.blob"
config_digest="sha256:$(sha256sum "$work/config.blob" | cut -d' ' -f1)"
layer_digest="sha256:$(sha256sum "$work/layer.blob" | cut -d' ' -f1)"
registry_password="$(aws ecr get-login-password)"
upload_blobs() {
    for blob in config layer; do
        local blob_digest="$config_digest"
        [[ "$blob" == layer ]] && blob_digest="$layer_digest"
        curl -fsS -u "AWS:$registry_password" -X POST --data-binary "@$work/$blob.blob" \
            "$endpoint/v2/$1/blobs/uploads/?digest=$blob_digest" >/dev/null
    done
}
upload_blobs registry.k8s.io/autoscaling/cluster-autoscaler && upload_blobs public.ecr.aws/nginx/nginx && pass "blobs uploaded over /v2/"
cat >"$work/manifest.json" <<JSON
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"$config_digest","size":100},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"$layer_digest","size":1000}]}
JSON
digest="sha256:$(sha256sum "$work/manifest.json" | cut -d' ' -f1)"
# put-image sends the file's text; the CLI keeps the trailing newline, so hash exactly what is sent.
expect_eq "put-image digest" "$digest" \
    "$(aws ecr put-image --repository-name registry.k8s.io/autoscaling/cluster-autoscaler --image-tag v1.32.0 \
        --image-manifest "file://$work/manifest.json" --query 'image.imageId.imageDigest' --output text)"
expect_eq "put-image 1.27 nginx" "1.27" \
    "$(aws ecr put-image --repository-name public.ecr.aws/nginx/nginx --image-tag 1.27 \
        --image-manifest "file://$work/manifest.json" --query 'image.imageId.imageTag' --output text)"
# The lab deletes this exact digest later: seed it as docker push would have left it.
curl -fsS "$endpoint/_fake/state" | python3 -c '
import json, sys
state = json.load(sys.stdin)
for registry in state["registries"]:
    for repository in registry["repositories"]:
        if repository["repositoryName"] == "public.ecr.aws/eks/aws-load-balancer-controller":
            repository["images"] = [{"imageDigest": "sha256:165f67c8f8cffbeadb70b51558091cc7fa1c7246ed173de7a5a76a67eec092cc",
                                     "imageTags": ["v2.9.2"], "imageSizeInBytes": 31457280}]
json.dump(state, sys.stdout)' >"$work/state.json"
curl -fsS -X PUT --data-binary "@$work/state.json" "$endpoint/_fake/state" >/dev/null && pass "state seeded through /_fake/state"
expect_eq "list-images lbc" "v2.9.2" \
    "$(aws ecr list-images --repository-name public.ecr.aws/eks/aws-load-balancer-controller --query 'imageIds[0].imageTag' --output text)"
expect_eq "describe-images size" "1100" \
    "$(aws ecr describe-images --repository-name public.ecr.aws/nginx/nginx --image-ids imageTag=1.27 --query 'imageDetails[0].imageSizeInBytes' --output text)"
expect_eq "describe-images tagged filter" "1" \
    "$(aws ecr describe-images --repository-name public.ecr.aws/nginx/nginx --filter tagStatus=TAGGED --query 'length(imageDetails)' --output text)"
expect_eq "batch-get-image manifest media type" "application/vnd.oci.image.manifest.v1+json" \
    "$(aws ecr batch-get-image --repository-name public.ecr.aws/nginx/nginx --image-ids imageTag=1.27 --query 'images[0].imageManifestMediaType' --output text)"

echo "== pull through cache (verbatim lab command)"
out="$(aws ecr create-pull-through-cache-rule \
    --upstream-registry-url public.ecr.aws \
    --ecr-repository-prefix public-ecr-9641173)"
expect_eq "create-pull-through-cache-rule upstreamRegistry" "ecr-public" \
    "$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["upstreamRegistry"])')"
expect_eq "describe-pull-through-cache-rules" "public-ecr-9641173 public.ecr.aws" \
    "$(aws ecr describe-pull-through-cache-rules --query 'pullThroughCacheRules[0].[ecrRepositoryPrefix,upstreamRegistryUrl]' --output text | tr '\t' ' ')"
expect_eq "validate-pull-through-cache-rule" "True" \
    "$(aws ecr validate-pull-through-cache-rule --ecr-repository-prefix public-ecr-9641173 --query isValid --output text)"
# docker pull through the cache creates <prefix>/nginx/nginx (data plane: simulated).
aws ecr create-repository --repository-name public-ecr-9641173/nginx/nginx >/dev/null
upload_blobs public-ecr-9641173/nginx/nginx
aws ecr put-image --repository-name public-ecr-9641173/nginx/nginx --image-tag 1.27 --image-manifest "file://$work/manifest.json" >/dev/null \
    && pass "cache repository public-ecr-9641173/nginx/nginx holds 1.27"

echo "== other control-plane commands"
expect_eq "put-image-tag-mutability" "IMMUTABLE" \
    "$(aws ecr put-image-tag-mutability --repository-name public.ecr.aws/nginx/nginx --image-tag-mutability IMMUTABLE --query imageTagMutability --output text)"
expect_eq "put-image-scanning-configuration" "True" \
    "$(aws ecr put-image-scanning-configuration --repository-name public.ecr.aws/nginx/nginx --image-scanning-configuration scanOnPush=true --query imageScanningConfiguration.scanOnPush --output text)"
lifecycle='{"rules":[{"rulePriority":1,"description":"expire untagged images","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}'
aws ecr put-lifecycle-policy --repository-name public.ecr.aws/nginx/nginx --lifecycle-policy-text "$lifecycle" >/dev/null && pass "put-lifecycle-policy"
expect_eq "get-lifecycle-policy" "$lifecycle" \
    "$(aws ecr get-lifecycle-policy --repository-name public.ecr.aws/nginx/nginx --query lifecyclePolicyText --output text)"
aws ecr delete-lifecycle-policy --repository-name public.ecr.aws/nginx/nginx >/dev/null && pass "delete-lifecycle-policy"
policy='{"Version":"2012-10-17","Statement":[{"Sid":"AllowPull","Effect":"Allow","Principal":"*","Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}]}'
aws ecr set-repository-policy --repository-name public.ecr.aws/nginx/nginx --policy-text "$policy" >/dev/null && pass "set-repository-policy"
expect_eq "get-repository-policy" "$policy" \
    "$(aws ecr get-repository-policy --repository-name public.ecr.aws/nginx/nginx --query policyText --output text)"
aws ecr delete-repository-policy --repository-name public.ecr.aws/nginx/nginx >/dev/null && pass "delete-repository-policy"
arn="arn:aws:ecr:ap-northeast-1:$account:repository/public.ecr.aws/nginx/nginx"
aws ecr tag-resource --resource-arn "$arn" --tags Key=course,Value=eks Key=lab,Value=ecr && pass "tag-resource"
aws ecr untag-resource --resource-arn "$arn" --tag-keys lab && pass "untag-resource"
expect_eq "list-tags-for-resource" "course=eks" \
    "$(aws ecr list-tags-for-resource --resource-arn "$arn" --query 'tags[0].[Key,Value]' --output text | tr '\t' '=')"
expect_eq "describe-registry" "$account" "$(aws ecr describe-registry --query registryId --output text)"
expect_eq "update-pull-through-cache-rule" "arn:aws:secretsmanager:ap-northeast-1:$account:secret:ecr-pullthroughcache/x-1a2b3c" \
    "$(aws ecr update-pull-through-cache-rule --ecr-repository-prefix public-ecr-9641173 \
        --credential-arn "arn:aws:secretsmanager:ap-northeast-1:$account:secret:ecr-pullthroughcache/x-1a2b3c" --query credentialArn --output text)"
expect_eq "sts get-caller-identity" "$account" "$(aws sts get-caller-identity --query Account --output text)"
expect_eq "sts assume-role" "arn:aws:sts::210987654321:assumed-role/LabCheckGrader/grading" \
    "$(aws sts assume-role --role-arn arn:aws:iam::210987654321:role/LabCheckGrader --role-session-name grading --query AssumedRoleUser.Arn --output text)"

echo "== each error once"
expect_error RepositoryAlreadyExistsException aws ecr create-repository --repository-name public.ecr.aws/nginx/nginx
expect_error InvalidParameterException aws ecr create-repository --repository-name Public.ECR.aws/UPPER
expect_error RepositoryNotFoundException aws ecr describe-repositories --repository-names does/not/exist
expect_error RepositoryNotEmptyException aws ecr delete-repository --repository-name public.ecr.aws/nginx/nginx
expect_error ImageNotFoundException aws ecr describe-images --repository-name public.ecr.aws/nginx/nginx --image-ids imageTag=9.99
expect_error ImageTagAlreadyExistsException aws ecr put-image --repository-name public.ecr.aws/nginx/nginx --image-tag 1.27 \
    --image-manifest '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"'"$config_digest"'","size":100},"layers":[]}'
expect_error ImageAlreadyExistsException aws ecr put-image --repository-name registry.k8s.io/autoscaling/cluster-autoscaler --image-tag v1.32.0 \
    --image-manifest "file://$work/manifest.json"
expect_error LayersNotFoundException aws ecr put-image --repository-name public.ecr.aws/nginx/nginx --image-tag 9.99 \
    --image-manifest '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","size":1},"layers":[]}'
expect_error PullThroughCacheRuleAlreadyExistsException aws ecr create-pull-through-cache-rule --upstream-registry-url public.ecr.aws --ecr-repository-prefix public-ecr-9641173
expect_error PullThroughCacheRuleNotFoundException aws ecr delete-pull-through-cache-rule --ecr-repository-prefix no-such-prefix
expect_error UnsupportedUpstreamRegistryException aws ecr create-pull-through-cache-rule --upstream-registry-url example.com --ecr-repository-prefix example
expect_error UnsupportedUpstreamRegistryException aws ecr create-pull-through-cache-rule --upstream-registry-url registry-1.docker.io --ecr-repository-prefix docker-hub
expect_error ValidationException aws ecr create-pull-through-cache-rule --upstream-registry-url quay.io --ecr-repository-prefix Bad_Prefix
expect_error LifecyclePolicyNotFoundException aws ecr get-lifecycle-policy --repository-name public.ecr.aws/nginx/nginx
expect_error RepositoryPolicyNotFoundException aws ecr get-repository-policy --repository-name public.ecr.aws/nginx/nginx
# What the CLI never sends by itself: an unknown operation and a malformed body.
type_of() { python3 -c 'import json,sys; print(json.load(sys.stdin).get("__type"))'; }
expect_eq "UnknownOperationException" "UnknownOperationException" "$(curl -sS -X POST "$endpoint/" \
    -H 'X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.MakeCoffee' -H 'Content-Type: application/x-amz-json-1.1' -d '{}' | type_of)"
expect_eq "SerializationException" "SerializationException" "$(curl -sS -X POST "$endpoint/" \
    -H 'X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.CreateRepository' -H 'Content-Type: application/x-amz-json-1.1' -d '{oops' | type_of)"

echo "== cleanup phase (verbatim lab commands)"
aws ecr delete-pull-through-cache-rule \
 --ecr-repository-prefix public-ecr-9641173 >/dev/null && pass "delete-pull-through-cache-rule"
expect_eq "batch-delete-image" "sha256:165f67c8f8cffbeadb70b51558091cc7fa1c7246ed173de7a5a76a67eec092cc" \
    "$(aws ecr batch-delete-image --repository-name public.ecr.aws/eks/aws-load-balancer-controller --image-ids imageDigest=sha256:165f67c8f8cffbeadb70b51558091cc7fa1c7246ed173de7a5a76a67eec092cc --query 'imageIds[0].imageDigest' --output text)"
aws ecr delete-repository --repository-name public.ecr.aws/eks/aws-load-balancer-controller --force >/dev/null && pass "delete-repository lbc --force"
aws ecr delete-repository --repository-name registry.k8s.io/autoscaling/cluster-autoscaler --force >/dev/null && pass "delete-repository cluster-autoscaler --force"
aws ecr delete-repository --repository-name public.ecr.aws/nginx/nginx --force >/dev/null && pass "delete-repository nginx --force"
aws ecr delete-repository --repository-name public-ecr-9641173/nginx/nginx --force >/dev/null && pass "delete-repository cache repository --force"
expect_eq "no repositories left" "0" "$(aws ecr describe-repositories --query 'length(repositories)' --output text)"
expect_eq "no rules left" "0" "$(aws ecr describe-pull-through-cache-rules --query 'length(pullThroughCacheRules)' --output text)"
expect_eq "request counters" "3" "$(curl -fsS "$endpoint/_fake/requests" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ecr:DeletePullThroughCacheRule"] + 1)')"

echo "$passed passed, $failed failed"
[[ "$failed" -eq 0 ]]
