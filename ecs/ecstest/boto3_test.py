#!/usr/bin/env python3
"""boto3, the AWS SDK for Python, against ecslocal (package ecstest served
over the ECS API), as a Python test suite would drive it: clusters,
container instances of several generations, services, bridge and awsvpc
tasks, reading the members ECS always writes (0, false and [] included:
unboxed numbers and booleans, and the lists the API's examples write) and
the way ECS describes tasks (ENI attachments, network interfaces,
attributes, ephemeral storage, overrides per container), tags, account
settings, service deployments and revisions, task protection,
load-balanced services rolled with the BLUE_GREEN, LINEAR and CANARY
strategies, task sets (EXTERNAL and CODE_DEPLOY), daemon task
definitions, cluster updates and task definition deletion, Service Connect
namespaces, ECS Exec, the agent's operations, Express Gateway services,
cluster auto scaling of a simulated Auto Scaling group, and the faults and
clock of /_ecslocal/ (JSON bodies, through urllib).

    ECSLOCAL_URL=http://127.0.0.1:PORT python3 ecs/ecstest/boto3_test.py

It ends with the line "boto3: N passed, N failed" and exits 1 when a check
failed. The server must run with its clock stopped (-speed 0): the script
moves it with POST /_ecslocal/advance.
"""
import json
import urllib.error
import urllib.request

from ecslocal_boto3 import URL, advance, check, client, control, finish, get

ecs = client("ecs")

# A new cluster: its counts are written, 0 as they are (DescribeClusters'
# example in the API: "activeServicesCount": 0, ...).
cluster = ecs.create_cluster(clusterName="py")["cluster"]
for member in ("registeredContainerInstancesCount", "runningTasksCount", "pendingTasksCount", "activeServicesCount"):
    check("create-cluster writes %s" % member, 0, cluster.get(member))
check("create-cluster writes statistics", [], cluster.get("statistics"))

# Container instances of several types: counts and resources as ECS
# writes them.
arns = []
for i, typ in enumerate(("m5.large", "c5.xlarge", "m6g.large", "t2.micro", "m4.large", "c4.xlarge", "m1.small",
                         "r4.large", "t4g.small", "m7i.large", "g4dn.xlarge")):
    ci = ecs.register_container_instance(cluster="py", attributes=[
        {"name": "ecs.instance-type", "value": typ},
        {"name": "ecs.availability-zone", "value": "us-east-1" + "abc"[i % 3]},
    ])["containerInstance"]
    arns.append(ci["containerInstanceArn"])
    check("%s registers ACTIVE" % typ, "ACTIVE", ci["status"])
    check("%s writes runningTasksCount" % typ, 0, ci.get("runningTasksCount"))
    check("%s writes pendingTasksCount" % typ, 0, ci.get("pendingTasksCount"))
    cpu = [r for r in ci["registeredResources"] if r["name"] == "CPU"][0]
    check("%s CPU writes longValue and doubleValue" % typ, (0, 0.0), (cpu.get("longValue"), cpu.get("doubleValue")))
    ports = [r for r in ci["registeredResources"] if r["name"] == "PORTS"][0]
    check("%s PORTS writes integerValue" % typ, 0, ports.get("integerValue"))

# Task definitions as the examples write them: the empty lists included.
web = ecs.register_task_definition(family="web", containerDefinitions=[{
    "name": "app", "image": "public.ecr.aws/nginx/nginx:1.27", "memory": 256,
    "portMappings": [{"containerPort": 80, "hostPort": 0}],
}])["taskDefinition"]
app = web["containerDefinitions"][0]
check("a container definition writes cpu 0", 0, app.get("cpu"))
for member in ("environment", "mountPoints", "volumesFrom"):
    check("a container definition writes %s" % member, [], app.get(member))
check("a task definition writes volumes", [], web.get("volumes"))

api = ecs.register_task_definition(
    family="api", networkMode="awsvpc", cpu="256", memory="512", requiresCompatibilities=["FARGATE"],
    containerDefinitions=[{"name": "app", "image": "nginx", "cpu": 128}, {"name": "envoy", "image": "envoy"}],
)["taskDefinition"]

# A service of desired count 0: its counts and lists as ECS writes them.
svc = ecs.create_service(cluster="py", serviceName="idle", taskDefinition="web", desiredCount=0)["service"]
for member in ("desiredCount", "runningCount", "pendingCount"):
    check("a service of 0 tasks writes %s" % member, 0, svc.get(member))
for member in ("loadBalancers", "serviceRegistries", "placementConstraints", "placementStrategy", "events"):
    check("a service writes %s" % member, [], svc.get(member))
