package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// longFuncs names the non-test functions allowed over MaxFuncLines, as
// "path/to/file.go:Name", each with the reason it must be long. Empty:
// every function fits.
var longFuncs = map[string]string{}

// TestSizes fails on a non-test function longer than MaxFuncLines (from
// its func line to its closing brace) and on a non-test Go file longer
// than MaxFileLines.
func TestSizes(t *testing.T) {
	root := moduleRoot(t)
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		files++
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		if n := fset.Position(f.FileEnd).Line; n > MaxFileLines {
			t.Errorf("%s has %d lines, more than %d: split it by concern", rel, n, MaxFileLines)
		}
		checkFuncs(t, fset, f, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatalf("read the tree: %v", err)
	}
	if files < 50 {
		t.Fatalf("read %d Go files under %s: is this the module root?", files, root)
	}
}

func checkFuncs(t *testing.T, fset *token.FileSet, f *ast.File, rel string) {
	t.Helper()
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		n := fset.Position(fd.End()).Line - fset.Position(fd.Pos()).Line + 1
		key := rel + ":" + funcName(fd)
		if _, ok := longFuncs[key]; ok || n <= MaxFuncLines {
			continue
		}
		t.Errorf("%s is %d lines, more than %d: split it into named steps (or add it to longFuncs with the reason)", key, n, MaxFuncLines)
	}
}

// funcName is Name, or Type.Name for a method.
func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	typ := fd.Recv.List[0].Type
	for {
		switch x := typ.(type) {
		case *ast.StarExpr:
			typ = x.X
			continue
		case *ast.IndexExpr:
			typ = x.X
			continue
		case *ast.IndexListExpr:
			typ = x.X
			continue
		case *ast.Ident:
			return x.Name + "." + fd.Name.Name
		}
		return fd.Name.Name
	}
}

// skipDir leaves out folders that hold no code of ours.
func skipDir(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") ||
		name == "testdata" || name == "bin" || name == "dist" || name == "vendor"
}
