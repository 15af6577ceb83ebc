#!/usr/bin/env python3
"""Write fixtures/states/*.json (fake-ECR states) and their *.expected.json (per-step results).

The states are what a student's account looks like at each point of the lab, plus tricky cases.
Run from the repository root:  python3 scripts/generate-fixture-states.py
"""
import hashlib
import json
import os

REGION = "ap-northeast-1"
LBC = "public.ecr.aws/eks/aws-load-balancer-controller"
CA = "registry.k8s.io/autoscaling/cluster-autoscaler"
NGINX = "public.ecr.aws/nginx/nginx"
PREFIX = "public-ecr-9641173"
OCI = "application/vnd.oci.image.manifest.v1+json"
DOCKER = "application/vnd.docker.distribution.manifest.v2+json"
STEPS = ["repo-aws-lbc", "repo-cluster-autoscaler", "repo-nginx", "image-aws-lbc", "image-cluster-autoscaler",
         "image-nginx", "cache-rule", "cache-nginx", "cleanup-cache-rule", "cleanup-repositories"]
BUILD = STEPS[:8]


UPSTREAM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "upstream")


def digest(*parts):
    return "sha256:" + hashlib.sha256(":".join(("labcheck-fixture",) + parts).encode()).hexdigest()


def image(repo, *tags, media=OCI, size=2_867_456, pushed="2025-04-02T07:10:00Z"):
    """An image that is none of the upstream images (its digest made up, no manifest)."""
    return {"imageDigest": digest(repo, *tags), "imageTags": list(tags), "imageManifestMediaType": media,
            "imageSizeInBytes": size, "imagePushedAt": pushed}


def upstream_manifest(registry, name, platform=None):
    """The manifest bytes of a fixture upstream image (fixtures/upstream/<registry>, an OCI layout) and its
    digest; with platform, that platform's manifest of an index."""
    layout = os.path.join(UPSTREAM, registry)
    with open(os.path.join(layout, "index.json")) as f:
        entry = next(m for m in json.load(f)["manifests"] if m["annotations"]["org.opencontainers.image.ref.name"] == name)
    def blob(d):
        with open(os.path.join(layout, "blobs", "sha256", d.split(":")[1]), "rb") as f:
            return f.read()
    data, found = blob(entry["digest"]), entry["digest"]
    if platform:
        child = next(m for m in json.loads(data)["manifests"]
                     if f'{m["platform"]["os"]}/{m["platform"]["architecture"]}' == platform)
        data, found = blob(child["digest"]), child["digest"]
    return data.decode(), found


def pushed_image(registry, name, tag, platform=None, pushed="2025-04-02T07:10:00Z"):
    """The upstream image as `docker push` of a pulled image leaves it: its manifest, unchanged."""
    text, found = upstream_manifest(registry, name, platform)
    manifest = json.loads(text)
    size = sum(layer["size"] for layer in manifest.get("layers", [])) + manifest.get("config", {}).get("size", 0)
    return {"imageDigest": found, "imageTags": [tag], "imageManifestMediaType": manifest.get("mediaType", OCI),
            "imageSizeInBytes": size or 1024, "imagePushedAt": pushed, "imageManifest": text}


def other_image(repo, tag, pushed="2025-04-02T07:10:00Z"):
    """Another image under the right tag: an empty layer and a config of its own."""
    config = "sha256:" + hashlib.sha256(f"labcheck-fixture:not-the-upstream:{repo}".encode()).hexdigest()
    empty = "sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4"
    text = json.dumps({"schemaVersion": 2, "mediaType": OCI,
                       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config, "size": 2},
                       "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": empty, "size": 32}]},
                      separators=(",", ":"))
    return {"imageDigest": "sha256:" + hashlib.sha256(text.encode()).hexdigest(), "imageTags": [tag], "imageManifestMediaType": OCI,
            "imageSizeInBytes": 34, "imagePushedAt": pushed, "imageManifest": text}


def repo(name, *images, created="2025-04-02T06:49:07Z"):
    return {"repositoryName": name, "createdAt": created, "imageTagMutability": "MUTABLE", "images": list(images)}


def rule(prefix=PREFIX, url="public.ecr.aws", created="2025-04-02T08:33:25Z"):
    return {"ecrRepositoryPrefix": prefix, "upstreamRegistryUrl": url, "createdAt": created}


