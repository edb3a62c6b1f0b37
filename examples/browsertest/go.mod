module github.com/ecscore/ecscore/examples/browsertest

go 1.25

require (
	github.com/chromedp/chromedp v0.23.1
	github.com/ecscore/ecscore v0.0.0
)

require (
	github.com/chromedp/cdproto v0.160.1 // indirect
	github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
	golang.org/x/sync v0.18.0 // indirect
)

replace github.com/ecscore/ecscore => ../..