check("a service writes enableECSManagedTags", False, svc.get("enableECSManagedTags"))
check("a service writes enableExecuteCommand", False, svc.get("enableExecuteCommand"))
dep = svc["deployments"][0]
for member in ("desiredCount", "pendingCount", "runningCount", "failedTasks"):
    check("a deployment writes %s" % member, 0, dep.get(member))

# A bridge task on an instance.
task = ecs.run_task(cluster="py", taskDefinition="web", placementConstraints=[
    {"type": "memberOf", "expression": "attribute:ecs.instance-type == m6g.large"}])["tasks"][0]
bridge = task["taskArn"]
check("a bridge task has no ENI", [], task.get("attachments"))
check("a task on an arm64 instance says so", [{"name": "ecs.cpu-architecture", "value": "arm64"}], task.get("attributes"))
check("overrides name each container", [{"name": "app"}], task["overrides"]["containerOverrides"])

# An awsvpc task on Fargate.
subnets = ["subnet-0a1b2c3d", "subnet-1a2b3c4d"]
task = ecs.run_task(cluster="py", taskDefinition="api", launchType="FARGATE", networkConfiguration={
    "awsvpcConfiguration": {"subnets": subnets, "assignPublicIp": "ENABLED"}})["tasks"][0]
eni = task["attachments"][0]
details = {d["name"]: d["value"] for d in eni["details"]}
check("an awsvpc task has an ENI attachment", "ElasticNetworkInterface", eni["type"])
check("the ENI is attaching while the task is provisioning", "ATTACHING", eni["status"])
check("the ENI is in a subnet given", True, details["subnetId"] in subnets)
check("the ENI has an ID", True, details["networkInterfaceId"].startswith("eni-"))
check("each container has the ENI's address",
      [[{"attachmentId": eni["id"], "privateIpv4Address": details["privateIPv4Address"]}]] * 2,
      [c.get("networkInterfaces") for c in task["containers"]])
check("containers write their cpu", ["128", "0"], [c.get("cpu") for c in task["containers"]])
check("a Fargate task has 20 GiB of ephemeral storage", {"sizeInGiB": 20}, task.get("ephemeralStorage"))
check("a Fargate task names its platform", ("1.4.0", "Linux"), (task.get("platformVersion"), task.get("platformFamily")))

advance(60)
task = ecs.describe_tasks(cluster="py", tasks=[task["taskArn"]])["tasks"][0]
check("the task runs", "RUNNING", task["lastStatus"])
check("the ENI is attached", "ATTACHED", task["attachments"][0]["status"])
check("the agent has the task", "CONNECTED", task.get("connectivity"))
ecs.stop_task(cluster="py", task=task["taskArn"])
advance(120)
task = ecs.describe_tasks(cluster="py", tasks=[task["taskArn"]])["tasks"][0]
check("the task stopped", "STOPPED", task["lastStatus"])
check("the ENI is deleted", "DELETED", task["attachments"][0]["status"])

# Tags: on a cluster and a task definition; a service's tasks take the
# service's tags and the ECS managed tags; tags are shown when asked for.
ecs.tag_resource(resourceArn=cluster["clusterArn"], tags=[{"key": "team", "value": "py"}, {"key": "stack", "value": "dev"}])
ecs.untag_resource(resourceArn=cluster["clusterArn"], tagKeys=["stack"])
check("tag-resource and untag-resource on a cluster", [{"key": "team", "value": "py"}],
      ecs.list_tags_for_resource(resourceArn=cluster["clusterArn"])["tags"])
check("describe-clusters shows tags when asked", [{"key": "team", "value": "py"}],
      ecs.describe_clusters(clusters=["py"], include=["TAGS"])["clusters"][0]["tags"])
check("a resource without tags lists none", [], ecs.list_tags_for_resource(resourceArn=web["taskDefinitionArn"])["tags"])
tagged = ecs.create_service(cluster="py", serviceName="tagged", taskDefinition="web", desiredCount=1,
                            tags=[{"key": "app", "value": "web"}], propagateTags="SERVICE",
                            enableECSManagedTags=True)["service"]
advance(60)
arn = ecs.list_tasks(cluster="py", serviceName="tagged")["taskArns"][0]
check("describe-tasks leaves tags out unless asked", [], ecs.describe_tasks(cluster="py", tasks=[arn])["tasks"][0].get("tags", []))
check("a service's task takes its tags and the managed ones",
      [{"key": "app", "value": "web"}, {"key": "aws:ecs:clusterName", "value": "py"}, {"key": "aws:ecs:serviceName", "value": "tagged"}],
      ecs.describe_tasks(cluster="py", tasks=[arn], include=["TAGS"])["tasks"][0]["tags"])
