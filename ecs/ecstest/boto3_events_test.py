#!/usr/bin/env python3
"""boto3 against ecslocal's EventBridge API: a scheduled task, as the AWS
docs make one (an EventBridge rule with a schedule expression and an ECS
target), runs on ecslocal's virtual clock: every 5 minutes is 12 runs in
an hour. The rule and target operations answer as EventBridge does.

    ECSLOCAL_URL=http://127.0.0.1:PORT python3 ecs/ecstest/boto3_events_test.py

The server must run with its clock stopped (-speed 0) and a cluster called
"default". It ends with the line "boto3: N passed, N failed" and exits 1
when a check failed.
"""
from ecslocal_boto3 import advance, check, client, error_code, finish

ecs = client("ecs")
events = client("events")

ecs.register_container_instance(cluster="default", attributes=[
    {"name": "ecs.instance-type", "value": "c5.xlarge"},
    {"name": "ecs.availability-zone", "value": "us-east-1a"}])
ecs.register_task_definition(family="report", containerDefinitions=[
    {"name": "report", "image": "public.ecr.aws/docker/library/busybox:latest", "memory": 128}])
cluster_arn = ecs.describe_clusters(clusters=["default"])["clusters"][0]["clusterArn"]

rule = events.put_rule(Name="every-5-minutes", ScheduleExpression="rate(5 minutes)", State="ENABLED")
check("put_rule answers the rule's ARN", "arn:aws:events:us-east-1:123456789012:rule/every-5-minutes", rule["RuleArn"])
put = events.put_targets(Rule="every-5-minutes", Targets=[{
    "Id": "report", "Arn": cluster_arn, "RoleArn": "arn:aws:iam::123456789012:role/ecsEventsRole",
    "EcsParameters": {"TaskDefinitionArn": "report", "TaskCount": 1, "LaunchType": "EC2",
                      "PlacementStrategy": [{"type": "binpack", "field": "memory"}],
                      "Tags": [{"Key": "job", "Value": "report"}]}}])
check("put_targets: no failed entry", (0, []), (put["FailedEntryCount"], put["FailedEntries"]))
desc = events.describe_rule(Name="every-5-minutes")
check("describe_rule", ("rate(5 minutes)", "ENABLED", "default"),
      (desc["ScheduleExpression"], desc["State"], desc["EventBusName"]))
targets = events.list_targets_by_rule(Rule="every-5-minutes")["Targets"]
check("list_targets_by_rule", ["report"], [t["Id"] for t in targets])

advance(3600)
tasks = ecs.list_tasks(cluster="default", startedBy="events-rule/every-5-minutes")["taskArns"]
check("a scheduled RunTask every 5 minutes runs 12 times in an hour", 12, len(tasks))
described = ecs.describe_tasks(cluster="default", tasks=tasks[:1], include=["TAGS"])["tasks"][0]
check("its tasks are startedBy events-rule/RULE", "events-rule/every-5-minutes", described["startedBy"])
check("with the target's tags", [{"key": "job", "value": "report"}], described.get("tags"))

events.disable_rule(Name="every-5-minutes")
advance(3600)
check("a disabled rule runs nothing", 12,
      len(ecs.list_tasks(cluster="default", startedBy="events-rule/every-5-minutes")["taskArns"]))

bad = events.put_targets(Rule="every-5-minutes", Targets=[
    {"Id": "fn", "Arn": "arn:aws:lambda:us-east-1:123456789012:function:f"}])
check("a target ecslocal cannot run is a failed entry", (1, "fn"),
      (bad["FailedEntryCount"], bad["FailedEntries"][0]["TargetId"]))
check("delete_rule refuses a rule with targets", "ValidationException",
      error_code(events.delete_rule, Name="every-5-minutes"))
check("describe_rule of a missing rule", "ResourceNotFoundException", error_code(events.describe_rule, Name="nope"))
check("put_rule refuses rate(1 minutes)", "ValidationException",
      error_code(events.put_rule, Name="x", ScheduleExpression="rate(1 minutes)"))
events.remove_targets(Rule="every-5-minutes", Ids=["report"])
events.delete_rule(Name="every-5-minutes")
check("list_rules after delete_rule", [], events.list_rules()["Rules"])

finish()
