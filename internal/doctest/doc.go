// Package doctest holds the docs test: every shell block of README.md and
// docs/*.md runs, in document order, against the real freezerd and
// freezerctl, so that the documents work when followed literally.
//
// `make test-docs` (part of `make test`) runs it:
//
//	go test -tags 'migrated_fynedo doctest' -count=1 ./internal/doctest
//
// The conventions the documents follow:
//
//   - A fence opened with ```sh, ```bash or ```shell is a shell block. The
//     blocks of one file run in order in ONE bash session with
//     `set -euo pipefail`, so a variable set in one block is there in the
//     next ones (the documents say so where they rely on it). Any other
//     fence (```text, ```json, a bare ```) is not a shell block and is
//     ignored.
//   - A shell block not meant to run (it needs a display, a network beyond
//     loopback, root, or minutes) has, on the line right before its fence,
//     `<!-- illustration: WHY -->`. The test logs those blocks and fails on a
//     marker with no reason or no shell block after it.
//   - A block may state its expected output with `# expect: TEXT` comments,
//     on their own line or after a command. The block's standard output
//     must then be exactly those lines, in order; `...` in them matches any
//     text, line breaks included; trailing spaces do not count. A block
//     without `# expect:` has its output shown only when it fails.
//   - Every curl in a shell block checks the HTTP status: `-f` (or
//     `--fail`), which fails on a 4xx or 5xx answer, or
//     `-w '%{http_code}'` with the status the document states in an
//     `# expect:` line of the same block.
//
// The session's working directory is an empty temporary folder, and so are
// HOME and XDG_CONFIG_HOME. PATH starts with a folder holding freezerd and
// freezerctl built from this checkout (the documents' `make build` block is
// an illustration for that reason). PORT is a free loopback port (the
// documents use `PORT=${PORT:-8080}`, then FREEZER_URL=http://127.0.0.1:$PORT,
// which the test exports too). FREEZER_TOKEN_STORE=file keeps the tokens out
// of the developer's keyring, and NO_PROXY keeps loopback requests off any
// proxy. A block fails the test on a non-zero exit, and the report names the
// file, the block's first line, and its output. Each document's session has
// 45 seconds; background programs it started are killed at its end.
package doctest
