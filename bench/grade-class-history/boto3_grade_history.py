#!/usr/bin/env python3
"""The peer of `labcheck grade --since`: grade a class after cleanup from CloudTrail alone with boto3, making the
lookups labcheck makes (HistoryReader: EventName = CreateRepository, DeleteRepository, CreatePullThroughCacheRule,
DeletePullThroughCacheRule, PutImage, and ResourceName = the cache repository; every page of each) after AssumeRole
and GetCallerIdentity, serially or with a thread pool (--threads N). CloudTrail's quota (2 LookupEvents per
second per account) is met the way a boto3 script meets it: botocore's own retries on ThrottlingException
(the "standard" retry mode, up to 10 attempts). Endpoint from AWS_ENDPOINT_URL, instructor keys from the environment.
    boto3_grade_history.py ROSTER [--threads N] [--since 2025-01-01]"""
import argparse
import concurrent.futures
import csv
import datetime
import json

import boto3
import botocore.config

EVENTS = ["CreateRepository", "DeleteRepository", "CreatePullThroughCacheRule", "DeletePullThroughCacheRule", "PutImage"]
RETRIES = botocore.config.Config(retries={"mode": "standard", "max_attempts": 10})


def lookup(trail, key, value, start):
    pages = trail.get_paginator("lookup_events").paginate(
        LookupAttributes=[{"AttributeKey": key, "AttributeValue": value}], StartTime=start)
    return [event for page in pages for event in page["Events"]]


def grade(row, start):
    base = boto3.session.Session()
    creds = base.client("sts").assume_role(RoleArn=row["role_arn"], RoleSessionName="labcheck-" + row["student_id"])["Credentials"]
    session = boto3.session.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                                    aws_session_token=creds["SessionToken"], region_name=row["region"])
    session.client("sts").get_caller_identity()
    trail = session.client("cloudtrail", config=RETRIES)
    events = {name: lookup(trail, "EventName", name, start) for name in EVENTS}
    created = {json.loads(e["CloudTrailEvent"]).get("requestParameters", {}).get("repositoryName") for e in events["CreateRepository"]}
    prefixes = [json.loads(e["CloudTrailEvent"]).get("requestParameters", {}).get("ecrRepositoryPrefix")
                for e in events["CreatePullThroughCacheRule"]]
    prefix = next((p for p in prefixes if p), "public-ecr")
    cache = lookup(trail, "ResourceName", f"{prefix}/nginx/nginx", start)
    score = len(created - {None}) + bool(prefixes) + bool(events["PutImage"]) + bool(cache) + bool(events["DeleteRepository"])
    return row["student_id"], score


parser = argparse.ArgumentParser()
parser.add_argument("roster")
parser.add_argument("--threads", type=int, default=0)
parser.add_argument("--since", default="2025-01-01")
args = parser.parse_args()
since = datetime.datetime.fromisoformat(args.since).replace(tzinfo=datetime.timezone.utc)
rows = list(csv.DictReader(open(args.roster)))
if args.threads:
    with concurrent.futures.ThreadPoolExecutor(args.threads) as pool:
        results = list(pool.map(lambda row: grade(row, since), rows))
else:
    results = [grade(row, since) for row in rows]
print(f"graded {len(results)} students")
