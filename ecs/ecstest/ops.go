package ecstest

import (
	"context"

	"github.com/ecscore/ecscore/ecs"
)

// operations is the dispatch table: each operation ecstest serves, by the
// name X-Amz-Target gives it.
func (h *handler) operations() map[string]operation {
	e := h.e
	return map[string]operation{
		"RegisterTaskDefinition":        handle(e, registerTaskDefinition),
		"DescribeTaskDefinition":        handle(e, describeTaskDefinition),
		"DeregisterTaskDefinition":      handle(e, deregisterTaskDefinition),
		"ListTaskDefinitions":           handle(e, listTaskDefinitions),
		"ListTaskDefinitionFamilies":    handle(e, listTaskDefinitionFamilies),
		"CreateCluster":                 handle(e, createCluster),
		"DescribeClusters":              handle(e, describeClusters),
		"ListClusters":                  handle(e, listClusters),
		"DeleteCluster":                 handle(e, deleteCluster),
		"RegisterContainerInstance":     handle(e, registerContainerInstance),
		"DeregisterContainerInstance":   handle(e, deregisterContainerInstance),
		"ListContainerInstances":        handle(e, listContainerInstances),
		"DescribeContainerInstances":    handle(e, describeContainerInstances),
		"UpdateContainerInstancesState": handle(e, updateContainerInstancesState),
		"PutAttributes":                 handle(e, putAttributes),
		"DeleteAttributes":              handle(e, deleteAttributes),
		"ListAttributes":                handle(e, listAttributes),
		"RunTask":                       handle(e, runTask),
		"StartTask":                     handle(e, startTask),
		"StopTask":                      handle(e, stopTask),
		"ListTasks":                     handle(e, listTasks),
		"DescribeTasks":                 handle(e, describeTasks),
		"CreateService":                 handle(e, createService),
		"UpdateService":                 handle(e, updateService),
		"DeleteService":                 handle(e, deleteService),
		"DescribeServices":              handle(e, describeServices),
		"ListServices":                  handle(e, listServices),
		"CreateCapacityProvider":        handle(e, createCapacityProvider),
		"UpdateCapacityProvider":        handle(e, updateCapacityProvider),
		"DeleteCapacityProvider":        handle(e, deleteCapacityProvider),
		"DescribeCapacityProviders":     handle(e, describeCapacityProviders),
		"PutClusterCapacityProviders":   handle(e, putClusterCapacityProviders),
		"TagResource":                   handle(e, tagResource),
		"UntagResource":                 handle(e, untagResource),
		"ListTagsForResource":           handle(e, listTagsForResource),
		"PutAccountSetting":             handle(e, putAccountSetting),
		"PutAccountSettingDefault":      handle(e, putAccountSettingDefault),
		"DeleteAccountSetting":          handle(e, deleteAccountSetting),
		"ListAccountSettings":           handle(e, listAccountSettings),
		"UpdateCluster":                 handle(e, updateCluster),
		"UpdateClusterSettings":         handle(e, updateClusterSettings),
		"DeleteTaskDefinitions":         handle(e, deleteTaskDefinitions),
		"UpdateTaskProtection":          handle(e, updateTaskProtection),
		"GetTaskProtection":             handle(e, getTaskProtection),
		"ListServiceDeployments":        handle(e, listServiceDeployments),
		"DescribeServiceDeployments":    handle(e, describeServiceDeployments),
		"DescribeServiceRevisions":      handle(e, describeServiceRevisions),
		"StopServiceDeployment":         handle(e, stopServiceDeployment),
		"ContinueServiceDeployment":     handle(e, continueServiceDeployment),
	}
}

// handle makes an operation of f, which takes the decoded request. Its
// response gets the lists ECS writes even when empty
// (ecs.SetEmptyLists).
func handle[Req any](e *ECS, f func(ctx context.Context, e *ECS, req *Req) (any, error)) operation {
	return func(ctx context.Context, body []byte) (any, error) {
		req := new(Req)
		if err := decode(body, req, e.strict); err != nil {
			return nil, err
		}
		resp, err := f(ctx, e, req)
		if err == nil {
			ecs.SetEmptyLists(resp)
		}
		return resp, err
	}
}

// modelOperations returns the operations of the ECS API model
// (service-2.json, API version 2014-11-13), so that one ecstest does not
// serve is told apart from one the API does not have.
func modelOperations() []string {
	return []string{
		"ContinueServiceDeployment", "CreateCapacityProvider", "CreateCluster",
		"CreateDaemon", "CreateExpressGatewayService", "CreateService",
		"CreateTaskSet", "DeleteAccountSetting", "DeleteAttributes",
		"DeleteCapacityProvider", "DeleteCluster", "DeleteDaemon",
		"DeleteDaemonTaskDefinition", "DeleteExpressGatewayService", "DeleteService",
		"DeleteTaskDefinitions", "DeleteTaskSet", "DeregisterContainerInstance",
		"DeregisterTaskDefinition", "DescribeCapacityProviders", "DescribeClusters",
		"DescribeContainerInstances", "DescribeDaemon", "DescribeDaemonDeployments",
		"DescribeDaemonRevisions", "DescribeDaemonTaskDefinition",
		"DescribeExpressGatewayService", "DescribeServiceDeployments",
		"DescribeServiceRevisions", "DescribeServices", "DescribeTaskDefinition",
		"DescribeTaskSets", "DescribeTasks", "DiscoverPollEndpoint",
		"ExecuteCommand", "GetTaskProtection", "ListAccountSettings",
		"ListAttributes", "ListClusters", "ListContainerInstances",
		"ListDaemonDeployments", "ListDaemonTaskDefinitions", "ListDaemons",
		"ListServiceDeployments", "ListServices", "ListServicesByNamespace",
		"ListTagsForResource", "ListTaskDefinitionFamilies", "ListTaskDefinitions",
		"ListTasks", "PutAccountSetting", "PutAccountSettingDefault",
		"PutAttributes", "PutClusterCapacityProviders", "RegisterContainerInstance",
		"RegisterDaemonTaskDefinition", "RegisterTaskDefinition", "RunTask",
		"StartTask", "StopServiceDeployment", "StopTask",
		"SubmitAttachmentStateChanges", "SubmitContainerStateChange",
		"SubmitTaskStateChange", "TagResource", "UntagResource",
		"UpdateCapacityProvider", "UpdateCluster", "UpdateClusterSettings",
		"UpdateContainerAgent", "UpdateContainerInstancesState", "UpdateDaemon",
		"UpdateExpressGatewayService", "UpdateService",
		"UpdateServicePrimaryTaskSet", "UpdateTaskProtection", "UpdateTaskSet",
	}
}