def state(repositories=(), rules=(), trail=None):
    registry = {"region": REGION, "repositories": list(repositories), "pullThroughCacheRules": list(rules)}
    if trail is not None:
        registry["trail"] = trail(ACCOUNT)
    return {"schemaVersion": 1, "registries": [registry]}


# CloudTrail records (the `CloudTrailEvent` documents), as the fake and AWS write them; a trail is a
# function of the account, so the class fixtures can place the same history in every student's account.
ACCOUNT = "539666729110"


def event(name, time, params, response=None, error=None, repository=None):
    def make(account):
        record = {"eventTime": time, "eventName": name, "eventSource": "ecr.amazonaws.com",
                  "userIdentity": {"type": "IAMUser", "principalId": "AIDAFIXTURESTUDENT01", "accountId": account,
                                   "arn": f"arn:aws:iam::{account}:user/student", "userName": "student"},
                  "requestParameters": params, "responseElements": response}
        if error:
            record["errorCode"], record["errorMessage"] = error, f"{name} refused"
        if repository:
            record["resources"] = [{"accountId": account, "type": "AWS::ECR::Repository",
                                    "ARN": f"arn:aws:ecr:{REGION}:{account}:repository/{repository}"}]
        return record
    return make


def created_event(name, time):
    return event("CreateRepository", time, {"repositoryName": name},
                 {"repository": {"repositoryName": name}}, repository=name)


def deleted_event(name, time):
    return event("DeleteRepository", time, {"repositoryName": name, "force": True},
                 {"repository": {"repositoryName": name}}, repository=name)


def put_event(name, img, time):
    return event("PutImage", time, {"repositoryName": name, "imageTag": img["imageTags"][0], "imageManifest": img["imageManifest"],
                                    "imageManifestMediaType": img["imageManifestMediaType"]},
                 {"image": {"repositoryName": name, "imageId": {"imageTag": img["imageTags"][0], "imageDigest": img["imageDigest"]}}},
                 repository=name)


def rule_created_event(prefix, time, url="public.ecr.aws"):
    return event("CreatePullThroughCacheRule", time, {"ecrRepositoryPrefix": prefix, "upstreamRegistryUrl": url},
                 {"ecrRepositoryPrefix": prefix, "upstreamRegistryUrl": url, "upstreamRegistry": "ecr-public"})


def rule_deleted_event(prefix, time):
    return event("DeletePullThroughCacheRule", time, {"ecrRepositoryPrefix": prefix},
                 {"ecrRepositoryPrefix": prefix, "upstreamRegistryUrl": "public.ecr.aws"})


def pulled_event(name, tag, time):
    return event("BatchGetImage", time, {"repositoryName": name, "imageIds": [{"imageTag": tag}],
                                         "acceptedMediaTypes": [OCI, DOCKER]}, None, repository=name)


def trail(*events):
    return lambda account: [make(account) for make in events]


def expect(description, passed=(), failed=(), skipped=(), history=(), phase="all"):
    steps = {}
    for step in STEPS:
        if phase == "build" and step not in BUILD:
            continue
        steps[step] = "passed" if step in passed else "failed" if step in failed else "skipped" if step in skipped else None
    missing = [s for s, v in steps.items() if v is None]
    if missing:
        raise SystemExit(f"{description}: no expectation for {missing}")
    document = {"description": description, "phase": phase, "steps": steps}
    if history:
        document["history"] = list(history)
    return document


created = [repo(LBC), repo(CA), repo(NGINX)]
LBC_IMAGE = pushed_image("public.ecr.aws", "eks/aws-load-balancer-controller:v2.9.2", "v2.9.2")
CA_IMAGE = pushed_image("registry.k8s.io", "autoscaling/cluster-autoscaler:v1.32.0", "v1.32.0")
NGINX_IMAGE = pushed_image("public.ecr.aws", "nginx/nginx:1.27", "1.27", platform="linux/amd64")
pushed = [repo(LBC, LBC_IMAGE), repo(CA, CA_IMAGE), repo(NGINX, NGINX_IMAGE)]
# The pull-through cache keeps what the upstream serves for the tag: the index.
cached = repo(f"{PREFIX}/nginx/nginx", pushed_image("public.ecr.aws", "nginx/nginx:1.27", "1.27", pushed="2025-04-02T08:52:00Z"),
              created="2025-04-02T08:52:00Z")
