package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/bench/estategen"
)

// tree reads every file under dir, by relative path.
func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSameFlagsSameBytes(t *testing.T) {
	tmp := t.TempDir()
	var outs []map[string][]byte
	for _, name := range []string{"a", "b"} {
		var stdout, stderr bytes.Buffer
		dir := filepath.Join(tmp, name)
		faults := filepath.Join(tmp, name+"-faults.json")
		if err := run([]string{"-spokes", "30", "-out", dir, "-seed", "4", "-shape", "transit", "-faults", faults}, &stdout, &stderr); err != nil {
			t.Fatalf("run: %v (%s)", err, stderr.String())
		}
		if !strings.Contains(stdout.String(), "6 faults") {
			t.Errorf("summary %q does not count the 6 faults", stdout.String())
		}
		var fl []estategen.Fault
		b, err := os.ReadFile(faults)
		if err != nil || json.Unmarshal(b, &fl) != nil || len(fl) != 6 {
			t.Errorf("faults file: %v, %d faults", err, len(fl))
		}
		outs = append(outs, tree(t, dir))
	}
	if len(outs[0]) == 0 || len(outs[0]) != len(outs[1]) {
		t.Fatalf("runs wrote %d and %d files", len(outs[0]), len(outs[1]))
	}
	for p, b := range outs[0] {
		if !bytes.Equal(b, outs[1][p]) {
			t.Errorf("%s differs between two runs", p)
		}
	}
}

func TestBadFlags(t *testing.T) {
	tmp := t.TempDir()
	full := filepath.Join(tmp, "full")
	if err := os.MkdirAll(full, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(full, "x.json"), []byte("[]"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-spokes", "3"}, "-out DIR is required"},
		{[]string{"-spokes", "3", "-out", filepath.Join(tmp, "x"), "-shape", "mesh"}, `shape "mesh"`},
		{[]string{"-spokes", "20001", "-out", filepath.Join(tmp, "x")}, "spokes 20001"},
		{[]string{"-spokes", "3", "-out", filepath.Join(tmp, "x"), "-workspaces", "0"}, "-workspaces 0: must be in 1..10"},
		{[]string{"-spokes", "3", "-out", filepath.Join(tmp, "x"), "-workspaces", "11"}, "-workspaces 11: must be in 1..10"},
		{[]string{"-spokes", "3", "-out", filepath.Join(tmp, "x"), "-faults", filepath.Join(tmp, "x", "faults.json")}, "lies inside -out"},
		{[]string{"-spokes", "3", "-out", full}, "not empty"},
		{[]string{"-spokes", "3", "-out", filepath.Join(tmp, "x"), "extra"}, `unexpected argument "extra"`},
	} {
		var stdout, stderr bytes.Buffer
		err := run(c.args, &stdout, &stderr)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("run(%q) = %v, want an error containing %q", c.args, err, c.want)
		}
	}
}