try:
    ecs.tag_resource(resourceArn=tagged["serviceArn"], tags=[{"key": "aws:owner", "value": "me"}])
    check("the aws: prefix is reserved", "InvalidParameterException", "no error")
except ecs.exceptions.InvalidParameterException:
    check("the aws: prefix is reserved", True, True)

# Account settings, as Terraform and the CDK read them.
setting = ecs.list_account_settings(name="awsvpcTrunking", effectiveSettings=True)["settings"][0]
check("awsvpcTrunking is disabled by default", ("disabled", "arn:aws:iam::123456789012:root"), (setting["value"], setting["principalArn"]))
ecs.put_account_setting_default(name="containerInsights", value="enabled")
check("put-account-setting-default", "enabled",
      ecs.list_account_settings(name="containerInsights", effectiveSettings=True)["settings"][0]["value"])
check("a new cluster takes containerInsights", [{"name": "containerInsights", "value": "enabled"}],
      ecs.create_cluster(clusterName="insights")["cluster"]["settings"])

# Service deployments, as deployment tools follow them: one per
# deployment, newest first, with its revisions.
advance(120)
first = ecs.list_service_deployments(cluster="py", service="tagged")["serviceDeployments"]
check("the service's first deployment succeeded", ["SUCCESSFUL"], [d["status"] for d in first])
ecs.register_task_definition(family="web", containerDefinitions=[{"name": "app", "image": "public.ecr.aws/nginx/nginx:1.28", "memory": 256}])
ecs.update_service(cluster="py", service="tagged", taskDefinition="web:2")
listed = ecs.list_service_deployments(cluster="py", service="tagged")["serviceDeployments"]
check("update-service starts a service deployment, pending until the scheduler runs", ["PENDING", "SUCCESSFUL"], [d["status"] for d in listed])
check("describe-services names the current one", listed[0]["serviceDeploymentArn"],
      ecs.describe_services(cluster="py", services=["tagged"])["services"][0]["currentServiceDeployment"])
advance(120)
sd = ecs.describe_service_deployments(serviceDeploymentArns=[listed[0]["serviceDeploymentArn"]])["serviceDeployments"][0]
check("the deployment succeeded", "SUCCESSFUL", sd["status"])
check("its source is the first revision", [first[0]["targetServiceRevisionArn"]], [r["arn"] for r in sd["sourceServiceRevisions"]])
check("its target runs its task", (1, 1), (sd["targetServiceRevision"]["requestedTaskCount"], sd["targetServiceRevision"]["runningTaskCount"]))
check("it has timestamps", True, sd["startedAt"] <= sd["finishedAt"])
rev = ecs.describe_service_revisions(serviceRevisionArns=[sd["targetServiceRevision"]["arn"]])["serviceRevisions"][0]
check("the revision runs web:2", "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2", rev["taskDefinition"])
check("the revision names its images", [{"containerName": "app", "image": "public.ecr.aws/nginx/nginx:1.28"}], rev["containerImages"])
try:
    ecs.stop_service_deployment(serviceDeploymentArn=sd["serviceDeploymentArn"], stopType="ROLLBACK")
    check("a finished deployment cannot be stopped", "ConflictException", "no error")
except ecs.exceptions.ConflictException:
    check("a finished deployment cannot be stopped", True, True)

# Task protection: a service's task is protected from scale-in, a task
# started on its own is not valid.
arn = ecs.list_tasks(cluster="py", serviceName="tagged")["taskArns"][0]
resp = ecs.update_task_protection(cluster="py", tasks=[arn, bridge], protectionEnabled=True, expiresInMinutes=60)
check("update-task-protection protects the service's task", [(arn, True)],
      [(p["taskArn"], p["protectionEnabled"]) for p in resp["protectedTasks"]])
check("a standalone task is not valid", [(bridge, "TASK_NOT_VALID")], [(f["arn"], f["reason"]) for f in resp["failures"]])
ecs.update_service(cluster="py", service="tagged", desiredCount=0)
advance(120)
check("scale-in leaves the protected task", [arn], ecs.list_tasks(cluster="py", serviceName="tagged")["taskArns"])
got = ecs.get_task_protection(cluster="py", tasks=[arn])["protectedTasks"][0]
check("get-task-protection", True, got["protectionEnabled"] and got["expirationDate"].year >= 2024)
advance(3600)
check("once protection expires, the task goes", [], ecs.list_tasks(cluster="py", serviceName="tagged")["taskArns"])

