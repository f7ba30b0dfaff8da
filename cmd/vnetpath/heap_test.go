package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestHeapForIsInProportionToTheSnapshot(t *testing.T) {
	dir := t.TempDir()
	for name, size := range map[string]int{"virtualNetworks.json": 1000, "sub/networkSecurityGroups.json": 2500} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(dir, "virtualNetworks.json")
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == hugePagesEnv {
				return v
			}
			return ""
		}
	}
	for _, tc := range []struct {
		name  string
		paths []string
		env   string
		want  int
	}{
		{"a directory, its subdirectories included", []string{dir}, "", 3500 * heapPerInputByte},
		{"a file", []string{file}, "", 1000 * heapPerInputByte},
		{"a path that does not exist", []string{filepath.Join(dir, "absent")}, "", 0},
		{"switched off", []string{dir}, "off", 0},
		{"switched off by 0", []string{dir}, "0", 0},
		{"any other value", []string{dir}, "on", 3500 * heapPerInputByte},
	} {
		if got := heapFor(tc.paths, env(tc.env)); got != tc.want {
			t.Errorf("%s: heapFor = %d; want %d", tc.name, got, tc.want)
		}
	}
}
