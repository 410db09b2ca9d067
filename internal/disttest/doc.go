// Package disttest holds the tests of what make dist ships; it has no code of
// its own. Two build tags choose them:
//
//   - disttest (make test-dist): lists every archive of dist/, checks the
//     checksums, that the Windows executables are PE files for amd64 (the
//     desktop app a GUI one with its icon, version and manifest resources),
//     the macOS ones Mach-O for their architecture, the Linux ones stripped
//     ELF, that -version prints the version, and that make install gives a
//     desktop entry desktop-file-validate accepts and make uninstall takes
//     it away;
//   - winetest (make test-windows): runs freezerctl.exe, freezerd.exe and
//     Freezer.exe from the Windows zip under Wine, on loopback and Xvfb.
//
// Wine 8.0 lacks bcryptprimitives.dll, whose ProcessPrng every Go 1.22+
// Windows program calls before main; the Wine test builds a stand-in from
// testdata/wineshim with MinGW-w64 into its throwaway Wine prefix. The
// stand-in is for this test only: make dist never builds or ships it.
package disttest
