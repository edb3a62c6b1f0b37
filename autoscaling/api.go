package autoscaling

// The request and response shapes of the Application Auto Scaling
// operations a simulated world serves for ECS services, in the API's
// member names
// (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_Operations.html).
// Integer members the API leaves optional are pointers.

import "github.com/ecscore/ecscore/ecs"

// Alarm is a CloudWatch alarm a scaling policy is associated with.
type Alarm struct {
	AlarmName string `json:"AlarmName"`
	AlarmARN  string `json:"AlarmARN"`
}

// RegisterScalableTargetRequest registers a scalable target, or updates
// the one registered (only the members given change).
type RegisterScalableTargetRequest struct {
	ServiceNamespace  string            `json:"ServiceNamespace"`
	ResourceId        string            `json:"ResourceId"`
	ScalableDimension string            `json:"ScalableDimension"`
	MinCapacity       *int              `json:"MinCapacity,omitempty"`
	MaxCapacity       *int              `json:"MaxCapacity,omitempty"`
	RoleARN           string            `json:"RoleARN,omitempty"`
	SuspendedState    *SuspendedState   `json:"SuspendedState,omitempty"`
	Tags              map[string]string `json:"Tags,omitempty"`
}

// RegisterScalableTargetResponse is the answer of RegisterScalableTarget.
type RegisterScalableTargetResponse struct {
	ScalableTargetARN string `json:"ScalableTargetARN,omitempty"`
}

// DescribeScalableTargetsRequest lists the scalable targets of a
// namespace, those of ResourceIds and ScalableDimension when given.
type DescribeScalableTargetsRequest struct {
	ServiceNamespace  string   `json:"ServiceNamespace"`
	ResourceIds       []string `json:"ResourceIds,omitempty"`
	ScalableDimension string   `json:"ScalableDimension,omitempty"`
	MaxResults        *int     `json:"MaxResults,omitempty"`
	NextToken         string   `json:"NextToken,omitempty"`
}

// DescribeScalableTargetsResponse is a page of scalable targets.
type DescribeScalableTargetsResponse struct {
	ScalableTargets []ScalableTarget `json:"ScalableTargets"`
	NextToken       string           `json:"NextToken,omitempty"`
}

// DeregisterScalableTargetRequest deregisters a scalable target, with its
// scaling policies and scheduled actions.
type DeregisterScalableTargetRequest struct {
	ServiceNamespace  string `json:"ServiceNamespace"`
	ResourceId        string `json:"ResourceId"`
	ScalableDimension string `json:"ScalableDimension"`
}

// DeregisterScalableTargetResponse is the (empty) answer of
// DeregisterScalableTarget.
type DeregisterScalableTargetResponse struct{}

// PutScalingPolicyRequest creates or replaces a scaling policy of a
// registered scalable target.
type PutScalingPolicyRequest struct {
	PolicyName                               string                                    `json:"PolicyName"`
	ServiceNamespace                         string                                    `json:"ServiceNamespace"`
	ResourceId                               string                                    `json:"ResourceId"`
	ScalableDimension                        string                                    `json:"ScalableDimension"`
	PolicyType                               string                                    `json:"PolicyType,omitempty"`
	StepScalingPolicyConfiguration           *StepScalingPolicyConfiguration           `json:"StepScalingPolicyConfiguration,omitempty"`
	TargetTrackingScalingPolicyConfiguration *TargetTrackingScalingPolicyConfiguration `json:"TargetTrackingScalingPolicyConfiguration,omitempty"`
}

// PutScalingPolicyResponse is the answer of PutScalingPolicy: the policy's
// ARN and, for target tracking, the alarms it created.
type PutScalingPolicyResponse struct {
	PolicyARN string  `json:"PolicyARN"`
	Alarms    []Alarm `json:"Alarms,omitempty"`
}

// DescribeScalingPoliciesRequest lists the scaling policies of a
// namespace, narrowed by the members given.
type DescribeScalingPoliciesRequest struct {
	PolicyNames       []string `json:"PolicyNames,omitempty"`
	ServiceNamespace  string   `json:"ServiceNamespace"`
	ResourceId        string   `json:"ResourceId,omitempty"`
	ScalableDimension string   `json:"ScalableDimension,omitempty"`
	MaxResults        *int     `json:"MaxResults,omitempty"`
	NextToken         string   `json:"NextToken,omitempty"`
}

// DescribeScalingPoliciesResponse is a page of scaling policies.
type DescribeScalingPoliciesResponse struct {
	ScalingPolicies []ScalingPolicy `json:"ScalingPolicies"`
	NextToken       string          `json:"NextToken,omitempty"`
}

