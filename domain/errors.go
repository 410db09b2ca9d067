package domain

import (
	"errors"
	"fmt"
)

// Error codes. They are stable: the server maps them to HTTP statuses and
// problem types, and clients map them back.
const (
	EInvalid      = "invalid"      // the input breaks a rule; the message says which
	ENotFound     = "not_found"    // the entity does not exist (or is not the caller's)
	EConflict     = "conflict"     // the input is valid but the current state refuses it
	EUnauthorized = "unauthorized" // missing or bad credentials
	EForbidden    = "forbidden"    // authenticated but not allowed
	ERateLimited  = "rate_limited" // too many requests
	EUnavailable  = "unavailable"  // a dependency (server, network) cannot be reached
	EInternal     = "internal"     // a bug or an unexpected failure
)

// Error is a domain error: a code for programs, a field when one input is to
// blame, and a sentence a person can act on.
type Error struct {
	Code    string
	Field   string
	Message string
}

// Error implements the error interface with the human sentence.
func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrorf returns an EInvalid *Error that blames one field, so that a
// form can show the message next to it.
func FieldErrorf(field, format string, args ...any) *Error {
	return &Error{Code: EInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal
// for any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the human sentence of the first *Error in err's
// chain. Any other error is internal: its text is for logs, not for people,
// so a generic sentence is returned.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong. Please try again; if it keeps happening, check the log."
}

// ErrorField returns the field blamed by the first *Error in err's chain, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