CLEANUP = ["cleanup-cache-rule", "cleanup-repositories"]
complete_build = BUILD


def build_events(prefix=PREFIX, nginx=NGINX_IMAGE, skip_nginx_push=False):
    """The lab's build as CloudTrail records it: the repositories, the pushes, the rule, the pull through the cache."""
    events = [created_event(LBC, "2025-04-02T06:49:07Z"), created_event(CA, "2025-04-02T06:49:30Z"),
              created_event(NGINX, "2025-04-02T06:50:02Z"), put_event(LBC, LBC_IMAGE, "2025-04-02T07:10:00Z"),
              put_event(CA, CA_IMAGE, "2025-04-02T07:20:00Z")]
    if not skip_nginx_push:
        events.append(put_event(NGINX, nginx, "2025-04-02T07:30:00Z"))
    events += [rule_created_event(prefix, "2025-04-02T08:33:25Z"), pulled_event(f"{prefix}/nginx/nginx", "1.27", "2025-04-02T08:52:00Z")]
    return events


def cleanup_events(time="2025-04-02T09:30", prefix=PREFIX, repositories=(LBC, CA, NGINX, f"{PREFIX}/nginx/nginx"), rule=True):
    events = [rule_deleted_event(prefix, f"{time}:00Z")] if rule else []
    return events + [deleted_event(name, f"{time}:{10 + i:02d}Z") for i, name in enumerate(repositories)]


HISTORY_STATES = {
    "cleaned-up-with-history": (state(trail=trail(*build_events(), *cleanup_events())), expect(
        "the whole lab, then everything deleted; no ledger: every step from the CloudTrail history", passed=STEPS)),
    "partly-cleaned-up-with-history": (state([repo(f"{PREFIX}/nginx/nginx")], trail=trail(
        *build_events(), *cleanup_events(repositories=(LBC, CA, NGINX)))), expect(
        "the whole lab, then the rule and three repositories deleted; the cache repository is left",
        passed=BUILD + ["cleanup-cache-rule"], failed=["cleanup-repositories"])),
    "cleaned-up-before-build-finished": (state(trail=trail(
        *build_events(skip_nginx_push=True), *cleanup_events(),
        created_event(NGINX, "2025-04-02T10:00:00Z"), put_event(NGINX, NGINX_IMAGE, "2025-04-02T10:05:00Z"),
        deleted_event(NGINX, "2025-04-02T10:10:00Z"))), expect(
        "cleaned up, then nginx pushed (the build finished after the cleanup), then only nginx deleted: cleanup earns nothing",
        passed=BUILD, failed=CLEANUP)),
    "recreated-after-cleanup": (state([repo(NGINX, created="2025-04-02T11:00:00Z")], trail=trail(
        *build_events(), *cleanup_events(), created_event(NGINX, "2025-04-02T11:00:00Z"))), expect(
        "the whole lab, everything deleted, then the nginx repository created again: cleanup of the repositories fails",
        passed=BUILD + ["cleanup-cache-rule"], failed=["cleanup-repositories"])),
    "wrong-image-with-history": (state(trail=trail(*build_events(nginx=other_image(NGINX, "1.27")), *cleanup_events())), expect(
        "another image pushed as nginx:1.27, then everything deleted: the trail does not make it right",
        passed=[s for s in BUILD if s != "image-nginx"], failed=["image-nginx"], skipped=CLEANUP)),
    "refused-calls-with-history": (state(trail=trail(
        event("CreateRepository", "2025-04-02T06:49:07Z", {"repositoryName": LBC}, error="AccessDeniedException", repository=LBC))),
        expect("only a refused CreateRepository in the history: refused calls are never evidence",
               failed=["repo-aws-lbc", "repo-cluster-autoscaler", "repo-nginx", "cache-rule"],
               skipped=["image-aws-lbc", "image-cluster-autoscaler", "image-nginx", "cache-nginx"] + CLEANUP)),
}

