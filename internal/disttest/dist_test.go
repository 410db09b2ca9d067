//go:build disttest

package disttest

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// file is one file of an archive.
type file struct {
	name string
	mode os.FileMode
	data []byte
}

// TestArchives lists every archive make dist made and checks what it holds.
func TestArchives(t *testing.T) {
	v := version(t)
	sums := checkSums(t)
	want := map[string][]string{
		"freezer-tools-" + v + "-linux-amd64.tar.gz":  {"freezerctl", "freezerd"},
		"freezer-tools-" + v + "-linux-arm64.tar.gz":  {"freezerctl", "freezerd"},
		"freezer-tools-" + v + "-darwin-amd64.tar.gz": {"freezerctl", "freezerd"},
		"freezer-tools-" + v + "-darwin-arm64.tar.gz": {"freezerctl", "freezerd"},
		"freezer-" + v + "-windows-amd64.zip":         {"Freezer.exe", "freezerctl.exe", "freezerd.exe"},
		"freezer-" + v + "-linux-amd64.tar.xz": {"Makefile", "usr/local/bin/freezer",
			"usr/local/share/applications/org.freezer.desktop.desktop", "usr/local/share/pixmaps/org.freezer.desktop.png"},
	}
	for name, members := range want {
		t.Run(name, func(t *testing.T) {
			if _, ok := sums[name]; !ok {
				t.Errorf("SHA256SUMS has no line for %s", name)
			}
			files := list(t, archive(t, name))
			var names []string
			for _, f := range files {
				names = append(names, f.name)
				t.Logf("%s %9d %s", f.mode, len(f.data), f.name)
				if strings.HasSuffix(strings.ToLower(f.name), ".dll") {
					t.Errorf("%s ships a DLL: %s", name, f.name) // the Wine test's shim never ships
				}
			}
			top := strings.TrimSuffix(strings.TrimSuffix(name, ".tar.gz"), ".zip") + "/"
			if strings.HasSuffix(name, ".tar.xz") {
				top = "freezer/" // fyne package's folder, named after the program
			}
			for _, m := range members {
				noLocal := strings.Replace(m, "usr/local/", "usr/", 1) // fyne package where /usr/local is missing
				if !slices.Contains(names, top+m) && !slices.Contains(names, top+noLocal) {
					t.Errorf("%s lacks %s; it holds %v", name, top+m, names)
				}
			}
			if len(names) != len(members) {
				t.Errorf("%s holds %d files, want %d: %v", name, len(names), len(members), names)
			}
			for _, f := range files {
				checkBinary(t, name, f, v)
			}
		})
	}
	if len(sums) != len(want) {
		t.Errorf("SHA256SUMS names %d files, want %d", len(sums), len(want))
	}
}

// checkSums reads SHA256SUMS and checks every file it names.
func checkSums(t *testing.T) map[string]bool {
	t.Helper()
	f, err := os.Open(archive(t, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("SHA256SUMS line %q is not SUM  NAME", sc.Text())
		}
		data, err := os.ReadFile(filepath.Join(*distDir, name))
		if err != nil {
			t.Fatalf("SHA256SUMS names %s: %v", name, err)
		}
		got := sha256.Sum256(data)
		if hex.EncodeToString(got[:]) != sum {
			t.Errorf("%s: SHA-256 %x, SHA256SUMS says %s", name, got, sum)
		}
		seen[name] = true
	}
	return seen
}

// list reads a .zip, .tar.gz or .tar.xz (through xz) archive.
func list(t *testing.T, path string) []file {
	t.Helper()
	if strings.HasSuffix(path, ".zip") {
		zr, err := zip.OpenReader(path)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		var files []file
		for _, zf := range zr.File {
			if zf.FileInfo().IsDir() {
				continue
			}
			rc, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			data, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, file{zf.Name, zf.Mode(), data})
		}
		return files
	}
	var r io.Reader
	if strings.HasSuffix(path, ".tar.xz") {
		out, err := exec.Command("xz", "-dc", path).Output()
		if err != nil {
			t.Fatalf("xz -dc %s: %v", path, err)
		}
		r = bytes.NewReader(out)
	} else {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		gz, err := gzip.NewReader(f)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		r = gz
	}
	tr := tar.NewReader(r)
	var files []file
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, file{strings.TrimPrefix(h.Name, "./"), h.FileInfo().Mode(), data})
	}
}

