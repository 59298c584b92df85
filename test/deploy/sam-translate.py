"""Transforms a SAM template to plain CloudFormation, as CloudFormation's SAM transform does.

Usage: python3 sam-translate.py TEMPLATE > transformed.json

Needs no AWS account: the managed-policy loader answers from an empty map (the template names
no managed policies; a template that did would fail here, which is what we want), and CodeUri
is replaced by the S3 location `sam deploy` would have uploaded the build to, because the
transform only accepts code that is already in S3.
"""

import json
import os
import sys

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class NoManagedPolicies:
    """Stands in for the loader that asks IAM for the ARNs of AWS managed policies."""

    def load(self):
        return {}


def packaged(template):
    """What `sam package` leaves behind: every function's code in S3."""
    for resource in template.get("Resources", {}).values():
        if resource.get("Type") == "AWS::Serverless::Function":
            resource.setdefault("Properties", {})["CodeUri"] = "s3://packaged-code/root-monitor.zip"
    return template


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: sam-translate.py TEMPLATE")
    # The transform resolves AWS::Region through boto3; the stack is meant for us-east-1.
    os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
    with open(sys.argv[1], encoding="utf-8") as source:
        template = packaged(yaml_parse(source.read()))
    print(json.dumps(transform(template, {}, NoManagedPolicies()), indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