STATES = {
    "fresh": (state(), expect("nothing done yet", failed=["repo-aws-lbc", "repo-cluster-autoscaler", "repo-nginx", "cache-rule"],
                                skipped=["image-aws-lbc", "image-cluster-autoscaler", "image-nginx", "cache-nginx"] + CLEANUP)),
    "after-create": (state(created), expect("repositories created, nothing pushed",
                                            passed=BUILD[:3], failed=["image-aws-lbc", "image-cluster-autoscaler", "image-nginx", "cache-rule"],
                                            skipped=["cache-nginx"] + CLEANUP)),
    "after-push": (state(pushed), expect("images pushed, no cache rule", passed=BUILD[:6], failed=["cache-rule"],
                                         skipped=["cache-nginx"] + CLEANUP)),
    "after-cache": (state(pushed, [rule()]), expect("cache rule made, nginx not pulled through it", passed=BUILD[:7],
                                                    failed=["cache-nginx"], skipped=CLEANUP)),
    "halfway": (state([repo(LBC, LBC_IMAGE), repo(CA), repo(NGINX, NGINX_IMAGE)], [rule()]),
                expect("the demo: repositories made, the cluster-autoscaler image missing, cache rule made, nginx not yet pulled",
                       passed=["repo-aws-lbc", "repo-cluster-autoscaler", "repo-nginx", "image-aws-lbc", "image-nginx", "cache-rule"],
                       failed=["image-cluster-autoscaler", "cache-nginx"], skipped=CLEANUP)),
    "complete": (state(pushed + [cached], [rule()]), expect("every build step done, nothing cleaned up yet",
                                                             passed=BUILD, failed=CLEANUP)),
    "cleaned-up": (state(), expect("after the whole lab: build seen earlier (history), then everything deleted",
                                   passed=STEPS, history=["complete"])),
    "cleaned-up-without-history": (state(), expect("everything deleted but the build was never seen: no cleanup points",
                                                   failed=["repo-aws-lbc", "repo-cluster-autoscaler", "repo-nginx", "cache-rule"],
                                                   skipped=["image-aws-lbc", "image-cluster-autoscaler", "image-nginx", "cache-nginx"] + CLEANUP)),
    "partly-cleaned-up": (state([repo(NGINX, NGINX_IMAGE)]), expect(
        "build seen earlier; the rule is deleted but one repository is left", passed=BUILD + ["cleanup-cache-rule"],
        failed=["cleanup-repositories"], history=["complete"])),
    "wrong-tag": (state([repo(LBC, image(LBC, "v2.9.1"), image(LBC, "latest")), pushed[1], pushed[2]], [rule()]),
                  expect("the load balancer controller pushed as v2.9.1 and latest, not v2.9.2",
                         passed=["repo-aws-lbc", "repo-cluster-autoscaler", "repo-nginx", "image-cluster-autoscaler", "image-nginx", "cache-rule"],
                         failed=["image-aws-lbc", "cache-nginx"], skipped=CLEANUP)),
    "misspelled-repository": (state([pushed[0], pushed[1], repo("public.ecr.aws/nginx/ngnix", NGINX_IMAGE)], [rule()]),
                              expect("nginx repository created as public.ecr.aws/nginx/ngnix",
                                     passed=["repo-aws-lbc", "repo-cluster-autoscaler", "image-aws-lbc", "image-cluster-autoscaler", "cache-rule"],
                                     failed=["repo-nginx", "cache-nginx"], skipped=["image-nginx"] + CLEANUP)),
    "wrong-upstream": (state(pushed, [rule(prefix="k8s-9641173", url="registry.k8s.io")]),
                       expect("the cache rule points at registry.k8s.io instead of public.ecr.aws", passed=BUILD[:6],
                              failed=["cache-rule"], skipped=["cache-nginx"] + CLEANUP)),
    "other-prefix": (state(pushed + [repo("ecr-public/nginx/nginx", cached["images"][0])],
                           [rule(), rule(prefix="ecr-public", created="2025-04-02T08:40:00Z")]),
                     expect("nginx pulled through another rule's prefix (ecr-public), not the lab's public-ecr-<digits>",
                            passed=BUILD[:7], failed=["cache-nginx"], skipped=CLEANUP)),
    "extra-repositories": (state([repo("team/api", image("team/api", "1.0")), repo("sandbox")] + pushed + [cached], [rule()]),
                           expect("the lab complete among unrelated repositories", passed=BUILD, failed=CLEANUP)),
    "two-cache-rules": (state(pushed + [cached], [rule(prefix="public-ecr-1", created="2025-04-01T08:00:00Z"), rule()]),
                        expect("two rules for public.ecr.aws; nginx pulled through the second one", passed=BUILD, failed=CLEANUP)),
    "wrong-image": (state([pushed[0], pushed[1], repo(NGINX, other_image(NGINX, "1.27")), cached], [rule()]),
                    expect("nginx:1.27 pushed, but the image under the tag is not nginx 1.27 from public.ecr.aws",
                           passed=[s for s in BUILD if s != "image-nginx"], failed=["image-nginx"], skipped=CLEANUP)),
}
STATES.update(HISTORY_STATES)

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "states")
os.makedirs(here, exist_ok=True)
for name, (st, ex) in STATES.items():
    with open(os.path.join(here, f"{name}.json"), "w") as f:
        json.dump(st, f, indent=2, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(here, f"{name}.expected.json"), "w") as f:
        json.dump(ex, f, indent=2, ensure_ascii=False)
        f.write("\n")