# Refusals as ECS words them.
try:
    ecs.run_task(cluster="py", taskDefinition="api", launchType="FARGATE",
                 networkConfiguration={"awsvpcConfiguration": {"subnets": []}})
    check("empty subnets are refused", "InvalidParameterException", "no error")
except ecs.exceptions.InvalidParameterException as err:
    check("empty subnets are refused", "subnets can not be empty.", err.response["Error"]["Message"])

# Cluster updates and task definition deletion.
up = ecs.update_cluster(cluster="py", settings=[{"name": "containerInsights", "value": "disabled"}])["cluster"]
check("update-cluster sets containerInsights", [{"name": "containerInsights", "value": "disabled"}], up["settings"])
up = ecs.update_cluster_settings(cluster="py", settings=[{"name": "containerInsights", "value": "enabled"}])["cluster"]
check("update-cluster-settings sets containerInsights", [{"name": "containerInsights", "value": "enabled"}], up["settings"])
scratch = ecs.register_task_definition(family="scratch", containerDefinitions=[{"name": "app", "image": "busybox", "memory": 32}])["taskDefinition"]
ecs.deregister_task_definition(taskDefinition=scratch["taskDefinitionArn"])
gone = ecs.delete_task_definitions(taskDefinitions=[scratch["taskDefinitionArn"]])
check("delete-task-definitions deletes an INACTIVE revision", ["DELETE_IN_PROGRESS"], [td["status"] for td in gone["taskDefinitions"]])

# Service Connect namespaces: a service in the cluster's default namespace.
ecs.update_cluster(cluster="py", serviceConnectDefaults={"namespace": "shop"})
connected = ecs.create_service(cluster="py", serviceName="connected", taskDefinition="web", desiredCount=0,
                               serviceConnectConfiguration={"enabled": True})["service"]
check("list-services-by-namespace", [connected["serviceArn"]], ecs.list_services_by_namespace(namespace="shop")["serviceArns"])
try:
    ecs.list_services_by_namespace(namespace="nowhere")
    check("an unknown namespace is refused", "NamespaceNotFoundException", "no error")
except ecs.exceptions.NamespaceNotFoundException:
    check("an unknown namespace is refused", True, True)

# ECS Exec, and an agent simulator driving a task through the agent's
# operations.
ecs.register_task_definition(family="execd", taskRoleArn="arn:aws:iam::123456789012:role/app",
                             containerDefinitions=[{"name": "app", "image": "busybox", "memory": 64}])
execd = ecs.run_task(cluster="py", taskDefinition="execd", enableExecuteCommand=True)["tasks"][0]["taskArn"]
try:
    ecs.execute_command(cluster="py", task=execd, command="/bin/sh", interactive=True)
    check("no session before the task runs", "TargetNotConnectedException", "no error")
except ecs.exceptions.TargetNotConnectedException:
    check("no session before the task runs", True, True)
advance(60)
session = ecs.execute_command(cluster="py", task=execd, command="/bin/sh", interactive=True)
check("execute-command opens a session", (True, "app"), (session["session"]["sessionId"].startswith("ecs-execute-command-"), session["containerName"]))
agent_task = ecs.run_task(cluster="py", taskDefinition="execd")["tasks"][0]["taskArn"]
ack = ecs.submit_task_state_change(cluster="py", task=agent_task, status="RUNNING")
check("submit-task-state-change is acknowledged", "ACK", ack.get("acknowledgment"))
check("the task runs as its agent says", "RUNNING", ecs.describe_tasks(cluster="py", tasks=[agent_task])["tasks"][0]["lastStatus"])
ecs.submit_container_state_change(cluster="py", task=agent_task, containerName="app", status="STOPPED", exitCode=2)
task = ecs.describe_tasks(cluster="py", tasks=[agent_task])["tasks"][0]
check("an essential container the agent stops stops its task", ("EssentialContainerExited", 2),
      (task.get("stopCode"), task["containers"][0].get("exitCode")))
check("discover-poll-endpoint", "https://ecs-a-1.us-east-1.amazonaws.com/", ecs.discover_poll_endpoint(cluster="py")["endpoint"])
old = ecs.register_container_instance(cluster="py", versionInfo={"agentVersion": "1.50.0"},
                                      attributes=[{"name": "ecs.instance-type", "value": "m5.large"}])["containerInstance"]
check("update-container-agent starts an update", "PENDING",
      ecs.update_container_agent(cluster="py", containerInstance=old["containerInstanceArn"])["containerInstance"]["agentUpdateStatus"])

