#!/usr/bin/env python3
"""boto3 against ecslocal: tasks that wait for capacity (issue 17's check).

A cluster whose only capacity provider has an empty Auto Scaling group
(made with POST /_ecslocal/create-auto-scaling-group) and managed scaling
on runs 5 tasks: RunTask answers them PROVISIONING, without an instance
(rule 156: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/standalone-tasks.html);
managed scaling launches the instances they need (rule 139:
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-scaling-behavior.html)
and they run. Once they have stopped, the group scales back in after 15
datapoints, by at most half of its capacity per step (rule 140:
https://aws.amazon.com/blogs/containers/faster-scaling-in-for-amazon-ecs-cluster-auto-scaling/).

    ECSLOCAL_URL=http://127.0.0.1:PORT python3 ecs/ecstest/boto3_provisioning_test.py

It ends with the line "boto3: N passed, N failed" and exits 1 when a check
failed. The server must run with its clock stopped (-speed 0).
"""
import json
import urllib.parse
import urllib.request

from ecslocal_boto3 import URL, advance, check, client, control, finish

def group():
    q = urllib.parse.urlencode({"autoScalingGroupName": "workers"})
    with urllib.request.urlopen(URL + "/_ecslocal/auto-scaling-group?" + q) as resp:
        return json.load(resp)


ecs = client("ecs")

arn = control("create-auto-scaling-group", {
    "autoScalingGroupName": "workers", "instanceType": "c5.large", "maxSize": 10})["autoScalingGroupArn"]
ecs.create_capacity_provider(name="asg", autoScalingGroupProvider={
    "autoScalingGroupArn": arn,
    "managedScaling": {"status": "ENABLED", "targetCapacity": 100, "instanceWarmupPeriod": 60},
    "managedTerminationProtection": "DISABLED"})
ecs.create_cluster(clusterName="cas", capacityProviders=["asg"],
                   defaultCapacityProviderStrategy=[{"capacityProvider": "asg", "weight": 1}])
ecs.register_task_definition(family="batch", containerDefinitions=[{
    "name": "job", "image": "public.ecr.aws/docker/library/busybox:1.36", "cpu": 1024, "memory": 1024}])
check("the group starts empty", 0, len(group()["instances"]))

run = ecs.run_task(cluster="cas", taskDefinition="batch", count=5)
check("RunTask: no failures", [], run["failures"])
check("RunTask: 5 tasks", 5, len(run["tasks"]))
arns = [t["taskArn"] for t in run["tasks"]]
check("RunTask: PROVISIONING", ["PROVISIONING"] * 5, [t["lastStatus"] for t in run["tasks"]])
check("RunTask: through the provider", ["asg"] * 5, [t["capacityProviderName"] for t in run["tasks"]])

advance(30)
tasks = ecs.describe_tasks(cluster="cas", tasks=arns)["tasks"]
check("waiting: still PROVISIONING", ["PROVISIONING"] * 5, [t["lastStatus"] for t in tasks])
check("waiting: desired RUNNING", ["RUNNING"] * 5, [t["desiredStatus"] for t in tasks])
check("waiting: no container instance", [False] * 5, ["containerInstanceArn" in t for t in tasks])
check("ListTasks desiredStatus RUNNING lists them", 5,
      len(ecs.list_tasks(cluster="cas", desiredStatus="RUNNING")["taskArns"]))
check("the cluster counts them pending", 5,
      ecs.describe_clusters(clusters=["cas"])["clusters"][0]["pendingTasksCount"])

advance(60)  # managed scaling's evaluation at one minute
check("scale-out: two tasks to a c5.large, three instances", 3, group()["desiredCapacity"])
advance(180)  # launched, registered, placed, started
tasks = ecs.describe_tasks(cluster="cas", tasks=arns)["tasks"]
check("after the scale-out: RUNNING", ["RUNNING"] * 5, [t["lastStatus"] for t in tasks])
check("after the scale-out: on the group's instances", 3,
      len({t["containerInstanceArn"] for t in tasks}))

for a in arns:
    ecs.stop_task(cluster="cas", task=a, reason="done")
advance(60)
tasks = ecs.describe_tasks(cluster="cas", tasks=arns)["tasks"]
check("the tasks stopped", ["STOPPED"] * 5, [t["lastStatus"] for t in tasks])

sizes = [group()["desiredCapacity"]]
for _ in range(40):
    advance(60)
    d = group()["desiredCapacity"]
    if d != sizes[-1]:
        sizes.append(d)
check("scale-in: 3 -> 2 -> 1 -> 0", [3, 2, 1, 0], sizes)
check("scale-in: no step removes more than half (at least one)", True,
      all(a - b <= max(1, a // 2) for a, b in zip(sizes, sizes[1:])))
check("the group is empty again", 0, len(group()["instances"]))

finish()
