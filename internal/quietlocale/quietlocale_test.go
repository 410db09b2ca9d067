package quietlocale

import "testing"

func TestNeedsEnglish(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  map[string]string
		want bool
	}{
		{"C.UTF-8", map[string]string{"LANG": "C.UTF-8"}, true},
		{"C.utf8 in LC_ALL", map[string]string{"LC_ALL": "C.utf8", "LANG": "fr_BE.UTF-8"}, true},
		{"POSIX.UTF-8", map[string]string{"LANG": "POSIX.UTF-8"}, true},
		{"plain C", map[string]string{"LANG": "C"}, false},
		{"unset", map[string]string{}, false},
		{"French", map[string]string{"LANG": "fr_BE.UTF-8"}, false},
		{"LC_MESSAGES wins", map[string]string{"LC_MESSAGES": "fr_FR.UTF-8", "LANG": "C.UTF-8"}, false},
		{"LANGUAGE set", map[string]string{"LANG": "C.UTF-8", "LANGUAGE": "fr"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := NeedsEnglish(func(k string) string { return tt.env[k] }); got != tt.want {
				t.Errorf("NeedsEnglish(%v) = %v, want %v", tt.env, got, tt.want)
			}
		})
	}
}