# An Express Gateway service: the ECS service it runs, and its resources.
x = ecs.create_express_gateway_service(
    cluster="py", serviceName="express", executionRoleArn="arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
    infrastructureRoleArn="arn:aws:iam::123456789012:role/ecsInfrastructureRole",
    primaryContainer={"image": "public.ecr.aws/nginx/nginx:1.27"}, tags=[{"key": "app", "value": "express"}])["service"]
cfg = x["activeConfigurations"][0]
check("an Express service takes Express Mode's defaults", ("1024", "2048", "/ping", 80),
      (cfg["cpu"], cfg["memory"], cfg["healthCheckPath"], cfg["primaryContainer"]["containerPort"]))
svc = control("settle", {"cluster": "py", "service": "express"})["service"]
check("its ECS service runs on Fargate behind a load balancer", ("FARGATE", 1, "CANARY"),
      (svc["launchType"], svc["runningCount"], svc["deploymentConfiguration"]["strategy"]))
rev = ecs.describe_service_revisions(serviceRevisionArns=[cfg["serviceRevisionArn"]])["serviceRevisions"][0]
check("its revision records the load balancer and scaling", (2, 1, 20),
      (len(rev["ecsManagedResources"]["ingressPaths"][0]["targetGroups"]),
       rev["ecsManagedResources"]["autoScaling"]["scalableTarget"]["minCapacity"],
       rev["ecsManagedResources"]["autoScaling"]["scalableTarget"]["maxCapacity"]))
check("describe-express-gateway-service shows tags when asked", [{"key": "app", "value": "express"}],
      ecs.describe_express_gateway_service(serviceArn=x["serviceArn"], include=["TAGS"])["service"].get("tags"))
check("delete-express-gateway-service drains it", "DRAINING",
      ecs.delete_express_gateway_service(serviceArn=x["serviceArn"])["service"]["status"]["statusCode"])

# Faults and the clock over HTTP (/_ecslocal/, JSON bodies), as a Go test
# injects them: a container exits, a health check fails, a task fails to
# start, an agent is lost and regained, an alarm, an Availability Zone.
ecs.create_service(cluster="py", serviceName="faulty", taskDefinition="web:2", desiredCount=1)
svc = control("settle", {"cluster": "py", "service": "faulty", "seconds": 600})["service"]
check("settle brings the service to steady", (1, 1), (svc["runningCount"], len(svc["deployments"])))
victim = ecs.list_tasks(cluster="py", serviceName="faulty")["taskArns"][0]
task = control("exit-container", {"cluster": "py", "task": victim, "container": "app", "exitCode": 137})["task"]
check("exit-container stops the task", ("EssentialContainerExited", 137), (task.get("stopCode"), task["containers"][0].get("exitCode")))
advance(60)
svc = control("settle", {"cluster": "py", "service": "faulty"})["service"]
replacement = ecs.list_tasks(cluster="py", serviceName="faulty")["taskArns"]
check("the service replaces it", (1, False), (svc["runningCount"], victim in replacement))
task = control("set-health", {"cluster": "py", "task": replacement[0], "healthStatus": "UNHEALTHY"})["task"]
check("set-health makes the task UNHEALTHY", "UNHEALTHY", task["healthStatus"])
control("task-faults", {"taskDefinition": "api", "failToStart": 1})
failing = ecs.run_task(cluster="py", taskDefinition="api", launchType="FARGATE", networkConfiguration={
    "awsvpcConfiguration": {"subnets": subnets}})["tasks"][0]["taskArn"]
advance(60)
task = ecs.describe_tasks(cluster="py", tasks=[failing])["tasks"][0]
check("task-faults makes the next task fail to start", ("STOPPED", "TaskFailedToStart"), (task["lastStatus"], task.get("stopCode")))
ci = control("disconnect-agent", {"cluster": "py", "containerInstance": arns[0]})["containerInstance"]
check("disconnect-agent", False, ci["agentConnected"])
ci = control("reconnect-agent", {"cluster": "py", "containerInstance": arns[0]})["containerInstance"]
check("reconnect-agent", True, ci["agentConnected"])
check("alarm", {}, control("alarm", {"alarmName": "5xx", "stateValue": "ALARM"}))
control("alarm", {"alarmName": "5xx", "stateValue": "OK"})
control("lose-zone", {"availabilityZone": "us-east-1c"})
lost = ecs.describe_container_instances(cluster="py", containerInstances=[arns[2]])["containerInstances"][0]
check("lose-zone terminates the zone's instances", "INACTIVE", lost["status"])
control("restore-zone", {"availabilityZone": "us-east-1c"})
try:
    control("exit-container", {"cluster": "py", "task": victim, "container": "app"})
    check("exit-container needs exitCode", 400, 200)
except urllib.error.HTTPError as err:
    check("exit-container needs exitCode", (400, "InvalidParameterException"), (err.code, json.load(err)["__type"]))

