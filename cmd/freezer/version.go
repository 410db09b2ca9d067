package main

import (
	"fyne.io/fyne/v2"

	"freezer/icons"
	"freezer/internal/buildversion"
)

// version is this build's version, set by a release build (make dist):
//
//	go build -ldflags "-X main.version=0.1.0" ./cmd/freezer
//
// Without it, versionString says the module's version, or "dev".
var version = ""

// versionString is what -version prints after the program's name.
func versionString() string { return buildversion.String(version) }

// releaseMetadata is FyneApp.toml's metadata for a release build made with
// go build (make dist): fyne package would generate it, go build does not,
// and Fyne then finds no FyneApp.toml beside an installed program.
func releaseMetadata() fyne.AppMetadata {
	return fyne.AppMetadata{
		ID:         appID,
		Name:       "Freezer",
		Version:    version,
		Build:      1,
		Release:    true,
		Icon:       fyne.NewStaticResource("icon.png", icons.AppPNG),
		Custom:     map[string]string{},
		Migrations: map[string]bool{"fyneDo": true},
	}
}
