#!/usr/bin/env bash
# The aws command-line client against ecslocal (package ecstest served over
# the ECS API), with dummy credentials and --endpoint-url: register a task
# definition, register six container instances over three Availability
# Zones, create a service of 6 tasks and see them spread two per zone,
# update it to a new revision and see the deployment complete (aws ecs wait
# services-stable, on ecslocal's clock at its default speed, 60), run a
# task that cannot fit and see the failure reason, see an invalid task
# definition refused with a ClientException, tag the service, follow its
# service deployments (and fail to stop a finished one), protect a task from
# scale-in until protection ends, and disconnect an instance's agent over
# the control endpoint; and a scheduled task through aws events.
#
#   bash ecs/ecstest/awscli_test.sh
#
# It builds ./examples/ecslocal unless $ECSLOCAL names a command that runs
# it. Without the aws command it says so and exits 0. It ends with the line
# "awscli: N passed, N failed" and exits 1 when a check failed.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v aws >/dev/null; then
	echo "awscli: the aws command is not installed: skipped"
	exit 0
fi

tmp=$(mktemp -d)
pid=""
cleanup() {
	if [ -n "$pid" ]; then
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

if [ -z "${ECSLOCAL:-}" ]; then
	(cd "$root" && go build -o "$tmp/ecslocal" ./examples/ecslocal)
	ECSLOCAL="$tmp/ecslocal"
fi
$ECSLOCAL -addr 127.0.0.1:0 -cluster demo >"$tmp/out" 2>"$tmp/err" &
pid=$!
for _ in $(seq 300); do
	grep -q '^ecslocal listening on ' "$tmp/out" && break
	kill -0 "$pid" 2>/dev/null || { cat "$tmp/err" >&2; exit 1; }
	sleep 0.1
done
url=$(sed -n 's/^ecslocal listening on //p' "$tmp/out")
[ -n "$url" ] || { echo "awscli: ecslocal did not start" >&2; cat "$tmp/err" >&2; exit 1; }

export AWS_ACCESS_KEY_ID=AKIDECSLOCAL AWS_SECRET_ACCESS_KEY=ecslocal AWS_DEFAULT_REGION=us-east-1 \
	AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true \
	AWS_PAGER="" AWS_MAX_ATTEMPTS=1
ecs() { aws ecs --endpoint-url "$url" --output text "$@"; }

passed=0
failed=0
check() { # NAME WANT GOT
	if [ "$2" = "$3" ]; then
		passed=$((passed + 1))
		echo "ok    $1"
	else
		failed=$((failed + 1))
		printf 'FAIL  %s\n      want: %s\n      got:  %s\n' "$1" "$2" "$3"
	fi
}
refused() { # NAME EXCEPTION COMMAND...: the command fails with EXCEPTION
	local name=$1 want=$2
	shift 2
	if "$@" >"$tmp/cmd.out" 2>"$tmp/cmd.err"; then
		check "$name" "$want" "success"
	else
		check "$name" "$want" "$(grep -o '([A-Za-z]*Exception)' "$tmp/cmd.err" | tr -d '()' | head -1)"
	fi
}

# A task definition.
cat >"$tmp/web.json" <<'EOF'
{
  "family": "web",
  "containerDefinitions": [{
    "name": "web", "image": "nginx:1.27", "cpu": 256, "memory": 512,
    "portMappings": [{"containerPort": 80, "hostPort": 0}]
  }]
}
EOF
check "register-task-definition" "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1 ACTIVE" \
	"$(ecs register-task-definition --cli-input-json "file://$tmp/web.json" \
		--query 'taskDefinition.[taskDefinitionArn,status]' | tr '\t' ' ')"
check "describe-task-definition" "1" "$(ecs describe-task-definition --task-definition web --query 'taskDefinition.revision')"

# Six container instances over three Availability Zones.
for i in 0 1 2 3 4 5; do
	az="us-east-1$(echo abc | cut -c$((i % 3 + 1)))"
	ecs register-container-instance --cluster demo \
		--attributes "name=ecs.availability-zone,value=$az" "name=ecs.instance-type,value=c5.large" \
		--query 'containerInstance.containerInstanceArn' >>"$tmp/arns"
