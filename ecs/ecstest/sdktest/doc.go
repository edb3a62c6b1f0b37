// Package sdktest tests package ecstest with a real client, the AWS SDK for
// Go v2's ECS client. It is a module of its own, so that the library's
// go.mod does not depend on the SDK:
//
//	cd ecs/ecstest/sdktest && go test ./...
package sdktest
