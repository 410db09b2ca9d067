package main

import (
	"os"
	"time"

	"freezer/domain"
)

// clockOffset returns this run's clock offset: -clock-offset when given
// (flagSet), else FREEZER_CLOCK_OFFSET. A bad value is a usage error that
// names where it came from and shows an example.
func clockOffset(flagValue string, flagSet bool) (time.Duration, error) {
	value, example := os.Getenv(domain.EnvClockOffset), domain.EnvClockOffset+"=+400d"
	if flagSet {
		value, example = flagValue, "-clock-offset +400d"
	}
	d, err := domain.ParseClockOffset(value)
	if err != nil {
		return 0, usagef("%s: %v; e.g. %s runs 400 days ahead.", offsetSource(flagSet), err, example)
	}
	return d, nil
}

// offsetSource names where the clock offset came from.
func offsetSource(flagSet bool) string {
	if flagSet {
		return "-clock-offset"
	}
	return domain.EnvClockOffset
}