done
check "six instances registered" "6" "$(grep -cE '^arn:aws:ecs:us-east-1:123456789012:container-instance/demo/[0-9a-f]{32}$' "$tmp/arns")"
check "list-container-instances" "6" "$(ecs list-container-instances --cluster demo --query 'length(containerInstanceArns)')"
# shellcheck disable=SC2046 # one argument per ARN
zones=$(ecs describe-container-instances --cluster demo --container-instances $(cat "$tmp/arns") \
	--query "containerInstances[].attributes[?name=='ecs.availability-zone'].value[]" | tr '\t' '\n' | sort | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' ')
check "two instances per zone" "us-east-1a=2 us-east-1b=2 us-east-1c=2 " "$zones"
check "registered CPU from the catalogue" "2048" \
	"$(ecs describe-container-instances --cluster demo --container-instances "$(head -1 "$tmp/arns")" \
		--query "containerInstances[0].registeredResources[?name=='CPU'].integerValue | [0]")"
check "cluster counts them" "6" "$(ecs describe-clusters --clusters demo --query 'clusters[0].registeredContainerInstancesCount')"
check "list-container-instances --filter" "2" "$(ecs list-container-instances --cluster demo \
	--filter 'attribute:ecs.availability-zone == us-east-1b' --query 'length(containerInstanceArns)')"

# A service of six tasks, spread two per zone.
ecs register-task-definition --cli-input-json "file://$tmp/web.json" >/dev/null # web:2
check "create-service" "ACTIVE 6" "$(ecs create-service --cluster demo --service-name web --task-definition web:1 \
	--desired-count 6 --query 'service.[status,desiredCount]' | tr '\t' ' ')"
zones() { # the zones of the service's tasks, counted
	# shellcheck disable=SC2046 # one argument per ARN
	ecs describe-tasks --cluster demo --tasks $(ecs list-tasks --cluster demo --service-name web --query 'taskArns') \
		--query 'tasks[].availabilityZone' | tr '\t' '\n' | sort | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' '
}

# A task that cannot fit, and why; an invalid task definition.
cat >"$tmp/big.json" <<'EOF2'
{"family": "big", "containerDefinitions": [{"name": "big", "image": "nginx:1.27", "memory": 100000}]}
EOF2
ecs register-task-definition --cli-input-json "file://$tmp/big.json" >/dev/null
check "run-task that cannot fit" "RESOURCE:MEMORY 0" \
	"$(ecs run-task --cluster demo --task-definition big --query '[failures[0].reason,length(tasks)]' | tr '\t' ' ')"
refused "task definition without containers" ClientException \
	ecs register-task-definition --family broken --container-definitions '[]'
refused "task definition with a bad family" ClientException \
	ecs register-task-definition --family 'no spaces' --container-definitions '[{"name":"a","image":"b","memory":64}]'
refused "unknown cluster" ClusterNotFoundException ecs list-container-instances --cluster nowhere
refused "invalid filter" InvalidParameterException ecs list-container-instances --cluster demo --filter 'attribute:stack =='
refused "unknown service" ServiceNotFoundException ecs update-service --cluster demo --service web2 --desired-count 1

start=$SECONDS
ecs wait services-stable --cluster demo --services web
check "services-stable after create-service" "6 1" \
	"$(ecs describe-services --cluster demo --services web --query 'services[0].[runningCount,length(deployments)]' | tr '\t' ' ')"
check "two tasks per zone" "us-east-1a=2 us-east-1b=2 us-east-1c=2 " "$(zones)"

# A rolling update to the new revision.
check "update-service starts a deployment" "2" \
	"$(ecs update-service --cluster demo --service web --task-definition web:2 --query 'length(service.deployments)')"
ecs wait services-stable --cluster demo --services web
check "services-stable after update-service" "COMPLETED arn:aws:ecs:us-east-1:123456789012:task-definition/web:2" \
	"$(ecs describe-services --cluster demo --services web --query 'services[0].deployments[0].[rolloutState,taskDefinition]' | tr '\t' ' ')"