# Load balancers and the BLUE_GREEN, LINEAR and CANARY deployments: a
# service behind a target group (its alternate one for green) rolled with
# each strategy to a SUCCESSFUL service deployment at CLEAN_UP, and one
# rolled back by a failing lifecycle hook (POST /_ecslocal/hook-outcome).
def target_group(name, i):
    return "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/%s/%016x" % (name, i)


RULE = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee"
ROLE = "arn:aws:iam::123456789012:role/ecsInfrastructureRole"
HOOK = "arn:aws:lambda:us-east-1:123456789012:function:validate"
for image in ("1.27", "1.28"):
    ecs.register_task_definition(family="lb", containerDefinitions=[{
        "name": "app", "image": "public.ecr.aws/nginx/nginx:" + image, "memory": 128,
        "portMappings": [{"containerPort": 80, "hostPort": 0}]}])
control("hook-outcome", {"hookTargetArn": HOOK, "hookStatus": "FAILED"})
rollouts = (
    ("BLUE_GREEN", {"bakeTimeInMinutes": 2}, "SUCCESSFUL", "CLEAN_UP"),
    ("LINEAR", {"bakeTimeInMinutes": 1, "linearConfiguration": {"stepPercent": 50.0, "stepBakeTimeInMinutes": 1}}, "SUCCESSFUL", "CLEAN_UP"),
    ("CANARY", {"bakeTimeInMinutes": 1, "canaryConfiguration": {"canaryPercent": 10.0, "canaryBakeTimeInMinutes": 2}}, "SUCCESSFUL", "CLEAN_UP"),
    ("BLUE_GREEN", {"bakeTimeInMinutes": 2, "lifecycleHooks": [{"hookTargetArn": HOOK, "roleArn": ROLE,
                                                               "lifecycleStages": ["POST_SCALE_UP"]}]}, "ROLLBACK_SUCCESSFUL", "POST_SCALE_UP"),
)
for i, (strategy, settings, want_status, want_stage) in enumerate(rollouts):
    name = "lb%d" % i
    blue, green = target_group("blue%d" % i, i), target_group("green%d" % i, i)
    control("target-group", {"targetGroupArn": blue, "healthCheckIntervalSeconds": 10})
    cfg = dict(strategy=strategy, **settings)
    ecs.create_service(cluster="py", serviceName=name, taskDefinition="lb:1", desiredCount=2, deploymentConfiguration=cfg,
                       loadBalancers=[{"targetGroupArn": blue, "containerName": "app", "containerPort": 80, "advancedConfiguration": {
                           "alternateTargetGroupArn": green, "productionListenerRule": RULE, "roleArn": ROLE}}])
    control("settle", {"cluster": "py", "service": name, "seconds": 600})
    echoed = ecs.describe_services(cluster="py", services=[name])["services"][0]
    check("%s: the service shows its load balancer" % name, blue, echoed["loadBalancers"][0]["targetGroupArn"])
    ecs.update_service(cluster="py", service=name, taskDefinition="lb:2")
    arn = ecs.list_service_deployments(cluster="py", service=name)["serviceDeployments"][0]["serviceDeploymentArn"]
    for _ in range(60):
        advance(30)
        sd = ecs.describe_service_deployments(serviceDeploymentArns=[arn])["serviceDeployments"][0]
        if "finishedAt" in sd:
            break
    check("%s %s: the service deployment ends %s at %s" % (name, strategy, want_status, want_stage),
          (want_status, want_stage), (sd["status"], sd.get("lifecycleStage")))
    traffic = get("traffic?cluster=py&service=" + name)
    check("%s: production traffic ends on the revision that runs" % name,
          {"blue": 0, "green": 100} if want_status == "SUCCESSFUL" else {"blue": 100, "green": 0}, traffic["production"])
    check("%s: traffic weights sum to 100 at every stage" % name, True,
          all(s["production"]["blue"] + s["production"]["green"] == 100 for s in traffic["stages"]))

# Daemon task definitions and the daemon operations' exceptions. (A daemon
# needs the instances of a capacity provider over a simulated Auto Scaling
# group, which only the Go API creates: the sdktest module runs one.)
for image in ("agent:1", "agent:2"):
    dtd = ecs.register_daemon_task_definition(family="agent", memory="512", containerDefinitions=[
        {"name": "agent", "image": image}])["daemonTaskDefinitionArn"]
check("a daemon task definition is numbered in its family",
      "arn:aws:ecs:us-east-1:123456789012:daemon-task-definition/agent:2", dtd)
