//go:build race

package app

// raceEnabled is true when the tests run under the race detector, whose
// shadow memory makes memory figures meaningless.
const raceEnabled = true