# shellcheck disable=SC2046 # one argument per ARN
check "all six tasks of the new revision" "6 arn:aws:ecs:us-east-1:123456789012:task-definition/web:2" \
	"$(ecs describe-tasks --cluster demo --tasks $(ecs list-tasks --cluster demo --service-name web --query 'taskArns') \
		--query 'tasks[].taskDefinitionArn' | tr '\t' '\n' | uniq -c | awk '{print $1, $2}')"
check "still two per zone" "us-east-1a=2 us-east-1b=2 us-east-1c=2 " "$(zones)"
echo "      (the waits took $((SECONDS - start)) s)"

# Tags on the service, shown by describe-services when asked for.
svc=$(ecs describe-services --cluster demo --services web --query 'services[0].serviceArn')
ecs tag-resource --resource-arn "$svc" --tags key=team,value=web key=stack,value=dev
ecs untag-resource --resource-arn "$svc" --tag-keys stack
check "tag-resource and untag-resource" "team web" \
	"$(ecs list-tags-for-resource --resource-arn "$svc" --query 'tags[].[key,value]' | tr '\t' ' ')"
check "describe-services --include TAGS" "team" \
	"$(ecs describe-services --cluster demo --services web --include TAGS --query 'services[0].tags[].key')"
refused "a tag key in the aws: namespace" InvalidParameterException \
	ecs tag-resource --resource-arn "$svc" --tags key=aws:owner,value=me

# The service's deployments, newest first, and the revision deployed.
check "list-service-deployments" "SUCCESSFUL SUCCESSFUL" \
	"$(ecs list-service-deployments --cluster demo --service web --query 'serviceDeployments[].status' | tr '\t' ' ')"
dep=$(ecs list-service-deployments --cluster demo --service web --query 'serviceDeployments[0].serviceDeploymentArn')
rev=$(ecs describe-service-deployments --service-deployment-arns "$dep" --query 'serviceDeployments[0].targetServiceRevision.arn')
check "describe-service-revisions" "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2" \
	"$(ecs describe-service-revisions --service-revision-arns "$rev" --query 'serviceRevisions[0].taskDefinition')"

check "list-service-deployments --status" "" \
	"$(ecs list-service-deployments --cluster demo --service web --status IN_PROGRESS --query 'serviceDeployments[].status')"
refused "a finished deployment cannot be stopped" ConflictException \
	ecs stop-service-deployment --service-deployment-arn "$dep" --stop-type ROLLBACK

# A task protected from scale-in stays when the service scales in.
task=$(ecs list-tasks --cluster demo --service-name web --query 'taskArns[0]')
check "update-task-protection" "True" "$(ecs update-task-protection --cluster demo --tasks "$task" \
	--protection-enabled --expires-in-minutes 60 --query 'protectedTasks[0].protectionEnabled')"
check "get-task-protection" "True" \
	"$(ecs get-task-protection --cluster demo --tasks "$task" --query 'protectedTasks[0].protectionEnabled')"
ecs update-service --cluster demo --service web --desired-count 1 >/dev/null
ecs wait services-stable --cluster demo --services web
check "scale-in keeps the protected task" "$task" "$(ecs list-tasks --cluster demo --service-name web --query 'taskArns')"
check "get-task-protection shows when it expires" "1" \
	"$(ecs get-task-protection --cluster demo --tasks "$task" --query 'length(protectedTasks[?expirationDate])')"
ecs update-service --cluster demo --service web --desired-count 0 >/dev/null
ecs update-task-protection --cluster demo --tasks "$task" --no-protection-enabled >/dev/null
ecs wait services-stable --cluster demo --services web
check "unprotected, it goes" "" "$(ecs list-tasks --cluster demo --service-name web --query 'taskArns')"

# A scheduled task: an EventBridge rule (aws events, on the same endpoint)
# runs the task definition every minute of ecslocal's clock.
events() { aws events --endpoint-url "$url" --output text "$@"; }
check "events put-rule" "arn:aws:events:us-east-1:123456789012:rule/every-minute" \
	"$(events put-rule --name every-minute --schedule-expression 'rate(1 minute)')"
