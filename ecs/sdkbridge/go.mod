module github.com/ecscore/ecscore/ecs/sdkbridge

go 1.24.0

require (
	github.com/aws/aws-sdk-go-v2 v1.47.6
	github.com/aws/aws-sdk-go-v2/service/ecs v1.104.0
	github.com/ecscore/ecscore v0.0.0
	github.com/google/go-cmp v0.7.0
)

require (
	github.com/aws/aws-sdk-go-v2/internal/configsources v1.5.9 // indirect
	github.com/aws/aws-sdk-go-v2/internal/endpoints/v2 v2.8.9 // indirect
	github.com/aws/smithy-go v1.28.8 // indirect
	golang.org/x/sync v0.18.0 // indirect
)

replace github.com/ecscore/ecscore => ../..
