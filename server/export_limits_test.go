package server

// NewMemRateCounter returns the in-process RateCounter, for tests and
// benchmarks of package server_test.
func NewMemRateCounter() RateCounter { return newMemCounter() }