// DeleteScalingPolicyRequest deletes a scaling policy.
type DeleteScalingPolicyRequest struct {
	PolicyName        string `json:"PolicyName"`
	ServiceNamespace  string `json:"ServiceNamespace"`
	ResourceId        string `json:"ResourceId"`
	ScalableDimension string `json:"ScalableDimension"`
}

// DeleteScalingPolicyResponse is the (empty) answer of
// DeleteScalingPolicy.
type DeleteScalingPolicyResponse struct{}

// PutScheduledActionRequest creates or updates a scheduled action of a
// registered scalable target.
type PutScheduledActionRequest struct {
	ServiceNamespace     string                `json:"ServiceNamespace"`
	Schedule             string                `json:"Schedule,omitempty"`
	Timezone             string                `json:"Timezone,omitempty"`
	ScheduledActionName  string                `json:"ScheduledActionName"`
	ResourceId           string                `json:"ResourceId"`
	ScalableDimension    string                `json:"ScalableDimension"`
	StartTime            *ecs.Time             `json:"StartTime,omitempty"`
	EndTime              *ecs.Time             `json:"EndTime,omitempty"`
	ScalableTargetAction *ScalableTargetAction `json:"ScalableTargetAction,omitempty"`
}

// PutScheduledActionResponse is the (empty) answer of PutScheduledAction.
type PutScheduledActionResponse struct{}

// DescribeScheduledActionsRequest lists the scheduled actions of a
// namespace, narrowed by the members given.
type DescribeScheduledActionsRequest struct {
	ScheduledActionNames []string `json:"ScheduledActionNames,omitempty"`
	ServiceNamespace     string   `json:"ServiceNamespace"`
	ResourceId           string   `json:"ResourceId,omitempty"`
	ScalableDimension    string   `json:"ScalableDimension,omitempty"`
	MaxResults           *int     `json:"MaxResults,omitempty"`
	NextToken            string   `json:"NextToken,omitempty"`
}

// DescribeScheduledActionsResponse is a page of scheduled actions.
type DescribeScheduledActionsResponse struct {
	ScheduledActions []ScheduledAction `json:"ScheduledActions"`
	NextToken        string            `json:"NextToken,omitempty"`
}

// DeleteScheduledActionRequest deletes a scheduled action.
type DeleteScheduledActionRequest struct {
	ServiceNamespace    string `json:"ServiceNamespace"`
	ScheduledActionName string `json:"ScheduledActionName"`
	ResourceId          string `json:"ResourceId"`
	ScalableDimension   string `json:"ScalableDimension"`
}

// DeleteScheduledActionResponse is the (empty) answer of
// DeleteScheduledAction.
type DeleteScheduledActionResponse struct{}

// DescribeScalingActivitiesRequest lists the scaling activities of a
// namespace, newest first, narrowed by the members given.
type DescribeScalingActivitiesRequest struct {
	ServiceNamespace           string `json:"ServiceNamespace"`
	ResourceId                 string `json:"ResourceId,omitempty"`
	ScalableDimension          string `json:"ScalableDimension,omitempty"`
	MaxResults                 *int   `json:"MaxResults,omitempty"`
	NextToken                  string `json:"NextToken,omitempty"`
	IncludeNotScaledActivities *bool  `json:"IncludeNotScaledActivities,omitempty"`
}

// DescribeScalingActivitiesResponse is a page of scaling activities.
type DescribeScalingActivitiesResponse struct {
	ScalingActivities []ScalingActivity `json:"ScalingActivities"`
	NextToken         string            `json:"NextToken,omitempty"`
}

// TagResourceRequest adds or replaces tags of a scalable target, named by
// its ARN.
type TagResourceRequest struct {
	ResourceARN string            `json:"ResourceARN"`
	Tags        map[string]string `json:"Tags"`
}

// TagResourceResponse is the (empty) answer of TagResource.
type TagResourceResponse struct{}

// UntagResourceRequest deletes tags of a scalable target.
type UntagResourceRequest struct {
	ResourceARN string   `json:"ResourceARN"`
	TagKeys     []string `json:"TagKeys"`
}

// UntagResourceResponse is the (empty) answer of UntagResource.
type UntagResourceResponse struct{}

// ListTagsForResourceRequest lists the tags of a scalable target.
type ListTagsForResourceRequest struct {
	ResourceARN string `json:"ResourceARN"`
}

// ListTagsForResourceResponse is the tags of a scalable target.
type ListTagsForResourceResponse struct {
	Tags map[string]string `json:"Tags"`
}
