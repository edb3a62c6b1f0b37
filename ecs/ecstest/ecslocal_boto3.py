"""Helpers the boto3 scripts of ecs/ecstest share (boto3_*_test.py).

Each script runs against the ecslocal server at $ECSLOCAL_URL (its clock
stopped: -speed 0) with `import ecslocal_boto3`: Python finds this module
beside the script. check counts the checks; finish prints the line
"boto3: N passed, N failed" that examples/ecslocal's runBoto3 looks for and
exits 1 when a check failed.
"""

import json
import os
import sys
import urllib.parse
import urllib.request

import boto3
import botocore.config
import botocore.exceptions

URL = os.environ["ECSLOCAL_URL"]
_counts = {"passed": 0, "failed": 0}


def check(name, want, got):
    """Compares want and got, prints the outcome and counts it."""
    if want == got:
        _counts["passed"] += 1
        print("ok    " + name)
    else:
        _counts["failed"] += 1
        print("FAIL  %s: want %r, got %r" % (name, want, got))


def finish():
    """Prints the counts and exits, 1 when a check failed."""
    print("boto3: %d passed, %d failed" % (_counts["passed"], _counts["failed"]))
    sys.exit(1 if _counts["failed"] else 0)


def client(service="ecs", region="us-east-1"):
    """A boto3 client of the service at ecslocal, with dummy credentials
    and no retries."""
    return boto3.client(
        service, region_name=region, endpoint_url=URL,
        aws_access_key_id="AKIDECSLOCAL", aws_secret_access_key="ecslocal",
        config=botocore.config.Config(retries={"max_attempts": 1}))


def control(path, body):
    """Posts a JSON body to a control endpoint and returns its answer."""
    req = urllib.request.Request(
        URL + "/_ecslocal/" + path, method="POST", data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as resp:
        return json.load(resp)


def get(path, **query):
    """Gets a control endpoint with the query given and returns its answer."""
    url = URL + "/_ecslocal/" + path
    if query:
        url += "?" + urllib.parse.urlencode(query)
    with urllib.request.urlopen(url) as resp:
        return json.load(resp)


def advance(seconds):
    """Moves the server's clock on by seconds."""
    return control("advance", {"seconds": seconds})


def error_code(call, **kwargs):
    """The error code of call(**kwargs), or "no error" when it succeeds."""
    try:
        call(**kwargs)
    except botocore.exceptions.ClientError as err:
        return err.response["Error"]["Code"]
    return "no error"
