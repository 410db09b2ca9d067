// Package domain holds Freezer's entities and the rules every part of the
// system shares: validation, deadlines and status, free slots, trends, the
// hybrid logical clock used by sync, and the error type with codes.
//
// It performs no I/O and imports nothing of ours. Rules that depend on the
// current time take it as an argument so that callers and tests pin it.
package domain
