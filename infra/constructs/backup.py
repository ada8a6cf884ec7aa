"""AWS Backup for the tables: daily, weekly and monthly (five years) recovery points in a KMS vault."""

from __future__ import annotations

from collections.abc import Iterable

from aws_cdk import RemovalPolicy
from aws_cdk import aws_backup as backup
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms
from constructs import Construct

from infra.nag import acknowledge


class TableBackups(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, tables: Iterable[dynamodb.TableV2], key: kms.IKey
    ) -> None:
        super().__init__(scope, construct_id)
        self.vault = backup.BackupVault(self, "Vault", encryption_key=key, removal_policy=RemovalPolicy.RETAIN)
        self.plan = backup.BackupPlan.daily_weekly_monthly5_year_retention(self, "Plan", self.vault)
        selection = self.plan.add_selection(
            "Tables", resources=[backup.BackupResource.from_arn(table.table_arn) for table in tables]
        )
        acknowledge(
            selection,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
            "AWSBackupServiceRolePolicyForBackup]",
            "AWS Backup assumes this role only to snapshot the selected tables; "
            "AWSBackupServiceRolePolicyForBackup is the AWS-maintained least-privilege policy for that service role.",
        )