print(f"wrote {len(STATES)} states to {os.path.normpath(here)}")


# A class of 30 students for `labcheck grade`: one account each, cycling through the states above
# that need no history, all reachable by assuming LabCheckGrader from the instructor's account.
CLASS_STATES = [name for name, (_, ex) in STATES.items() if "history" not in ex]
INSTRUCTOR = {"accountId": "999999999999", "accessKeyId": "AKIAINSTRUCTOR000001",
              "secretAccessKey": "instructor-secret-key-for-the-fake-only", "userName": "instructor"}
roster_lines = ["student_id,name,account_id,role_arn,region,cache_prefix"]
accounts = [INSTRUCTOR]
registries = []
expected_class = {}
# Students whose roster row assigns a cache prefix: s15 is assigned the one they used; s30 cleaned up
# after a lab made with another prefix than the roster assigns (the rule step fails, from the history).
ASSIGNED = {15: (None, PREFIX), 30: ("cleaned-up-with-history", "public-ecr-1111")}
OTHER_PREFIX_STEPS = expect("cleaned up after a lab made with another prefix than the roster's", passed=BUILD[:6],
                            failed=["cache-rule"], skipped=["cache-nginx"] + CLEANUP)["steps"]
for number in range(1, 31):
    student = f"s{number:02d}"
    account = f"1000000000{number:02d}"
    override, prefix = ASSIGNED.get(number, (None, ""))
    state_name = override or CLASS_STATES[(number - 1) % len(CLASS_STATES)]
    role = f"arn:aws:iam::{account}:role/LabCheckGrader"
    roster_lines.append(f"{student},Student {number:02d},{account},{role},{REGION},{prefix}")
    accounts.append({"accountId": account, "accessKeyId": f"AKIASTUDENT0000000{number:02d}",
                     "secretAccessKey": f"student-{number:02d}-secret", "userName": student,
                     # The instructor's account (999999999999) grades: each student's role trusts it.
                     "assumableRoles": [{"arn": role, "trustedAccounts": ["999999999999"]}]})
    # The state's history, moved into the student's account.
    registry = json.loads(json.dumps(STATES[state_name][0]["registries"][0]).replace(ACCOUNT, account))
    registry["accountId"] = account
    registries.append(registry)
    steps = OTHER_PREFIX_STEPS if number == 30 else STATES[state_name][1]["steps"]
    expected_class[student] = {"state": state_name + (f" (roster prefix {prefix})" if prefix else ""), "steps": steps}

class_dir = os.path.join(here, "..", "class")
os.makedirs(class_dir, exist_ok=True)
with open(os.path.join(class_dir, "roster.csv"), "w") as f:
    f.write("\n".join(roster_lines) + "\n")
with open(os.path.join(class_dir, "accounts.json"), "w") as f:
    json.dump({"accounts": accounts}, f, indent=2)
    f.write("\n")
with open(os.path.join(class_dir, "state.json"), "w") as f:
    json.dump({"schemaVersion": 1, "registries": registries}, f, indent=2)
    f.write("\n")
with open(os.path.join(class_dir, "expected.json"), "w") as f:
    json.dump(expected_class, f, indent=2, sort_keys=True)
    f.write("\n")
print(f"wrote a class of 30 students to {os.path.normpath(class_dir)} (states: {', '.join(CLASS_STATES)})")
