#!/usr/bin/env python3
"""Write a class of N students (roster, fake-ecr accounts file, fake-ecr state) into DIR,
cycling through the fixture states that need no history (no ledger, no CloudTrail), like fixtures/class/ but larger;
with STATE, every student in that fixture state (its CloudTrail records moved into the student's account).
    make_class.py N DIR [STATE]"""
import json
import os
import sys

count, out = int(sys.argv[1]), sys.argv[2]
only = sys.argv[3] if len(sys.argv) > 3 else None
FIXTURE_ACCOUNT = "539666729110"
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
states_dir = os.path.join(root, "fixtures", "states")
names = sorted(n[:-len(".expected.json")] for n in os.listdir(states_dir) if n.endswith(".expected.json"))
names = [n for n in names if "history" not in json.load(open(os.path.join(states_dir, n + ".expected.json")))
         and not any("trail" in r for r in json.load(open(os.path.join(states_dir, n + ".json")))["registries"])]
if only:
    names = [only]
os.makedirs(out, exist_ok=True)
roster = ["student_id,name,account_id,role_arn,region"]
accounts = [{"accountId": "999999999999", "accessKeyId": "AKIAINSTRUCTOR000001", "secretAccessKey": "instructor-secret"}]
registries = []
for number in range(1, count + 1):
    account = f"{100000000000 + number:012d}"
    role = f"arn:aws:iam::{account}:role/LabCheckGrader"
    roster.append(f"s{number:03d},Student {number},{account},{role},ap-northeast-1")
    # Each student's grader role trusts the instructor's account.
    accounts.append({"accountId": account, "accessKeyId": f"AKIASTUDENT{number:09d}", "secretAccessKey": f"s{number}",
                     "assumableRoles": [{"arn": role, "trustedAccounts": ["999999999999"]}]})
    text = open(os.path.join(states_dir, names[(number - 1) % len(names)] + ".json")).read()
    state = json.loads(text.replace(FIXTURE_ACCOUNT, account))
    registry = state["registries"][0]
    registry["accountId"] = account
    registries.append(registry)
open(os.path.join(out, "roster.csv"), "w").write("\n".join(roster) + "\n")
json.dump({"accounts": accounts}, open(os.path.join(out, "accounts.json"), "w"))
json.dump({"schemaVersion": 1, "registries": registries}, open(os.path.join(out, "state.json"), "w"))
