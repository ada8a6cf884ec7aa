"""Creates the first admin of a deployed stack (the local stack does the same at start).

    python -m infra.create_admin --stack RpmBackend --region eu-west-1 --email you@example.org

Reads the user pool and the Users table from the stack's outputs, asks for the password
(or takes ``RPM_ADMIN_PASSWORD``), and calls ``rpm_core.services.accounts.create_admin``.
"""

from __future__ import annotations

import argparse
import getpass
import os

import boto3

from infra.paths import use_lambda_paths

OUTPUT_ENV = {"UserPoolId": "USER_POOL_ID", "UserPoolClientId": "USER_POOL_CLIENT_ID", "UsersTableName": "TABLE_USERS"}


def stack_outputs(stack: str, region: str) -> dict[str, str]:
    described = boto3.client("cloudformation", region_name=region).describe_stacks(StackName=stack)
    return {output["OutputKey"]: output["OutputValue"] for output in described["Stacks"][0].get("Outputs", [])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stack", default="RpmBackend")
    parser.add_argument("--region", default=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION"))
    parser.add_argument("--email", required=True)
    parser.add_argument("--name", default="Administrator")
    arguments = parser.parse_args()
    if not arguments.region:
        parser.error("--region is required (or AWS_REGION)")
    outputs = stack_outputs(arguments.stack, arguments.region)
    missing = [key for key in OUTPUT_ENV if key not in outputs]
    if missing:
        parser.error(f"stack {arguments.stack} lacks outputs {missing}")
    os.environ.update({env: outputs[key] for key, env in OUTPUT_ENV.items()})
    os.environ["AWS_REGION"] = arguments.region
    password = os.environ.get("RPM_ADMIN_PASSWORD") or getpass.getpass("Password for the first admin: ")
    use_lambda_paths()
    from rpm_core.services.accounts import create_admin

    user_id, created = create_admin(arguments.email, password, arguments.name)
    print(f"{'Created' if created else 'Already present'}: admin {arguments.email} (user id {user_id})")


if __name__ == "__main__":
    main()
