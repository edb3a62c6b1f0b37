// Package browsertest loads ecscore's pages in headless Chromium: the
// console that ecstest's handler serves to a browser (ecslocal's page),
// and the HTML capacity plan and rollout reports of ecsplan. It checks
// that each renders (its sections there, its SVG charts drawn at a size
// above zero, no console error or exception) and saves a screenshot of
// each.
//
// It is a module of its own, so that the library does not depend on its
// browser driver (chromedp). Its tests need Chromium (Debian's chromium
// package; ECSCORE_CHROMIUM names another binary): they skip where there
// is none, unless CI=true or ECSCORE_REQUIRE_BROWSER=1, where they fail.
// Screenshots go to ECSCORE_BROWSER_ARTIFACTS, or to the test's
// temporary directory.
package browsertest
