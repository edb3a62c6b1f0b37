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
		"RegisterTaskDefinition":        api(e, (*ECS).RegisterTaskDefinition),
		"DescribeTaskDefinition":        api(e, (*ECS).DescribeTaskDefinition),
		"DeregisterTaskDefinition":      api(e, (*ECS).DeregisterTaskDefinition),
		"ListTaskDefinitions":           api(e, (*ECS).ListTaskDefinitions),
		"ListTaskDefinitionFamilies":    api(e, (*ECS).ListTaskDefinitionFamilies),
		"CreateCluster":                 api(e, (*ECS).CreateCluster),
		"DescribeClusters":              api(e, (*ECS).DescribeClusters),
		"ListClusters":                  api(e, (*ECS).ListClusters),
		"DeleteCluster":                 api(e, (*ECS).DeleteCluster),
		"RegisterContainerInstance":     api(e, (*ECS).RegisterContainerInstance),
		"DeregisterContainerInstance":   api(e, (*ECS).DeregisterContainerInstance),
		"ListContainerInstances":        api(e, (*ECS).ListContainerInstances),
		"DescribeContainerInstances":    api(e, (*ECS).DescribeContainerInstances),
		"UpdateContainerInstancesState": api(e, (*ECS).UpdateContainerInstancesState),
		"PutAttributes":                 api(e, (*ECS).PutAttributes),
		"DeleteAttributes":              api(e, (*ECS).DeleteAttributes),
		"ListAttributes":                api(e, (*ECS).ListAttributes),
		"RunTask":                       api(e, (*ECS).RunTask),
		"StartTask":                     api(e, (*ECS).StartTask),
		"StopTask":                      api(e, (*ECS).StopTask),
		"ListTasks":                     api(e, (*ECS).ListTasks),
		"DescribeTasks":                 api(e, (*ECS).DescribeTasks),
		"CreateService":                 api(e, (*ECS).CreateService),
		"UpdateService":                 api(e, (*ECS).UpdateService),
		"DeleteService":                 api(e, (*ECS).DeleteService),
		"DescribeServices":              api(e, (*ECS).DescribeServices),
		"ListServices":                  api(e, (*ECS).ListServices),
		"CreateCapacityProvider":        api(e, (*ECS).CreateCapacityProvider),
		"UpdateCapacityProvider":        api(e, (*ECS).UpdateCapacityProvider),
		"DeleteCapacityProvider":        api(e, (*ECS).DeleteCapacityProvider),
		"DescribeCapacityProviders":     api(e, (*ECS).DescribeCapacityProviders),
		"PutClusterCapacityProviders":   api(e, (*ECS).PutClusterCapacityProviders),
		"TagResource":                   api(e, (*ECS).TagResource),
		"UntagResource":                 api(e, (*ECS).UntagResource),
		"ListTagsForResource":           api(e, (*ECS).ListTagsForResource),
		"PutAccountSetting":             api(e, (*ECS).PutAccountSetting),
		"PutAccountSettingDefault":      api(e, (*ECS).PutAccountSettingDefault),
		"DeleteAccountSetting":          api(e, (*ECS).DeleteAccountSetting),
		"ListAccountSettings":           api(e, (*ECS).ListAccountSettings),
		"UpdateCluster":                 api(e, (*ECS).UpdateCluster),
		"UpdateClusterSettings":         api(e, (*ECS).UpdateClusterSettings),
		"DeleteTaskDefinitions":         api(e, (*ECS).DeleteTaskDefinitions),
		"UpdateTaskProtection":          api(e, (*ECS).UpdateTaskProtection),
		"GetTaskProtection":             api(e, (*ECS).GetTaskProtection),
		"ListServiceDeployments":        api(e, (*ECS).ListServiceDeployments),
		"DescribeServiceDeployments":    api(e, (*ECS).DescribeServiceDeployments),
		"DescribeServiceRevisions":      api(e, (*ECS).DescribeServiceRevisions),
		"StopServiceDeployment":         api(e, (*ECS).StopServiceDeployment),
		"ContinueServiceDeployment":     api(e, (*ECS).ContinueServiceDeployment),
		"ListServicesByNamespace":       api(e, (*ECS).ListServicesByNamespace),
		"ExecuteCommand":                api(e, (*ECS).ExecuteCommand),
		"DiscoverPollEndpoint":          api(e, (*ECS).DiscoverPollEndpoint),
		"SubmitTaskStateChange":         api(e, (*ECS).SubmitTaskStateChange),
		"SubmitContainerStateChange":    api(e, (*ECS).SubmitContainerStateChange),
		"SubmitAttachmentStateChanges":  api(e, (*ECS).SubmitAttachmentStateChanges),
		"UpdateContainerAgent":          api(e, (*ECS).UpdateContainerAgent),
		"CreateDaemon":                  api(e, (*ECS).CreateDaemon),
		"UpdateDaemon":                  api(e, (*ECS).UpdateDaemon),
		"DeleteDaemon":                  api(e, (*ECS).DeleteDaemon),
		"DescribeDaemon":                api(e, (*ECS).DescribeDaemon),
		"ListDaemons":                   api(e, (*ECS).ListDaemons),
		"RegisterDaemonTaskDefinition":  api(e, (*ECS).RegisterDaemonTaskDefinition),
		"DescribeDaemonTaskDefinition":  api(e, (*ECS).DescribeDaemonTaskDefinition),
		"ListDaemonTaskDefinitions":     api(e, (*ECS).ListDaemonTaskDefinitions),
		"DeleteDaemonTaskDefinition":    api(e, (*ECS).DeleteDaemonTaskDefinition),
		"DescribeDaemonDeployments":     api(e, (*ECS).DescribeDaemonDeployments),
		"ListDaemonDeployments":         api(e, (*ECS).ListDaemonDeployments),
		"DescribeDaemonRevisions":       api(e, (*ECS).DescribeDaemonRevisions),
		"CreateTaskSet":                 api(e, (*ECS).CreateTaskSet),
		"UpdateTaskSet":                 api(e, (*ECS).UpdateTaskSet),
		"DeleteTaskSet":                 api(e, (*ECS).DeleteTaskSet),
		"DescribeTaskSets":              api(e, (*ECS).DescribeTaskSets),
		"UpdateServicePrimaryTaskSet":   api(e, (*ECS).UpdateServicePrimaryTaskSet),
		"CreateExpressGatewayService":   api(e, (*ECS).CreateExpressGatewayService),
		"DescribeExpressGatewayService": api(e, (*ECS).DescribeExpressGatewayService),
		"UpdateExpressGatewayService":   api(e, (*ECS).UpdateExpressGatewayService),
		"DeleteExpressGatewayService":   api(e, (*ECS).DeleteExpressGatewayService),
	}
}

// api makes an operation of an ECS method that takes the operation's
// request and returns its response, as every method named after an
// operation does.
func api[Req, Resp any](e *ECS, f func(*ECS, context.Context, *Req) (*Resp, error)) operation {
	return handle(e, func(ctx context.Context, e *ECS, req *Req) (any, error) {
		resp, err := f(e, ctx, req)
		if err != nil {
			return nil, err
		}
		return resp, nil
	})
}

// handle makes an operation of f, which takes the decoded request, its
// model constraints checked (checkModel). Its response gets the lists ECS
// writes even when empty
// (ecs.SetEmptyLists).
func handle[Req any](e *ECS, f func(ctx context.Context, e *ECS, req *Req) (any, error)) operation {
	return func(ctx context.Context, body []byte) (any, error) {
		req := new(Req)
		if err := decode(body, req, e.strict); err != nil {
			return nil, err
		}
		if err := checkModel(req); err != nil {
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
