package ecstest

import (
	"strings"
	"testing"

	"github.com/ecscore/ecscore/ecs"
)

const (
	docCreateCluster = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html"
	docUpdateCluster = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateCluster.html"
	docExecConfig    = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ExecuteCommandConfiguration.html"
	docPutProviders  = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PutClusterCapacityProviders.html"
)

const execOverride = `"configuration":{"executeCommandConfiguration":{"logging":"OVERRIDE","logConfiguration":{"cloudWatchLogGroupName":"exec"}}}`

func TestCreateClusterParameters(t *testing.T) {
	_, c := paramsWorld(t)
	ipe := ecs.InvalidParameterException
	rows := []refusal{
		{"a cluster", `{"clusterName":"$"}`, "", "", docCreateCluster},
		{"Fargate providers with a default strategy", `{"clusterName":"$","capacityProviders":["FARGATE","FARGATE_SPOT"],"defaultCapacityProviderStrategy":[{"capacityProvider":"FARGATE","base":1,"weight":1},{"capacityProvider":"FARGATE_SPOT","weight":4}]}`, "", "", docCreateCluster},
		{"Container Insights enhanced", `{"clusterName":"$","settings":[{"name":"containerInsights","value":"enhanced"}]}`, "", "", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ClusterSetting.html value: The supported values are enhanced, enabled, and disabled."},
		{"execute command logs of its own", `{"clusterName":"$",` + execOverride + `}`, "", "", docExecConfig},

		{"a name with a dot", `{"clusterName":"a.b"}`, ipe, "up to 255 letters", docCreateCluster + " clusterName: Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed."},
		{"a name of 256 characters", `{"clusterName":"` + strings.Repeat("c", 256) + `"}`, ipe, "up to 255 letters", docCreateCluster + " clusterName"},
		{"a setting outside the enum", `{"clusterName":"$","settings":[{"name":"insights","value":"enabled"}]}`, ipe, "Value 'insights' at 'settings.1.member.name'", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ClusterSetting.html name: Valid Values: containerInsights"},
		{"a Container Insights value it does not have", `{"clusterName":"$","settings":[{"name":"containerInsights","value":"on"}]}`, ipe, "containerInsights", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ClusterSetting.html value"},
		{"logging outside the enum", `{"clusterName":"$","configuration":{"executeCommandConfiguration":{"logging":"ALL"}}}`, ipe, "Value 'ALL' at 'configuration.executeCommandConfiguration.logging'", docExecConfig + " logging: Valid Values: NONE | DEFAULT | OVERRIDE"},
		{"OVERRIDE logging without a log configuration", `{"clusterName":"$","configuration":{"executeCommandConfiguration":{"logging":"OVERRIDE"}}}`, ipe, "logConfiguration is required when logging is OVERRIDE", docExecConfig + " logging: If the OVERRIDE logging option is specified, the logConfiguration is required."},
		{"a capacity provider that does not exist", `{"clusterName":"$","capacityProviders":["cp1"]}`, ipe, "cp1", docCreateCluster + " capacityProviders: the capacity provider must be created"},
		{"a default strategy of a provider it does not have", `{"clusterName":"$","capacityProviders":["FARGATE"],"defaultCapacityProviderStrategy":[{"capacityProvider":"FARGATE_SPOT","weight":1}]}`, ipe,
			"not associated with the cluster", docCreateCluster + " capacityProviders: A capacity provider must be associated with a cluster before it can be included as part of the default capacity provider strategy of the cluster"},
		{"two bases", `{"clusterName":"$","capacityProviders":["FARGATE","FARGATE_SPOT"],"defaultCapacityProviderStrategy":[{"capacityProvider":"FARGATE","base":1,"weight":1},{"capacityProvider":"FARGATE_SPOT","base":1,"weight":1}]}`, ipe,
			"Only one capacity provider in a capacity provider strategy can have a base defined.", docStrategyItem + " base: Only one capacity provider in a strategy can have a base defined"},
		{"a base over 100000", `{"clusterName":"$","capacityProviders":["FARGATE"],"defaultCapacityProviderStrategy":[{"capacityProvider":"FARGATE","base":100001,"weight":1}]}`, ipe, "100000", docStrategyItem + " base: The valid range is 0 to 100,000"},
		{"a strategy item without capacityProvider", `{"clusterName":"$","capacityProviders":["FARGATE"],"defaultCapacityProviderStrategy":[{"weight":1}]}`, ipe,
			"Value null at 'defaultCapacityProviderStrategy.1.member.capacityProvider'", docStrategyItem + " capacityProvider: Required: Yes"},
		{"51 tags", `{"clusterName":"$","tags":` + jsonList(51, `{"key":"k%d","value":"v"}`) + `}`, ipe, "tags", docCreateCluster + " tags: Maximum number of tags per resource - 50"},
		{"a tag key twice", `{"clusterName":"$","tags":[{"key":"k","value":"1"},{"key":"k","value":"2"}]}`, ipe, "more than once", docCreateCluster + " tags: each tag key must be unique"},
	}
	checkRefusals(t, c, "CreateCluster", rows)
}

func TestUpdateClusterParameters(t *testing.T) {
	_, c := paramsWorld(t)
	ipe := ecs.InvalidParameterException
	checkRefusals(t, c, "UpdateCluster", []refusal{
		{"execute command logs of its own", `{"cluster":"default",` + execOverride + `}`, "", "", docUpdateCluster},
		{"no cluster", `{"settings":[{"name":"containerInsights","value":"enabled"}]}`, ipe, "cluster", docUpdateCluster + " cluster: Required: Yes"},
		{"a cluster that does not exist", `{"cluster":"nope","settings":[{"name":"containerInsights","value":"enabled"}]}`, ecs.ClusterNotFoundException, "Cluster not found.", docUpdateCluster},
		{"OVERRIDE logging without a log configuration", `{"cluster":"default","configuration":{"executeCommandConfiguration":{"logging":"OVERRIDE"}}}`, ipe, "logConfiguration is required when logging is OVERRIDE", docExecConfig},
		{"a Container Insights value it does not have", `{"cluster":"default","settings":[{"name":"containerInsights","value":"on"}]}`, ipe, "containerInsights", docUpdateCluster},
	})
	checkRefusals(t, c, "UpdateClusterSettings", []refusal{
		{"no settings", `{"cluster":"default"}`, ipe, "settings", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateClusterSettings.html settings: Required: Yes"},
		{"a setting outside the enum", `{"cluster":"default","settings":[{"name":"insights","value":"enabled"}]}`, ipe, "Value 'insights' at 'settings.1.member.name'", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ClusterSetting.html name"},
	})
	checkRefusals(t, c, "PutClusterCapacityProviders", []refusal{
		{"the Fargate providers", `{"cluster":"default","capacityProviders":["FARGATE","FARGATE_SPOT"],"defaultCapacityProviderStrategy":[{"capacityProvider":"FARGATE","weight":1}]}`, "", "", docPutProviders},
		{"no cluster", `{"capacityProviders":[],"defaultCapacityProviderStrategy":[]}`, ipe, "cluster", docPutProviders + " cluster: Required: Yes"},
		{"a cluster that does not exist", `{"cluster":"nope","capacityProviders":[],"defaultCapacityProviderStrategy":[]}`, ecs.ClusterNotFoundException, "Cluster not found.", docPutProviders},
		{"a capacity provider that does not exist", `{"cluster":"default","capacityProviders":["cp1"],"defaultCapacityProviderStrategy":[]}`, ipe, "cp1", docPutProviders + " capacityProviders: the capacity provider must already be created."},
		{"a default strategy of a provider it does not have", `{"cluster":"default","capacityProviders":["FARGATE"],"defaultCapacityProviderStrategy":[{"capacityProvider":"FARGATE_SPOT","weight":1}]}`, ipe,
			"not associated with the cluster", docPutProviders + " defaultCapacityProviderStrategy: A capacity provider must be associated with the cluster to be used in a capacity provider strategy."},
		{"21 strategy items", `{"cluster":"default","capacityProviders":["FARGATE"],"defaultCapacityProviderStrategy":` + jsonList(21, `{"capacityProvider":"cp%d","weight":1}`) + `}`, ipe, "maximum of 20 capacity providers", docStrategyItem},
		{"a weight over 1000", `{"cluster":"default","capacityProviders":["FARGATE"],"defaultCapacityProviderStrategy":[{"capacityProvider":"FARGATE","weight":1001}]}`, ipe, "1000", docStrategyItem + " weight: Valid Range: Minimum value of 0. Maximum value of 1000."},
	})
	checkRefusals(t, c, "DescribeClusters", []refusal{
		{"101 clusters", `{"clusters":` + jsonList(101, `"c%d"`) + `}`, ipe, "clusters", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeClusters.html clusters: A list of up to 100 cluster names or full cluster Amazon Resource Name (ARN) entries."},
		{"include outside the enum", `{"include":["TASKS"]}`, ipe, "Value 'TASKS' at 'include.1.member'", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeClusters.html include: Valid Values: ATTACHMENTS | CONFIGURATIONS | SETTINGS | STATISTICS | TAGS"},
	})
	checkRefusals(t, c, "DeleteCluster", []refusal{
		{"no cluster", `{}`, ipe, "cluster", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteCluster.html cluster: Required: Yes"},
		{"a cluster with instances", `{"cluster":"default"}`, ecs.ClusterContainsContainerInstancesException, "", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteCluster.html: You must deregister all container instances from this cluster before you may delete it."},
	})
}
