#!/usr/bin/env python3
"""boto3's application-autoscaling client against ecslocal: service auto
scaling of an ECS service as the issue that asked for it describes it.
A service of 2 tasks, a scalable target (min 2, max 10) and a target
tracking policy at 50 % CPU; its load set to 90 % CPU (POST
/_ecslocal/load) scales it out within the bounds, with the scaling
activity recorded; at 10 % it falls back slowly to 2. Also the API's
errors, pages and scheduled actions.

    ECSLOCAL_URL=http://127.0.0.1:PORT python3 ecs/ecstest/boto3_appscaling_test.py

It ends with the line "boto3: N passed, N failed" and exits 1 when a check
failed. The server must run with its clock stopped (-speed 0).
"""
from ecslocal_boto3 import advance, check, client, control, error_code, finish

ecs = client("ecs")
aas = client("application-autoscaling")

ecs.create_cluster(clusterName="scale")
for i in range(4):
    ecs.register_container_instance(cluster="scale", attributes=[
        {"name": "ecs.instance-type", "value": "m5.2xlarge"},
        {"name": "ecs.availability-zone", "value": "us-east-1" + "abc"[i % 3]}])
ecs.register_task_definition(family="web", containerDefinitions=[{
    "name": "app", "image": "public.ecr.aws/nginx/nginx:1.27", "cpu": 256, "memory": 256}])
ecs.create_service(cluster="scale", serviceName="web", taskDefinition="web", desiredCount=2)
control("settle", {"cluster": "scale", "service": "web"})

RID = "service/scale/web"
DIM = "ecs:service:DesiredCount"
arn = aas.register_scalable_target(ServiceNamespace="ecs", ResourceId=RID, ScalableDimension=DIM,
                                   MinCapacity=2, MaxCapacity=10)["ScalableTargetARN"]
check("register-scalable-target answers an ARN", True, arn.startswith("arn:aws:application-autoscaling:us-east-1:"))
targets = aas.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]
check("describe-scalable-targets lists it", [(RID, 2, 10)],
      [(t["ResourceId"], t["MinCapacity"], t["MaxCapacity"]) for t in targets])
policy = aas.put_scaling_policy(
    PolicyName="cpu50", ServiceNamespace="ecs", ResourceId=RID, ScalableDimension=DIM,
    PolicyType="TargetTrackingScaling", TargetTrackingScalingPolicyConfiguration={
        "TargetValue": 50.0,
        "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}})
check("put-scaling-policy answers the two alarms", 2, len(policy["Alarms"]))
policies = aas.describe_scaling_policies(ServiceNamespace="ecs", ResourceId=RID)["ScalingPolicies"]
check("describe-scaling-policies lists it", [("cpu50", 50.0)],
      [(p["PolicyName"], p["TargetTrackingScalingPolicyConfiguration"]["TargetValue"]) for p in policies])


def desired():
    return ecs.describe_services(cluster="scale", services=["web"])["services"][0]["desiredCount"]


metrics = control("load", {"cluster": "scale", "service": "web", "cpuUtilization": 90})
check("the load sets the service's CPU utilization", 90, metrics["cpuUtilization"])
counts = []
for _ in range(15):
    advance(60)
    counts.append(desired())
check("90 % CPU scales out, within the bounds", True, counts[-1] > 2 and max(counts) <= 10)
check("to the count that brings CPU to the target", 4, counts[-1])
control("settle", {"cluster": "scale", "service": "web"})
metrics = control("load", {"cluster": "scale", "service": "web"})
check("the same demand over more tasks is less each", 45, metrics["cpuUtilization"])
acts = aas.describe_scaling_activities(ServiceNamespace="ecs", ResourceId=RID)["ScalingActivities"]
check("the scale-out is recorded", "Setting desired count to 4.", acts[0]["Description"] if acts else None)
check("with its cause", True, bool(acts) and "triggered policy cpu50" in acts[0]["Cause"])
check("successful", "Successful", acts[0]["StatusCode"] if acts else None)

control("load", {"cluster": "scale", "service": "web", "cpuUtilization": 10})
counts = []
for _ in range(40):
    advance(60)
    counts.append(desired())
check("10 % CPU does not scale in at once", 4, counts[5])
check("it falls back to the minimum", 2, counts[-1])
check("never below it", 2, min(counts))

# Scheduled scaling: a new minimum at a time.
aas.put_scheduled_action(ServiceNamespace="ecs", ResourceId=RID, ScalableDimension=DIM,
                         ScheduledActionName="peak", Schedule="rate(30 minutes)",
                         ScalableTargetAction={"MinCapacity": 5, "MaxCapacity": 10})
actions = aas.describe_scheduled_actions(ServiceNamespace="ecs")["ScheduledActions"]
check("describe-scheduled-actions lists it", ["peak"], [a["ScheduledActionName"] for a in actions])
advance(31 * 60)
check("the scheduled action raised the minimum", 5, desired())
acts = aas.describe_scaling_activities(ServiceNamespace="ecs", ResourceId=RID)["ScalingActivities"]
check("caused by the new minimum", "minimum capacity was set to 5", acts[0]["Cause"])
aas.delete_scheduled_action(ServiceNamespace="ecs", ResourceId=RID, ScalableDimension=DIM, ScheduledActionName="peak")

# Pages.
page = aas.describe_scaling_activities(ServiceNamespace="ecs", MaxResults=1)
check("a page of one activity", 1, len(page["ScalingActivities"]))
check("with a NextToken", True, bool(page.get("NextToken")))
paginator = aas.get_paginator("describe_scaling_activities")
total = sum(len(p["ScalingActivities"]) for p in paginator.paginate(ServiceNamespace="ecs", PaginationConfig={"PageSize": 1}))
check("the paginator reads them all", len(aas.describe_scaling_activities(ServiceNamespace="ecs")["ScalingActivities"]), total)

# Errors, with the API's exception names.
check("a service that does not exist", "ValidationException",
      error_code(aas.register_scalable_target, ServiceNamespace="ecs", ResourceId="service/scale/nope",
                 ScalableDimension=DIM, MinCapacity=1, MaxCapacity=2))
check("a policy of a target not registered", "ObjectNotFoundException",
      error_code(aas.delete_scaling_policy, ServiceNamespace="ecs", ResourceId="service/scale/nope",
                 ScalableDimension=DIM, PolicyName="cpu50"))
check("another namespace has no targets", [],
      aas.describe_scalable_targets(ServiceNamespace="dynamodb")["ScalableTargets"])
check("nor can one be deregistered there", "ObjectNotFoundException",
      error_code(aas.deregister_scalable_target, ServiceNamespace="dynamodb", ResourceId="table/t",
                 ScalableDimension="dynamodb:table:ReadCapacityUnits"))
check("a bad token", "InvalidNextTokenException",
      error_code(aas.describe_scalable_targets, ServiceNamespace="ecs", NextToken="bogus"))

aas.deregister_scalable_target(ServiceNamespace="ecs", ResourceId=RID, ScalableDimension=DIM)
check("deregistering deletes the policies", [],
      aas.describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"])

finish()