check("the family names its latest ACTIVE revision", 2,
      ecs.describe_daemon_task_definition(daemonTaskDefinition="agent")["daemonTaskDefinition"]["revision"])
ecs.delete_daemon_task_definition(daemonTaskDefinition="agent:2")
check("ListDaemonTaskDefinitions lists ACTIVE revisions",
      ["arn:aws:ecs:us-east-1:123456789012:daemon-task-definition/agent:1"],
      [d["arn"] for d in ecs.list_daemon_task_definitions()["daemonTaskDefinitions"]])
try:
    ecs.describe_daemon(daemonArn="arn:aws:ecs:us-east-1:123456789012:daemon/py/nope")
    check("DescribeDaemon of no daemon fails", True, False)
except ecs.exceptions.DaemonNotFoundException:
    check("DescribeDaemon of no daemon is a DaemonNotFoundException", True, True)
try:
    ecs.create_daemon(daemonName="agent", clusterArn="py", daemonTaskDefinitionArn="agent:1", capacityProviderArns=["FARGATE"])
    check("CreateDaemon on FARGATE fails", True, False)
except ecs.exceptions.InvalidParameterException:
    check("CreateDaemon on FARGATE is an InvalidParameterException", True, True)

# Task sets: an EXTERNAL service's, and a CODE_DEPLOY service driven
# through them as CodeDeploy drives a blue/green deployment.
for image in ("1.26", "1.27"):
    ecs.register_task_definition(family="ts", containerDefinitions=[{
        "name": "app", "image": "public.ecr.aws/nginx/nginx:" + image, "memory": 128,
        "portMappings": [{"containerPort": 80, "hostPort": 0}]}])
ext = ecs.create_service(cluster="py", serviceName="ext", desiredCount=2, deploymentController={"type": "EXTERNAL"})["service"]
check("an EXTERNAL service runs no deployment of its own", [], ext.get("deployments", []))
ts = ecs.create_task_set(cluster="py", service="ext", taskDefinition="ts:1", externalId="x-1",
                         scale={"value": 50.0, "unit": "PERCENT"})["taskSet"]
check("computedDesiredCount is desiredCount x scale, rounded up", 1, ts["computedDesiredCount"])
ecs.update_service_primary_task_set(cluster="py", service="ext", primaryTaskSet=ts["taskSetArn"])
control("settle", {"cluster": "py", "service": "ext", "seconds": 600})
got = ecs.describe_task_sets(cluster="py", service="ext")["taskSets"][0]
check("the task set is PRIMARY and steady", ("PRIMARY", "STEADY_STATE", 1, "x-1"),
      (got["status"], got["stabilityStatus"], got["runningCount"], got["externalId"]))
tasks = ecs.describe_tasks(cluster="py", tasks=ecs.list_tasks(cluster="py", serviceName="ext")["taskArns"])["tasks"]
check("its tasks are started by the task set", [ts["id"]], sorted({t["startedBy"] for t in tasks}))
try:
    ecs.delete_task_set(cluster="py", service="ext", taskSet=ts["id"])
    check("deleting the PRIMARY task set fails", True, False)
except ecs.exceptions.InvalidParameterException:
    check("deleting the PRIMARY task set is an InvalidParameterException", True, True)
blue, green = target_group("cd-blue", 9), target_group("cd-green", 9)
cd = ecs.create_service(cluster="py", serviceName="cd", taskDefinition="ts:1", desiredCount=2,
                        deploymentController={"type": "CODE_DEPLOY"},
                        loadBalancers=[{"targetGroupArn": blue, "containerName": "app", "containerPort": 80}])["service"]
original = cd["taskSets"][0]
check("CreateService of CODE_DEPLOY creates the PRIMARY task set", "PRIMARY", original["status"])
try:
    ecs.update_service(cluster="py", service="cd", taskDefinition="ts:2")
    check("UpdateService of a new revision on CODE_DEPLOY fails", True, False)
except ecs.exceptions.InvalidParameterException:
    check("UpdateService of a new revision on CODE_DEPLOY is an InvalidParameterException", True, True)
replacement = ecs.create_task_set(cluster="py", service="cd", taskDefinition="ts:2", externalId="d-EXAMPLE",
                                  loadBalancers=[{"targetGroupArn": green, "containerName": "app", "containerPort": 80}])["taskSet"]
