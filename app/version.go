package app

import "runtime/debug"

// Version is the release version, set at build time with
// -ldflags "-X huicai/app.Version=1.2.3".
var Version = "dev"

// commit is set at build time with -X huicai/app.commit=…; otherwise it is
// read from the Go build information.
var commit = ""

// Commit returns the source revision the binary was built from.
func Commit() string {
	if commit != "" {
		return commit
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" {
				return s.Value
			}
		}
	}
	return "unknown"
}
