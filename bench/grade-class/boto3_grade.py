#!/usr/bin/env python3
"""The peer: grade a roster with boto3, doing the same checks as labcheck (AssumeRole, GetCallerIdentity,
DescribeRepositories, DescribePullThroughCacheRules, DescribeImages per graded repository) — serially,
or with a thread pool (--threads N). Endpoint from AWS_ENDPOINT_URL, instructor keys from the environment."""
import argparse
import concurrent.futures
import csv
import re

import boto3

REPOS = {"public.ecr.aws/eks/aws-load-balancer-controller": "v2.9.2",
         "registry.k8s.io/autoscaling/cluster-autoscaler": "v1.32.0", "public.ecr.aws/nginx/nginx": "1.27"}


def grade(row):
    base = boto3.session.Session()
    creds = base.client("sts").assume_role(RoleArn=row["role_arn"], RoleSessionName="labcheck-" + row["student_id"])["Credentials"]
    session = boto3.session.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                                    aws_session_token=creds["SessionToken"], region_name=row["region"])
    session.client("sts").get_caller_identity()
    ecr = session.client("ecr")
    names = {r["repositoryName"] for p in ecr.get_paginator("describe_repositories").paginate() for r in p["repositories"]}
    rules = [r for p in ecr.get_paginator("describe_pull_through_cache_rules").paginate() for r in p["pullThroughCacheRules"]]
    prefix = next((r["ecrRepositoryPrefix"] for r in rules if r["upstreamRegistryUrl"] == "public.ecr.aws"
                   and re.fullmatch(r"public-ecr-[0-9]+", r["ecrRepositoryPrefix"])), None)
    wanted = dict(REPOS)
    if prefix:
        wanted[f"{prefix}/nginx/nginx"] = "1.27"
    score = sum(n in names for n in REPOS) + (prefix is not None)
    for repo, tag in wanted.items():
        if repo in names:
            tags = {t for p in ecr.get_paginator("describe_images").paginate(repositoryName=repo)
                    for d in p["imageDetails"] for t in d.get("imageTags", [])}
            score += tag in tags
    return row["student_id"], score


parser = argparse.ArgumentParser()
parser.add_argument("roster")
parser.add_argument("--threads", type=int, default=0)
args = parser.parse_args()
rows = list(csv.DictReader(open(args.roster)))
if args.threads:
    with concurrent.futures.ThreadPoolExecutor(args.threads) as pool:
        results = list(pool.map(grade, rows))
else:
    results = [grade(row) for row in rows]
print(f"graded {len(results)} students")
