// Package icons holds Freezer's app icon, drawn by icons/gen (go run
// ./icons/gen writes icon.png), embedded so the window shows it without
// packaging.
package icons

import _ "embed"

// AppPNG is the 512x512 app icon.
//
//go:embed icon.png
var AppPNG []byte

// WindowPNG is the window's icon, the app icon at 128x128.
//
//go:embed window.png
var WindowPNG []byte