check("the replacement task set is CodeDeploy's", "CODE_DEPLOY", replacement["startedBy"])
control("settle", {"cluster": "py", "service": "cd", "seconds": 600})
ecs.update_service_primary_task_set(cluster="py", service="cd", primaryTaskSet=replacement["id"])
ecs.delete_task_set(cluster="py", service="cd", taskSet=original["id"], force=True)
control("settle", {"cluster": "py", "service": "cd", "seconds": 1200})
cd = ecs.describe_services(cluster="py", services=["cd"])["services"][0]
check("after the shift the service runs the replacement", (replacement["taskDefinition"], [replacement["id"]], 2),
      (cd["taskDefinition"], [s["id"] for s in cd["taskSets"]], cd["runningCount"]))

# Cluster auto scaling: a simulated Auto Scaling group made over HTTP
# (POST /_ecslocal/create-auto-scaling-group), a capacity provider naming
# it and a cluster using it; managed scaling launches what a service needs,
# and once its tasks stop scales in by at most half of the group per step
# (the AWS Containers blog "Faster scaling-in for Amazon ECS cluster auto
# scaling").
group = control("create-auto-scaling-group", {"autoScalingGroupName": "py-workers", "instanceType": "c5.large",
                                              "maxSize": 10, "launchSeconds": 30})
check("create-auto-scaling-group answers the group", (0, []), (group["desiredCapacity"], group["instances"]))
cp = ecs.create_capacity_provider(name="py-asg", autoScalingGroupProvider={
    "autoScalingGroupArn": group["autoScalingGroupArn"], "managedTerminationProtection": "ENABLED",
    "managedScaling": {"status": "ENABLED", "targetCapacity": 100, "instanceWarmupPeriod": 60}})["capacityProvider"]
check("create-capacity-provider takes the group's ARN", ("ACTIVE", group["autoScalingGroupArn"]),
      (cp["status"], cp["autoScalingGroupProvider"]["autoScalingGroupArn"]))
ecs.create_cluster(clusterName="cas", capacityProviders=["py-asg"],
                   defaultCapacityProviderStrategy=[{"capacityProvider": "py-asg", "weight": 1}])
ecs.register_task_definition(family="whole", requiresCompatibilities=["EC2"], containerDefinitions=[
    {"name": "app", "image": "public.ecr.aws/nginx/nginx:1.27", "cpu": 2048, "memory": 1024, "essential": True}])
ecs.create_service(cluster="cas", serviceName="wide", taskDefinition="whole", desiredCount=6)
svc = control("settle", {"cluster": "cas", "service": "wide", "seconds": 1800})["service"]
group = get("auto-scaling-group?autoScalingGroupName=py-workers")
check("managed scaling launched an instance per task", (6, 6, 6),
      (svc["runningCount"], group["desiredCapacity"], len([i for i in group["instances"] if i.get("containerInstanceArn")])))
ecs.update_service(cluster="cas", service="wide", desiredCount=0)
steps = [group["desiredCapacity"]]
for minute in range(30):
    advance(60)
    d = get("auto-scaling-group?autoScalingGroupName=py-workers")["desiredCapacity"]
    if d != steps[-1]:
        steps.append(d)
check("the group scales in by at most half per step", [6, 3, 2, 1, 0], steps)
check("its instances are gone", [], get("auto-scaling-group?autoScalingGroupName=py-workers")["instances"])
try:
    control("create-auto-scaling-group", {"autoScalingGroupName": "py-workers", "instanceType": "c5.large"})
    check("a second group of the name is refused", 400, 200)
except urllib.error.HTTPError as err:
    check("a second group of the name is refused", (400, "InvalidParameterException"), (err.code, json.load(err)["__type"]))

# Two Regions: each its own state, its ARNs naming it (the Region the SDK
# signs for).
frankfurt = client(region="eu-central-1")
fra = frankfurt.create_cluster(clusterName="fra")["cluster"]
check("a cluster in eu-central-1 names its Region", "arn:aws:ecs:eu-central-1:123456789012:cluster/fra", fra["clusterArn"])
check("eu-central-1 has its own clusters", [fra["clusterArn"]], frankfurt.list_clusters()["clusterArns"])
check("us-east-1 does not see them", False, fra["clusterArn"] in ecs.list_clusters()["clusterArns"])

# Reset, as a moto-based suite resets between tests.
req = urllib.request.Request(URL + "/moto-api/reset", method="POST", data=b"{}", headers={"Content-Type": "application/json"})
with urllib.request.urlopen(req) as resp:
    check("moto's reset endpoint answers", 200, resp.status)
check("after reset, only the cluster the server starts with", ["arn:aws:ecs:us-east-1:123456789012:cluster/default"],
      ecs.list_clusters()["clusterArns"])
check("after reset, no task definition", [], ecs.list_task_definitions()["taskDefinitionArns"])
check("after reset, eu-central-1 is empty too", [], frankfurt.list_clusters()["clusterArns"])

finish()
