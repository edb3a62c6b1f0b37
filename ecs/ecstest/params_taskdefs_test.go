package ecstest

import (
	"strings"
	"testing"

	"github.com/ecscore/ecscore/ecs"
)

const docRegisterTD = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html"

// TestRegisterTaskDefinitionParameters audits RegisterTaskDefinition's
// own members over the wire; the rules of the container definitions and
// volumes are the ecs package's (ecs/rules_*.go and their tests).
func TestRegisterTaskDefinitionParameters(t *testing.T) {
	_, c := paramsWorld(t)
	cd := `"containerDefinitions":[{"name":"app","image":"nginx","memory":128}]`
	fargate := `"requiresCompatibilities":["FARGATE"],"networkMode":"awsvpc","containerDefinitions":[{"name":"app","image":"nginx"}]`
	ce, ipe := ecs.ClientException, ecs.InvalidParameterException
	checkRefusals(t, c, "RegisterTaskDefinition", []refusal{
		{"a task definition", `{"family":"f1",` + cd + `}`, "", "", docRegisterTD},
		{"a Fargate task definition", `{"family":"f2","cpu":"256","memory":"512",` + fargate + `}`, "", "", docRegisterTD},
		{"the logentries log driver", `{"family":"f3","containerDefinitions":[{"name":"app","image":"nginx","memory":128,"logConfiguration":{"logDriver":"logentries"}}]}`, "", "",
			"https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LogConfiguration.html logDriver (ECS takes drivers beyond the model's enum)"},

		{"no family", `{` + cd + `}`, ce, "", docRegisterTD + " family: Required: Yes"},
		{"a family with a dot", `{"family":"a.b",` + cd + `}`, ce, "", docRegisterTD + " family: Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed."},
		{"a family of 256 characters", `{"family":"` + strings.Repeat("f", 256) + `",` + cd + `}`, ce, "", docRegisterTD + " family"},
		{"no container definitions", `{"family":"f"}`, ce, "", docRegisterTD + " containerDefinitions: Required: Yes"},
		{"a network mode outside the enum", `{"family":"f","networkMode":"nat",` + cd + `}`, ce, "", docRegisterTD + " networkMode: Valid Values: bridge | host | awsvpc | none"},
		{"a pid mode outside the enum", `{"family":"f","pidMode":"vm",` + cd + `}`, ce, "", docRegisterTD + " pidMode: Valid Values: host | task"},
		{"a Fargate task without task cpu", `{"family":"f","memory":"512",` + fargate + `}`, ce, "", docRegisterTD + " cpu: If you're using the Fargate launch type, this field is required"},
		{"a Fargate task of an invalid size", `{"family":"f","cpu":"256","memory":"4096",` + fargate + `}`, ce, "", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-cpu-memory-error.html"},
		{"a Fargate task in bridge mode", `{"family":"f","cpu":"256","memory":"512","requiresCompatibilities":["FARGATE"],"networkMode":"bridge","containerDefinitions":[{"name":"app","image":"nginx"}]}`, ce, "", docRegisterTD + " networkMode: If you're using Fargate, the awsvpc network mode is required."},
		{"a compatibility outside the enum", `{"family":"f","requiresCompatibilities":["LAMBDA"],` + cd + `}`, ce, "", docRegisterTD + " requiresCompatibilities: Valid Values: EC2 | FARGATE | EXTERNAL | MANAGED_INSTANCES"},
		{"two containers of one name", `{"family":"f","containerDefinitions":[{"name":"app","image":"nginx","memory":128},{"name":"app","image":"nginx","memory":128}]}`, ce, "", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html name"},
		{"a distinctInstance constraint", `{"family":"f","placementConstraints":[{"type":"distinctInstance"}],` + cd + `}`, ce, "", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskDefinitionPlacementConstraint.html type: The only supported value is memberOf."},
		{"51 tags", `{"family":"f",` + cd + `,"tags":` + jsonList(51, `{"key":"k%d","value":"v"}`) + `}`, ipe, "tags", docRegisterTD + " tags: Maximum number of tags per resource - 50"},
	})
}
