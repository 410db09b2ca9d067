package ui

import "testing"

func TestDisplayPath(t *testing.T) {
	for _, tc := range []struct{ path, home, want string }{
		{"/home/anne/.config/freezer/freezer.db", "/home/anne", "~/.config/freezer/freezer.db"},
		{"/home/anne/.config/freezer/freezer.db", "/home/anne/", "~/.config/freezer/freezer.db"},
		{"/home/anneb/freezer.db", "/home/anne", "/home/anneb/freezer.db"},
		{"/srv/freezer.db", "/home/anne", "/srv/freezer.db"},
		{"/srv/freezer.db", "", "/srv/freezer.db"},
		{`C:\Users\anne\AppData\Roaming\freezer\freezer.db`, `C:\Users\anne`, `~\AppData\Roaming\freezer\freezer.db`},
	} {
		if got := displayPath(tc.path, tc.home); got != tc.want {
			t.Errorf("displayPath(%q, %q) = %q, want %q", tc.path, tc.home, got, tc.want)
		}
	}
}
