#!/usr/bin/env python3
"""boto3 against fake-ecr: get_paginator('describe_repositories') over 250 repositories.

Usage: Tests/cli/boto3_paging.py [--endpoint URL]
Without --endpoint it starts .build/debug/fake-ecr (or $FAKE_ECR_BIN) on a free port.
Prints "N passed, N failed"; exits non-zero on any failure.
"""
import argparse
import os
import pathlib
import socket
import subprocess
import sys
import tempfile
import time

import boto3
from botocore.config import Config

ROOT = pathlib.Path(__file__).resolve().parents[2]
COUNT = 250


def start_server():
    binary = os.environ.get("FAKE_ECR_BIN", str(ROOT / ".build/debug/fake-ecr"))
    if not os.access(binary, os.X_OK):
        sys.exit(f"fake-ecr binary not found at {binary} (swift build --product fake-ecr)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = tempfile.NamedTemporaryFile(prefix="fake-ecr-", suffix=".out", delete=False)
    process = subprocess.Popen([binary, "serve", "--port", str(port)], stdout=out, stderr=subprocess.DEVNULL)
    for _ in range(100):
        text = pathlib.Path(out.name).read_text()
        if "listening on " in text:
            return process, text.split("listening on ", 1)[1].split()[0]
        if process.poll() is not None:
            sys.exit(f"fake-ecr exited with {process.returncode}")
        time.sleep(0.1)
    process.kill()
    sys.exit("fake-ecr did not start")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint")
    args = parser.parse_args()
    process = None
    endpoint = args.endpoint
    if not endpoint:
        process, endpoint = start_server()
    passed = failed = 0

    def check(label, ok, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
            print(f"ok   {label}")
        else:
            failed += 1
            print(f"FAIL {label} {detail}")

    try:
        session = boto3.session.Session(
            aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
            aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            region_name="ap-northeast-1",
        )
        ecr = session.client("ecr", endpoint_url=endpoint, config=Config(retries={"max_attempts": 1}))
        names = [f"paging/repo-{index:03d}" for index in range(COUNT)]
        for name in names:
            ecr.create_repository(repositoryName=name)
        check(f"created {COUNT} repositories", True)

        pages = list(ecr.get_paginator("describe_repositories").paginate())
        seen = [r["repositoryName"] for page in pages for r in page["repositories"]]
        check("default pages hold at most 100", all(len(p["repositories"]) <= 100 for p in pages), [len(p["repositories"]) for p in pages])
        check("3 pages by default", len(pages) == 3, len(pages))
        check(f"all {COUNT} repositories, once each", sorted(seen) == sorted(names), f"{len(seen)} seen, {len(set(seen))} distinct")

        small = list(ecr.get_paginator("describe_repositories").paginate(PaginationConfig={"PageSize": 7}))
        seen_small = [r["repositoryName"] for page in small for r in page["repositories"]]
        check("PageSize 7: 36 pages", len(small) == 36, len(small))
        check("PageSize 7: all repositories once", sorted(seen_small) == sorted(names))

        capped = ecr.get_paginator("describe_repositories").paginate(PaginationConfig={"MaxItems": 120, "PageSize": 50}).build_full_result()
        check("MaxItems 120 with a resume token", len(capped["repositories"]) == 120 and "NextToken" in capped, list(capped.keys()))
        rest = ecr.get_paginator("describe_repositories").paginate(
            PaginationConfig={"StartingToken": capped["NextToken"], "PageSize": 50}).build_full_result()
        check("resume from the token gets the other 130",
              sorted(r["repositoryName"] for r in capped["repositories"] + rest["repositories"]) == sorted(names))

        uri = ecr.describe_repositories(repositoryNames=[names[0]])["repositories"][0]["repositoryUri"]
        check("repositoryUri", uri == f"123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/{names[0]}", uri)
        try:
            ecr.describe_repositories(repositoryNames=["paging/missing"])
            check("RepositoryNotFoundException", False, "no error")
        except ecr.exceptions.RepositoryNotFoundException as error:
            check("RepositoryNotFoundException as a modeled boto3 exception", "paging/missing" in str(error))
    finally:
        if process:
            process.terminate()
            process.wait(timeout=10)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
