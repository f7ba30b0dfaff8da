package render

import (
	"os/exec"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestWrap checks that wrapped text fits, keeps every character of every
// word in order, puts a word that fits on the next line there whole, and
// cuts only words longer than a line, after a '/', '.', '-' or ','.
func TestWrap(t *testing.T) {
	id := "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-spoke-app/providers/Microsoft.Network/virtualNetworks/vnet-spoke-app"
	for _, tc := range []struct {
		name, in, first, rest string
		width                 int
		want                  []string // when given, the exact lines
	}{
		{"short", "a b c", "", "", 10, []string{"a b c"}},
		{"at spaces", "aaa bbb ccc", "", "  ", 7, []string{"aaa bbb", "  ccc"}},
		{"a label then a word for the next line", "0123456789abcdef tcp/443", "  #3 VERDICT  ", "     ", 24, []string{"  #3 VERDICT", "     0123456789abcdef", "     tcp/443"}},
		{"an ARM ID cut after a break character", "see " + id + " now", "fix: ", "  ", 60, nil},
		{"a word with nowhere to cut", strings.Repeat("x", 50), "", "", 20, []string{strings.Repeat("x", 20), strings.Repeat("x", 20), strings.Repeat("x", 10)}},
		{"runes count once", "✓ → · ✗ … é", "", "", 5, []string{"✓ → ·", "✗ … é"}},
		{"empty", "", "x: ", "", 10, []string{"x:"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := wrap(tc.in, tc.width, tc.first, tc.rest)
			if tc.want != nil && strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			var back strings.Builder
			for i, l := range got {
				if n := utf8.RuneCountInString(l); n > tc.width {
					t.Errorf("line %d is %d wide: %q", i, n, l)
				}
				if strings.HasSuffix(l, " ") {
					t.Errorf("line %d ends in a space: %q", i, l)
				}
				p := tc.rest
				if i == 0 {
					p = strings.TrimRight(tc.first, " ")
				}
				back.WriteString(strings.TrimPrefix(l, p))
			}
			if strip := func(s string) string { return strings.Join(strings.Fields(s), "") }; strip(back.String()) != strip(tc.first+tc.in) && strip(back.String()) != strip(tc.in) {
				t.Errorf("the words changed: %q, want %q", back.String(), tc.in)
			}
			if tc.name == "an ARM ID cut after a break character" {
				for _, l := range got[:len(got)-1] {
					if !strings.ContainsAny(l[len(l)-1:], "/.-,") {
						t.Errorf("cut elsewhere than after a break character: %q", l)
					}
				}
			}
		})
	}
}

// TestShellLinesPasteAsTheSameCommand lays out long az commands in 100
// columns and has /bin/sh read both the original and the laid-out text:
// the words must be the same, so that a command copied from the terminal
// runs as printed in the answer.
func TestShellLinesPasteAsTheSameCommand(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh on PATH to read the commands back")
	}
	id := "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-spoke-app/providers/Microsoft.Network/virtualNetworks/vnet-spoke-app"
	for _, cmd := range []string{
		"az network private-dns link vnet create -g rg-dns -z privatelink.api.azureml.ms -n vnetpath-vnet-spoke-app -v " + id + " -e false --subscription 11111111-2222-3333-4444-555555555555",
		"az network nsg rule create -g rg --nsg-name nsg -n r --priority 298 --source-port-ranges '*' --description \"two words\" --destination-address-prefixes AzureResourceManager",
		"az network vnet peering create -g a --vnet-name b -n c --remote-vnet " + id + id + "\naz network vnet peering create -g d --vnet-name e -n f --remote-vnet " + id,
		"az x --value 'a quoted value much longer than a line can hold, which is never split because the shell would not join it again'",
	} {
		lines := shellLines(cmd, Width, "       ")
		for _, l := range lines {
			if n := utf8.RuneCountInString(l); n > Width && !strings.Contains(l, "'a quoted") {
				t.Errorf("line is %d wide: %q", n, l)
			}
		}
		words := func(script string) string {
			// One word per line, for each command.
			out, err := exec.Command(sh, "-c", "set -f\nargs() { printf '[%s]\\n' \"$@\"; echo ---; }\n"+strings.ReplaceAll(script, "az ", "args az ")).CombinedOutput()
			if err != nil {
				t.Fatalf("sh: %v\n%s\n%s", err, out, script)
			}
			return string(out)
		}
		if a, b := words(cmd), words(strings.Join(lines, "\n")); a != b {
			t.Errorf("the shell reads\n%s\nas\n%s\nnot as\n%s", strings.Join(lines, "\n"), b, a)
		}
	}
}
