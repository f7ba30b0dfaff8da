package engine

import (
	"strings"
	"testing"
)

// fqdnByLabels is looksLikeFQDN's definition, label by label: at most 253
// characters with a dot in them once a trailing dot is cut, every label 1
// to 63 letters, digits, hyphens, underscores or asterisks.
func fqdnByLabels(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if !strings.Contains(s, ".") || len(s) > 253 {
		return false
	}
	for l := range strings.SplitSeq(s, ".") {
		if l == "" || len(l) > 63 {
			return false
		}
		for _, c := range l {
			if !(c == '-' || c == '_' || c == '*' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				return false
			}
		}
	}
	return true
}

func FuzzLooksLikeFQDN(f *testing.F) {
	for _, s := range []string{
		"login.microsoftonline.com", "login.microsoftonline.com.", "*.blob.core.windows.net", "a..b", ".a.b", "a.b..",
		"localhost", "10.0.0.1", "tag:Storage", "xn--bcher-kva.example", "bücher.example", "a b.c", "_dmarc.example.com",
		strings.Repeat("a", 63) + ".com", strings.Repeat("a", 64) + ".com", strings.Repeat("a.", 126) + "b", strings.Repeat("a.", 127) + "b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := looksLikeFQDN(s), fqdnByLabels(s); got != want {
			t.Fatalf("looksLikeFQDN(%q) = %v, want %v", s, got, want)
		}
	})
}
