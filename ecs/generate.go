package ecs

//go:generate go run ./internal/apigen -model ../../shared/aws-ecs-api/service-2.json -out api_types.go
