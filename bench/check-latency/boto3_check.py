#!/usr/bin/env python3
"""The peer: a minimal boto3 script doing the same checks as `labcheck check` for one student.

Same calls as labcheck (GetCallerIdentity, DescribeRepositories, DescribePullThroughCacheRules,
DescribeImages per graded repository), no reports. Endpoint and region from the environment
(AWS_ENDPOINT_URL, AWS_REGION), as for the AWS CLI.
"""
import re
import sys

import boto3

REPOS = {
    "public.ecr.aws/eks/aws-load-balancer-controller": "v2.9.2",
    "registry.k8s.io/autoscaling/cluster-autoscaler": "v1.32.0",
    "public.ecr.aws/nginx/nginx": "1.27",
}

session = boto3.session.Session()
account = session.client("sts").get_caller_identity()["Account"]
ecr = session.client("ecr")
names = {r["repositoryName"] for page in ecr.get_paginator("describe_repositories").paginate() for r in page["repositories"]}
rules = [r for page in ecr.get_paginator("describe_pull_through_cache_rules").paginate() for r in page["pullThroughCacheRules"]]
prefix = next((r["ecrRepositoryPrefix"] for r in rules
               if r["upstreamRegistryUrl"] == "public.ecr.aws" and re.fullmatch(r"public-ecr-[0-9]+", r["ecrRepositoryPrefix"])), None)
wanted = dict(REPOS)
if prefix:
    wanted[f"{prefix}/nginx/nginx"] = "1.27"
passed = sum(name in names for name in REPOS) + (prefix is not None)
for repo, tag in wanted.items():
    if repo in names:
        tags = {t for page in ecr.get_paginator("describe_images").paginate(repositoryName=repo)
                for d in page["imageDetails"] for t in d.get("imageTags", [])}
        passed += tag in tags
print(f"account {account}: {passed}/8 build steps")
sys.exit(0 if passed == 8 else 1)
