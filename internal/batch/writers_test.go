package batch

// Writers is how many papers an export makes at once, for the tests.
func Writers() int { return writers() }
