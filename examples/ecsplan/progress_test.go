package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestNoProgressWhenNotTerminal: a plan over the whole default catalogue
// (long enough to show progress on a terminal) writes nothing to a
// stderr that is a file or a pipe (issue 18 item 4): no progress line,
// no control characters.
func TestNoProgressWhenNotTerminal(t *testing.T) {
	file, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	require.NoError(t, err)
	defer file.Close()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	piped := make(chan []byte)
	go func() {
		var b bytes.Buffer
		b.ReadFrom(r)
		piped <- b.Bytes()
	}()
	args := planArgsFor("-o", "json", "-azs", "eu-west-1a,eu-west-1b")
	for _, stderr := range []*os.File{file, w} {
		var stdout bytes.Buffer
		require.Equal(t, 0, runCapacity(args, &stdout, stderr))
		require.NotContains(t, stdout.String(), "planning")
	}
	require.NoError(t, w.Close())
	got, err := os.ReadFile(file.Name())
	require.NoError(t, err)
	require.Empty(t, string(got), "a file gets no progress")
	require.Empty(t, string(<-piped), "a pipe gets no progress")
}

func TestIsTerminal(t *testing.T) {
	file, err := os.Create(filepath.Join(t.TempDir(), "f"))
	require.NoError(t, err)
	defer file.Close()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	require.NoError(t, err)
	defer null.Close()
	var nilFile *os.File
	for name, wr := range map[string]any{"buffer": &bytes.Buffer{}, "file": file, "pipe": w, "null device": null, "nil file": nilFile} {
		f, _ := wr.(interface{ Write([]byte) (int, error) })
		require.False(t, isTerminal(f), name)
		require.Nil(t, newProgress(f), name)
	}
	tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0)
	if err != nil {
		t.Log("no controlling terminal to check the positive case:", err)
		return
	}
	defer tty.Close()
	require.True(t, isTerminal(tty))
}

// TestProgressShow: a progress shows nothing before progressAfter, then
// one rewritten line at most every progressEvery, and clears it at the
// end; a nil progress does nothing.
func TestProgressShow(t *testing.T) {
	var b bytes.Buffer
	p := &progress{w: &b, start: time.Now()}
	p.show("step %d", 1)
	require.Empty(t, b.String(), "too early")
	p.start = time.Now().Add(-time.Second)
	p.show("step %d", 2)
	p.show("step %d", 3) // within progressEvery of the last
	require.Equal(t, "\r\033[Kstep 2", b.String())
	p.last = time.Now().Add(-time.Second)
	p.show("step %d", 4)
	p.done()
	require.Equal(t, "\r\033[Kstep 2\r\033[Kstep 4\r\033[K", b.String())
	var none *progress
	none.show("x")
	none.done()
	require.False(t, strings.Contains(b.String(), "x"))
}