// checkBinary checks a program of the archive: its format and architecture,
// that it is stripped, and (Linux amd64, which runs here) that -version
// prints v.
func checkBinary(t *testing.T, archiveName string, f file, v string) {
	t.Helper()
	base := filepath.Base(f.name)
	program := strings.TrimSuffix(strings.ToLower(base), ".exe")
	if !slices.Contains([]string{"freezer", "freezerctl", "freezerd"}, program) {
		return
	}
	r := bytes.NewReader(f.data)
	switch {
	case strings.Contains(archiveName, "-windows-"):
		checkPE(t, base, r, program == "freezer")
	case strings.Contains(archiveName, "-darwin-"):
		mf, err := macho.NewFile(r)
		if err != nil {
			t.Fatalf("%s: not a Mach-O file: %v", f.name, err)
		}
		want := map[bool]macho.Cpu{true: macho.CpuArm64, false: macho.CpuAmd64}[strings.Contains(archiveName, "-arm64")]
		if mf.Cpu != want || mf.Type != macho.TypeExec {
			t.Errorf("%s: Mach-O %v %v, want an executable for %v", f.name, mf.Cpu, mf.Type, want)
		}
		if n := definedSymbols(mf); n > 0 || mf.Segment("__DWARF") != nil {
			t.Errorf("%s: not stripped (%d symbols of its own, DWARF %v)", f.name, n, mf.Segment("__DWARF") != nil)
		}
	default:
		ef, err := elf.NewFile(r)
		if err != nil {
			t.Fatalf("%s: not an ELF file: %v", f.name, err)
		}
		want := map[bool]elf.Machine{true: elf.EM_AARCH64, false: elf.EM_X86_64}[strings.Contains(archiveName, "-arm64")]
		if ef.Machine != want {
			t.Errorf("%s: ELF for %v, want %v", f.name, ef.Machine, want)
		}
		if ef.Section(".symtab") != nil {
			t.Errorf("%s: not stripped (it has a .symtab)", f.name)
		}
		if want == elf.EM_X86_64 {
			checkVersion(t, f, program, v)
		}
	}
}

// definedSymbols counts the symbols a Mach-O file defines; a stripped Go
// program keeps only the undefined ones it imports from libSystem.
func definedSymbols(mf *macho.File) int {
	n := 0
	if mf.Symtab != nil {
		for _, s := range mf.Symtab.Syms {
			if s.Sect != 0 {
				n++
			}
		}
	}
	return n
}

// checkPE checks a Windows program: PE for amd64, stripped; the desktop
// app a GUI program with its icon, version and manifest resources, the
// others console programs.
func checkPE(t *testing.T, name string, r io.ReaderAt, gui bool) {
	t.Helper()
	pf, err := pe.NewFile(r)
	if err != nil {
		t.Fatalf("%s: not a PE file: %v", name, err)
	}
	defer pf.Close()
	if pf.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		t.Errorf("%s: PE machine %#x, want amd64 (%#x)", name, pf.Machine, pe.IMAGE_FILE_MACHINE_AMD64)
	}
	oh, ok := pf.OptionalHeader.(*pe.OptionalHeader64)
	if !ok {
		t.Fatalf("%s: not a PE32+ (64-bit) file", name)
	}
	want := map[bool]uint16{true: pe.IMAGE_SUBSYSTEM_WINDOWS_GUI, false: pe.IMAGE_SUBSYSTEM_WINDOWS_CUI}[gui]
	if oh.Subsystem != want {
		t.Errorf("%s: subsystem %d, want %d", name, oh.Subsystem, want)
	}
	if pf.FileHeader.NumberOfSymbols != 0 {
		t.Errorf("%s: not stripped (%d symbols)", name, pf.FileHeader.NumberOfSymbols)
	}
	if !gui {
		return
	}
	types := resourceTypes(t, name, pf)
	for _, rt := range []struct {
		id   uint32
		what string
	}{{3, "icon"}, {14, "icon group"}, {16, "version"}, {24, "manifest"}} {
		if !slices.Contains(types, rt.id) {
			t.Errorf("%s: no %s resource (type %d); it has %v", name, rt.what, rt.id, types)
		}
	}
}

// resourceTypes are the ids of the types in the root of a PE file's
// resource directory (3 icon, 14 icon group, 16 version, 24 manifest).
func resourceTypes(t *testing.T, name string, pf *pe.File) []uint32 {
	t.Helper()
	sec := pf.Section(".rsrc")
	if sec == nil {
		t.Fatalf("%s: no .rsrc section: no icon nor version", name)
	}
	data, err := sec.Data()
	if err != nil || len(data) < 16 {
		t.Fatalf("%s: .rsrc: %v", name, err)
	}
	le := func(b []byte) uint32 { return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24 }
	named := int(data[12]) | int(data[13])<<8
	ids := int(data[14]) | int(data[15])<<8
	var types []uint32
	for i := named; i < named+ids; i++ {
		off := 16 + 8*i
		if off+8 > len(data) {
			t.Fatalf("%s: .rsrc directory cut short", name)
		}
		types = append(types, le(data[off:]))
	}
	return types
}

// checkVersion runs a Linux amd64 program with -version.
func checkVersion(t *testing.T, f file, program, v string) {
	t.Helper()
	exe := filepath.Join(t.TempDir(), program)
	if err := os.WriteFile(exe, f.data, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-version")
	cmd.Env = append(os.Environ(), "DISPLAY=", "WAYLAND_DISPLAY=")
	out, err := cmd.CombinedOutput()
	if got, want := strings.TrimSpace(string(out)), fmt.Sprintf("%s %s", program, v); err != nil || got != want {
		t.Errorf("%s -version = %q, %v; want %q", f.name, got, err, want)
	}
}
