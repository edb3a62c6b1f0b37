module github.com/ecscore/ecscore

go 1.24
