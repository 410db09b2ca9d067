package archtest

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const module = "freezer"

// rule is one row of the package table in docs/ARCHITECTURE.md.
type rule struct {
	pkg   string   // without the module name: "domain", "sync/client"
	may   []string // patterns: "std", "*", "x", "x/..."
	never []string
	line  int
}

// TestImports checks every package's direct imports (non-test files)
// against the table in docs/ARCHITECTURE.md.
func TestImports(t *testing.T) {
	root := moduleRoot(t)
	rules := mustReadRules(t, filepath.Join(root, "docs", "ARCHITECTURE.md"))
	pkgs := mustListImports(t, root)
	ours := map[string]bool{}
	for pkg := range pkgs {
		ours[pkg] = true
	}
	for pkg, imports := range pkgs {
		r, ok := rules[pkg]
		if !ok {
			t.Errorf("package %s has no row in docs/ARCHITECTURE.md's package table: add one saying what it owns and may import", pkg)
			continue
		}
		for _, imp := range imports {
			if why := r.check(imp, ours); why != "" {
				t.Errorf("%s imports %s, which %s (docs/ARCHITECTURE.md line %d)", pkg, imp, why, r.line)
			}
		}
	}
	for pkg, r := range rules {
		if _, ok := pkgs[pkg]; !ok {
			t.Errorf("docs/ARCHITECTURE.md line %d has a row for %s, which is not a package of the module", r.line, pkg)
		}
	}
}

// TestRuleCheck checks the matcher itself on rows like the table's.
func TestRuleCheck(t *testing.T) {
	ui := rule{pkg: "ui", may: []string{"std", "domain", "fyne.io/fyne/v2/..."}, never: []string{"fyne.io/fyne/v2/app", "database/sql"}}
	tests := []struct {
		r    rule
		imp  string
		want bool // allowed
	}{
		{ui, "strings", true},
		{ui, "freezer/domain", true},
		{ui, "freezer/storage", false},
		{ui, "freezer/domainx", false},
		{ui, "fyne.io/fyne/v2", true},
		{ui, "fyne.io/fyne/v2/widget", true},
		{ui, "fyne.io/fyne/v2/app", false},
		{ui, "database/sql", false},
		{ui, "github.com/robfig/cron/v3", false},
		{rule{pkg: "cmd/x", may: []string{"*"}}, "anything.org/at/all", true},
		{rule{pkg: "x", may: []string{"domain"}}, "strings", false},
		{rule{pkg: "x", may: []string{"sync/..."}}, "sync", false},
		{rule{pkg: "x", may: []string{"sync/..."}}, "sync/atomic", false},
		{rule{pkg: "x", may: []string{"sync/..."}}, "freezer/sync/client", true},
		{rule{pkg: "x", may: []string{"std"}}, "freezer/sync/client", false},
		{rule{pkg: "x", may: []string{"std"}}, "sync/atomic", true},
	}
	ours := map[string]bool{"domain": true, "storage": true, "sync/client": true, "ui": true}
	for _, tt := range tests {
		if got := tt.r.check(tt.imp, ours) == ""; got != tt.want {
			t.Errorf("rule %s: allowed(%s) = %v, want %v", tt.r.pkg, tt.imp, got, tt.want)
		}
	}
}

// check says why imp is not allowed, or "" when it is.
func (r rule) check(imp string, ours map[string]bool) string {
	for _, p := range r.never {
		if matches(p, imp, ours) {
			return "its row lists under \"never\""
		}
	}
	for _, p := range r.may {
		if matches(p, imp, ours) {
			return ""
		}
	}
	return "its row does not allow"
}

// matches reports whether the import path imp matches a table pattern:
// "*" anything, "std" the standard library, "x/..." x and below it, and
// otherwise one path. Our own packages are written without the module's
// name ("sync/client"), the others in full ("database/sql"); a pattern is
// ours when it names one of ours or a folder holding some.
func matches(pattern, imp string, ours map[string]bool) bool {
	switch pattern {
	case "*":
		return true
	case "std":
		return isStd(imp)
	}
	base, tree := strings.CutSuffix(pattern, "/...")
	path := imp
	if isOurs(base, ours) {
		own, ok := strings.CutPrefix(imp, module+"/")
		if !ok {
			return false
		}
		path = own
	}
	return path == base || tree && strings.HasPrefix(path, base+"/")
}

// isOurs reports whether p names one of our packages or a folder of them.
func isOurs(p string, ours map[string]bool) bool {
	for o := range ours {
		if o == p || strings.HasPrefix(o, p+"/") {
			return true
		}
	}
	return false
}

// isStd reports whether an import path is the standard library's: its
// first element has no dot and it is not one of ours.
func isStd(imp string) bool {
	first, _, _ := strings.Cut(imp, "/")
	return !strings.Contains(first, ".") && first != module
}

// mustReadRules reads the package table: the rows whose first cell is a
// package in backquotes and which have four cells.
func mustReadRules(t *testing.T, path string) map[string]rule {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("read the package table: %v", err)
	}
	defer f.Close()
	rules := map[string]rule{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		cells := strings.Split(strings.Trim(strings.TrimSpace(sc.Text()), "|"), "|")
		if len(cells) != 4 {
			continue
		}
		pkg := strings.TrimSpace(cells[0])
		if !strings.HasPrefix(pkg, "`") {
			continue
		}
		r := rule{pkg: strings.Trim(pkg, "`"), may: codeSpans(cells[2]), never: codeSpans(cells[3]), line: n}
		if _, dup := rules[r.pkg]; dup {
			t.Errorf("docs/ARCHITECTURE.md line %d: a second row for %s", n, r.pkg)
		}
		rules[r.pkg] = r
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read the package table: %v", err)
	}
	if len(rules) == 0 {
		t.Fatalf("docs/ARCHITECTURE.md has no package table (rows of | `package` | owns | may import | never |)")
	}
	return rules
}

// codeSpans returns the backquoted words of a table cell.
func codeSpans(cell string) []string {
	var out []string
	parts := strings.Split(cell, "`")
	for i := 1; i < len(parts); i += 2 {
		if s := strings.TrimSpace(parts[i]); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// mustListImports returns the direct imports of every package of the
// module's non-test files, keyed by the package path without the module.
func mustListImports(t *testing.T, root string) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-tags", "migrated_fynedo", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...")
	cmd.Dir = root
	// cmd/freezer's Fyne driver is all cgo: with cgo off (make test-nocgo)
	// go list would find no files to list. Listing compiles nothing.
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], module+"/")
		pkgs[pkg] = fields[1:]
	}
	return pkgs
}

// moduleRoot is the folder holding go.mod, two levels up.
func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root: %v", fmt.Errorf("no go.mod in %s: %w", root, err))
	}
	return root
}
