package storage

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestCSVLineEndings: the CSV export ends its lines as the system expects
// ("\r\n" on Windows, "\n" elsewhere), and an import reads a file written
// either way to the same inventory.
func TestCSVLineEndings(t *testing.T) {
	src := mustBuildInventory(t)
	export := func(crlf bool) []byte {
		t.Helper()
		defer func(old bool) { csvCRLF = old }(csvCRLF)
		csvCRLF = crlf
		return mustExport(t, src, FormatCSV)
	}
	lf, crlf := export(false), export(true)
	if bytes.Contains(lf, []byte("\r")) {
		t.Errorf("the \\n export holds a \\r")
	}
	if n := bytes.Count(crlf, []byte("\n")); n == 0 || bytes.Count(crlf, []byte("\r\n")) != n {
		t.Errorf("the \\r\\n export has %d line breaks, %d of them \\r\\n", n, bytes.Count(crlf, []byte("\r\n")))
	}
	if !bytes.Equal(bytes.ReplaceAll(crlf, []byte("\r\n"), []byte("\n")), lf) {
		t.Errorf("the two exports differ by more than their line endings")
	}
	if !strings.Contains(string(lf), "porc, «fumé»\nsur deux lignes") {
		t.Fatalf("the test inventory lost its two-line description")
	}
	for name, file := range map[string][]byte{"\\n": lf, "\\r\\n": crlf} {
		dst := mustOpenDB(t)
		n, err := dst.Import(context.Background(), bytes.NewReader(file), FormatCSV, nil)
		if err != nil || n == 0 {
			t.Fatalf("Import(%s file) = %d, %v", name, n, err)
		}
		if got := mustExport(t, dst, FormatCSV); !bytes.Equal(got, lf) {
			t.Errorf("the %s file imported and exported again differs from the original export", name)
		}
	}
}
