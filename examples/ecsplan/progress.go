package main

import (
	"fmt"
	"io"
	"os"
	"time"
)

// Progress is shown only once a command has run progressAfter, and
// rewritten at most every progressEvery.
const (
	progressAfter = 300 * time.Millisecond
	progressEvery = 100 * time.Millisecond
)

// progress shows a long command's progress on one line of stderr that it
// rewrites. It is made only for a terminal: a file or a pipe gets no
// progress and no control characters, and the output (stdout) never
// does. A nil *progress shows nothing.
type progress struct {
	w           io.Writer
	start, last time.Time
	shown       bool
}

// newProgress returns a progress writing to w, or nil when w is not a
// terminal.
func newProgress(w io.Writer) *progress {
	if !isTerminal(w) {
		return nil
	}
	return &progress{w: w, start: time.Now()}
}

// isTerminal reports whether w is a terminal: a character device other
// than the null device (without a dependency for the terminal ioctl).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || f == nil {
		return false
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	if null, err := os.Stat(os.DevNull); err == nil && os.SameFile(fi, null) {
		return false
	}
	return true
}

// show rewrites the line with the message, unless the command has run
// less than progressAfter or the line was written less than
// progressEvery ago.
func (p *progress) show(format string, args ...any) {
	if p == nil {
		return
	}
	now := time.Now()
	if now.Sub(p.start) < progressAfter || p.shown && now.Sub(p.last) < progressEvery {
		return
	}
	p.last, p.shown = now, true
	fmt.Fprintf(p.w, "\r\033[K"+format, args...)
}

// done clears the line, if one was shown.
func (p *progress) done() {
	if p != nil && p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
