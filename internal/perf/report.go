// Package perf is the performance suite: a seeder that builds a large
// installation through the real code paths, and measurements over the real
// HTTP API of a running "huicai serve", written as a table into
// docs/benchmarks.md with baselines from the same run. Developers only: it is
// not part of the released program.
package perf

import (
	"net/http"
)

// Env is a running installation that measurements talk to.
type Env struct {
	// BaseURL is the server's address, such as http://127.0.0.1:8765.
	BaseURL string
	Client  *http.Client
	// Token is the unit leader's bearer token; LeaderPassword unlocks the
	// unit's signing key when a batch is submitted.
	Token          string
	LeaderPassword string
	// DataDir is the installation's data folder; PID the serve process.
	DataDir string
	PID     int
	// Talents is the scale the installation was seeded at.
	Talents int
}

// Row is one measured line of the table in docs/benchmarks.md.
type Row struct {
	// Section groups rows (such as "lists", "papers").
	Section string
	Metric  string
	// Scale is the number of talents seeded, 0 when the row does not
	// depend on it.
	Scale    int
	Value    string
	Baseline string
	Goal     string
}
