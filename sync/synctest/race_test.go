//go:build race

package synctest_test

func init() { raceEnabled = true }
