// The GTK and WebKit functions the desktop window calls, as stubs that jump
// through huicai_gtk_fn (see gtkstub.go).

#pragma once

extern const int huicai_gtk_count;
extern const char *const huicai_gtk_names[];
extern void *huicai_gtk_fn[];

void huicai_gtk_unloaded(void);
const char *huicai_gtk_load(void);
