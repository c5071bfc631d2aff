//go:build linux && amd64 && lazygtk

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#include "gtkstub.h"

// libs are the libraries the window needs, each with those it needs.
static const char *const libs[] = {"libwebkit2gtk-4.1.so.0", "libjavascriptcoregtk-4.1.so.0", "libsoup-3.0.so.0",
	"libgtk-3.so.0", "libgdk-3.so.0", "libgdk_pixbuf-2.0.so.0", "libgio-2.0.so.0", "libgobject-2.0.so.0",
	"libglib-2.0.so.0"};

enum { nlibs = sizeof libs / sizeof libs[0] };

// huicai_gtk_unloaded is where every stub jumps before the libraries are
// loaded: calling GTK then is a bug, never a crash at a random address.
void huicai_gtk_unloaded(void) {
	fputs("huicai: GTK called before it was loaded\n", stderr);
	abort();
}

// huicai_gtk_load loads the libraries and points every stub at its
// function; it returns NULL, or what failed.
const char *huicai_gtk_load(void) {
	static char failed[512];
	void *handles[nlibs];
	for (int i = 0; i < nlibs; i++) {
		handles[i] = dlopen(libs[i], RTLD_NOW | RTLD_GLOBAL);
		if (handles[i] == NULL) {
			snprintf(failed, sizeof failed, "%s", dlerror());
			return failed;
		}
	}
	for (int i = 0; i < huicai_gtk_count; i++) {
		void *fn = NULL;
		for (int j = 0; j < nlibs && fn == NULL; j++) {
			fn = dlsym(handles[j], huicai_gtk_names[i]);
		}
		if (fn == NULL) {
			snprintf(failed, sizeof failed, "no function %s in GTK and WebKit", huicai_gtk_names[i]);
			return failed;
		}
		huicai_gtk_fn[i] = fn;
	}
	return NULL;
}