check "events put-targets" "0" "$(events put-targets --rule every-minute --query FailedEntryCount --targets \
	'Id=web,Arn=arn:aws:ecs:us-east-1:123456789012:cluster/demo,RoleArn=arn:aws:iam::123456789012:role/ecsEventsRole,EcsParameters={TaskDefinitionArn=web:1,TaskCount=1,LaunchType=EC2}')"
check "events list-targets-by-rule" "web:1" "$(events list-targets-by-rule --rule every-minute --query 'Targets[0].EcsParameters.TaskDefinitionArn')"
refused "events delete-rule refuses a rule with targets" ValidationException events delete-rule --name every-minute
refused "events put-rule refuses at()" ValidationException events put-rule --name once --schedule-expression 'at(2030-01-01T00:00:00)'
started=""
for _ in $(seq 100); do
	started=$(ecs list-tasks --cluster demo --started-by events-rule/every-minute --query 'length(taskArns)')
	[ "$started" != "0" ] && break
	sleep 0.1
done
check "the rule ran the task" "events-rule/every-minute" "$(ecs describe-tasks --cluster demo \
	--tasks "$(ecs list-tasks --cluster demo --started-by events-rule/every-minute --query 'taskArns[0]')" --query 'tasks[0].startedBy')"
events disable-rule --name every-minute
check "events describe-rule after disable-rule" "DISABLED" "$(events describe-rule --name every-minute --query State)"
events remove-targets --rule every-minute --ids web >/dev/null
events delete-rule --name every-minute
check "events list-rules after delete-rule" "0" "$(events list-rules --query 'length(Rules)')"

# Application Auto Scaling on the same endpoint: a scalable target whose
# minimum is above the desired count raises it, as a scaling activity.
aas() { aws application-autoscaling --endpoint-url "$url" --output text "$@"; }
aas register-scalable-target --service-namespace ecs --resource-id service/demo/web \
	--scalable-dimension ecs:service:DesiredCount --min-capacity 1 --max-capacity 3 >/dev/null
check "describe-scalable-targets" "1 3" "$(aas describe-scalable-targets --service-namespace ecs \
	--query 'ScalableTargets[0].[MinCapacity,MaxCapacity]' | tr '\t' ' ')"
check "put-scaling-policy answers its alarms" "2" "$(aas put-scaling-policy --service-namespace ecs \
	--resource-id service/demo/web --scalable-dimension ecs:service:DesiredCount --policy-name cpu50 \
	--policy-type TargetTrackingScaling --target-tracking-scaling-policy-configuration \
	'{"TargetValue": 50, "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}' \
	--query 'length(Alarms)')"
check "the new minimum raised the desired count" "1" \
	"$(ecs describe-services --cluster demo --services web --query 'services[0].desiredCount')"
check "describe-scaling-activities" "minimum capacity was set to 1" \
	"$(aas describe-scaling-activities --service-namespace ecs --query 'ScalingActivities[0].Cause')"
refused "deregister-scalable-target of no target" ObjectNotFoundException \
	aas deregister-scalable-target --service-namespace ecs --resource-id service/demo/nope \
	--scalable-dimension ecs:service:DesiredCount
aas deregister-scalable-target --service-namespace ecs --resource-id service/demo/web \
	--scalable-dimension ecs:service:DesiredCount >/dev/null

# A fault over the control endpoint, as a shell test injects one: the
# instance's agent disconnects.
inst=$(head -1 "$tmp/arns")
command -v curl >/dev/null || { echo "awscli: no curl: the control endpoint is not checked"; echo "awscli: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit; }
curl -sf -X POST -H 'Content-Type: application/json' -d "{\"cluster\": \"demo\", \"containerInstance\": \"$inst\"}" \
	"$url/_ecslocal/disconnect-agent" >/dev/null
check "a fault over /_ecslocal/: the agent disconnects" "False" \
	"$(ecs describe-container-instances --cluster demo --container-instances "$inst" --query 'containerInstances[0].agentConnected')"

echo "awscli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
