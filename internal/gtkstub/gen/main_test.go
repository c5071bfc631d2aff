package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestStubsJumpThroughTheTable writes the stubs of two functions: each is
// hidden from the libraries and jumps through its own slot of the table,
// which starts at the handler for calls before loading.
func TestStubsJumpThroughTheTable(t *testing.T) {
	var out bytes.Buffer
	if err := write(&out, strings.NewReader("gtk_init\n\nwebkit_web_view_new\n")); err != nil {
		t.Fatal(err)
	}
	c := out.String()
	for _, want := range []string{
		"//go:build linux && amd64 && lazygtk",
		"const int huicai_gtk_count = 2;",
		"\t\"gtk_init\",\n\t\"webkit_web_view_new\",\n",
		"void *huicai_gtk_fn[] = {[0 ... 1] = (void *)huicai_gtk_unloaded};",
		`".globl gtk_init\n.hidden gtk_init\n.type gtk_init, @function\ngtk_init: jmp *huicai_gtk_fn+0(%rip)\n"`,
		`webkit_web_view_new: jmp *huicai_gtk_fn+8(%rip)\n"`,
	} {
		if !strings.Contains(c, want) {
			t.Errorf("the stubs lack %q:\n%s", want, c)
		}
	}
}

// TestNoFunctionsIsAnError refuses to write an empty table: a linked build
// that imports nothing from GTK means the list was taken from the wrong
// binary.
func TestNoFunctionsIsAnError(t *testing.T) {
	var out bytes.Buffer
	if err := write(&out, strings.NewReader("\n")); err == nil || out.Len() != 0 {
		t.Errorf("empty input: %v, wrote %q", err, out.String())
	}
}
