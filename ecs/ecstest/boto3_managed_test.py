#!/usr/bin/env python3
"""boto3 against ecslocal: Managed Instances capacity providers and Spot.

A Managed Instances capacity provider created with boto3 (rule 170:
https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateManagedInstancesProviderConfiguration.html)
shows as MANAGED_INSTANCES; RunTask through it answers PROVISIONING tasks
that run, launch type MANAGED_INSTANCES, on the instance ECS launches for
them (rule 172:
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instance-auto-scaling.html),
which is terminated once idle for scaleInAfter (rule 173:
https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_InfrastructureOptimization.html).
Then the seeded Spot model (POST /_ecslocal/set-spot) interrupts FARGATE_SPOT
tasks with ECS's stoppedReason (rule 178:
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html).

    ECSLOCAL_URL=http://127.0.0.1:PORT python3 ecs/ecstest/boto3_managed_test.py

It ends with the line "boto3: N passed, N failed" and exits 1 when a check
failed. The server must run with its clock stopped (-speed 0).
"""
import botocore.exceptions

from ecslocal_boto3 import advance, check, client, control, finish, get

ecs = client("ecs")

ecs.create_cluster(clusterName="mi")
template = {
    "ec2InstanceProfileArn": "arn:aws:iam::123456789012:instance-profile/ecsInstanceRole",
    "networkConfiguration": {"subnets": ["subnet-1"]},
    "instanceRequirements": {"vCpuCount": {"min": 2, "max": 4}, "memoryMiB": {"min": 4096},
                             "cpuManufacturers": ["intel"]},
}
try:
    ecs.create_capacity_provider(name="bad", cluster="mi", managedInstancesProvider={
        "infrastructureRoleArn": "arn:aws:iam::123456789012:role/ecsInfrastructureRole",
        "instanceLaunchTemplate": template, "infrastructureOptimization": {"scaleInAfter": 4000}})
    check("scaleInAfter 4000 refused", True, False)
except botocore.exceptions.ClientError as err:
    check("scaleInAfter 4000 refused", "InvalidParameterException", err.response["Error"]["Code"])

cp = ecs.create_capacity_provider(name="mi", cluster="mi", managedInstancesProvider={
    "infrastructureRoleArn": "arn:aws:iam::123456789012:role/ecsInfrastructureRole",
    "instanceLaunchTemplate": template, "infrastructureOptimization": {"scaleInAfter": 60}})["capacityProvider"]
check("type", "MANAGED_INSTANCES", cp["type"])
check("cluster", "mi", cp["cluster"])
check("capacityOptionType default", "ON_DEMAND", cp["managedInstancesProvider"]["instanceLaunchTemplate"]["capacityOptionType"])
ecs.put_cluster_capacity_providers(cluster="mi", capacityProviders=["mi", "FARGATE_SPOT"],
                                   defaultCapacityProviderStrategy=[{"capacityProvider": "mi", "weight": 1}])
ecs.register_task_definition(family="job", networkMode="host", requiresCompatibilities=["MANAGED_INSTANCES"],
                             containerDefinitions=[{"name": "job", "image": "public.ecr.aws/docker/library/busybox:1.36",
                                                    "cpu": 512, "memory": 512, "essential": True}])
run = ecs.run_task(cluster="mi", taskDefinition="job", count=2)
check("RunTask: PROVISIONING", ["PROVISIONING"] * 2, [t["lastStatus"] for t in run["tasks"]])
check("RunTask: MANAGED_INSTANCES", ["MANAGED_INSTANCES"] * 2, [t["launchType"] for t in run["tasks"]])
advance(180)
arns = [t["taskArn"] for t in run["tasks"]]
tasks = ecs.describe_tasks(cluster="mi", tasks=arns)["tasks"]
check("the tasks run", ["RUNNING"] * 2, [t["lastStatus"] for t in tasks])
instances = get("managed-instances", capacityProvider="mi")["instances"]
check("one instance launched", 1, len(instances))
check("the cheapest Intel type of 2 to 4 vCPUs", "c5.large", instances[0]["instanceType"])
ci = ecs.describe_container_instances(cluster="mi", containerInstances=[instances[0]["containerInstanceArn"]])
check("its container instance names the provider", "mi", ci["containerInstances"][0]["capacityProviderName"])

ecs.stop_task(cluster="mi", task=arns[0])
ecs.stop_task(cluster="mi", task=arns[1])
advance(300)
check("terminated once idle for scaleInAfter", [], get("managed-instances", capacityProvider="mi")["instances"])

spot = control("set-spot", {"fargatePerTaskHour": 2})
check("the Spot model", 2, spot["model"]["fargatePerTaskHour"])
ecs.register_task_definition(family="api", networkMode="awsvpc", cpu="256", memory="512",
                             requiresCompatibilities=["FARGATE"],
                             containerDefinitions=[{"name": "app", "image": "nginx"}])
ecs.run_task(cluster="mi", taskDefinition="api", count=5,
             capacityProviderStrategy=[{"capacityProvider": "FARGATE_SPOT", "weight": 1}],
             networkConfiguration={"awsvpcConfiguration": {"subnets": ["subnet-1"]}})
for _ in range(120):
    advance(60)
    if get("spot")["stats"]["fargateInterruptions"] > 0:
        break
stats = get("spot")["stats"]
check("a FARGATE_SPOT task interrupted", True, stats["fargateInterruptions"] > 0)
advance(180)
stopped = ecs.list_tasks(cluster="mi", desiredStatus="STOPPED")["taskArns"]
reasons = {t["stoppedReason"] for t in ecs.describe_tasks(cluster="mi", tasks=stopped)["tasks"]
           if t.get("stopCode") == "SpotInterruption"}
check("stoppedReason", {"Your Spot Task was interrupted."}, reasons)

finish()
