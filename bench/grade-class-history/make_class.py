#!/usr/bin/env python3
"""Write a class of N students graded after cleanup (roster, fake-ecr accounts file, fake-ecr state) into DIR:
every account empty, its lab only in its CloudTrail history (fixtures/states/cleaned-up-with-history.json,
the records moved into the student's account)."""
import json
import os
import sys

count, out = int(sys.argv[1]), sys.argv[2]
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
template = open(os.path.join(root, "fixtures", "states", "cleaned-up-with-history.json")).read()
FIXTURE_ACCOUNT = "539666729110"
os.makedirs(out, exist_ok=True)
roster = ["student_id,name,account_id,role_arn,region"]
accounts = [{"accountId": "999999999999", "accessKeyId": "AKIAINSTRUCTOR000001", "secretAccessKey": "instructor-secret"}]
registries = []
for number in range(1, count + 1):
    account = f"{100000000000 + number:012d}"
    role = f"arn:aws:iam::{account}:role/LabCheckGrader"
    roster.append(f"s{number:03d},Student {number},{account},{role},ap-northeast-1")
    accounts.append({"accountId": account, "accessKeyId": f"AKIASTUDENT{number:09d}", "secretAccessKey": f"s{number}",
                     "assumableRoles": [{"arn": role, "trustedAccounts": ["999999999999"]}]})
    registry = json.loads(template.replace(FIXTURE_ACCOUNT, account))["registries"][0]
    registry["accountId"] = account
    registries.append(registry)
open(os.path.join(out, "roster.csv"), "w").write("\n".join(roster) + "\n")
json.dump({"accounts": accounts}, open(os.path.join(out, "accounts.json"), "w"))
json.dump({"schemaVersion": 1, "registries": registries}, open(os.path.join(out, "state.json"), "w"))
