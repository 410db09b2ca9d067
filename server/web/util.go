package web

import (
	"errors"
	"strconv"

	"freezer/domain"
)

func asDomain(err error, de **domain.Error) bool { return errors.As(err, de) }

// pathID reads an integer path wildcard; ok is false for anything else.
func (rq *request) pathID(name string) (int64, bool) {
	n, err := strconv.ParseInt(rq.r.PathValue(name), 10, 64)
	return n, err == nil && n > 0
}
