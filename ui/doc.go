// Package ui is Freezer's desktop interface: the screens (overview,
// products, freezers with their box map, trends, settings), the product form,
// the daily alert and the app's theme. It receives its services from
// cmd/freezer through the small Inventory interface it declares and never
// imports storage or sync packages.
//
// Threading: callbacks run on the UI goroutine and never do I/O; store calls
// run through background, which reports back with fyne.Do (or Options.Do,
// which tests of the asynchronous path drain on their own goroutine).
package ui
