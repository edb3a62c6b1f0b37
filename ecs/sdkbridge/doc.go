// Package sdkbridge converts between the ecs types of ecscore and those of
// the AWS SDK for Go v2's ECS client (github.com/aws/aws-sdk-go-v2/service/ecs
// and its types package), both ways, so that a program that calls ECS
// through the SDK can hand what it describes to the library and the
// library's answers back to the SDK. Its entry points:
//
//   - Convert[T](src): any shape to its counterpart, such as
//     types.ContainerInstance to ecs.ContainerInstance or
//     ecs.TaskDefinition to types.TaskDefinition;
//   - ContainerInstances, Tasks, Services and TaskDefinition: the describe
//     outputs a placement or deployment needs, SDK to ecs, in one call.
//
// The conversion is driven by the shapes: a member of one side is carried
// to the member of the other side with the same API name (ecs spells
// TaskDefinitionARN what the SDK spells TaskDefinitionArn; both are the
// API's taskDefinitionArn), *string and string, *int32 and int, *time.Time
// and ecs.Time, enums and their strings are matched, and a member that is
// set but has no counterpart is an error, never dropped silently. An
// absent (nil) SDK member is the ecs zero value, and an ecs zero value of
// a member the SDK boxes is nil.
//
// It is a module of its own, so that the library's go.mod stays free of
// the SDK.
package sdkbridge
