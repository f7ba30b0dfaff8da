package azure_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/topology"
)

// seedFiles returns the JSON files under dir, or nil when it is absent.
func seedFiles(dir string) []string {
	var out []string
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".json") && !strings.HasSuffix(path, "expect.json") {
			out = append(out, path)
		}
		return nil
	})
	return out
}

// FuzzLoadBytes feeds arbitrary bytes to the loader, seeded with the shared
// scenario snapshots, the REST API examples and the example estate. It
// checks that loading never panics, that errors are findings, that lenient
// loading only fails where strict loading fails the same way, and that the
// result does not depend on the run.
func FuzzLoadBytes(f *testing.F) {
	f.Add([]byte("[" + vnetHub + "]"))
	f.Add([]byte(snapshotJSON()))
	f.Add([]byte(`{"data": [{"id": "x", "type": "microsoft.network/virtualnetworks", "properties": {"subnets": [{"name": "a"}]}}]}`))
	f.Add([]byte(`{"responses": {"200": {"body": {"id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/routeTables/r", "properties": {"routes": [{"name": "x", "properties": {"nextHopType": "VirtualAppliance"}}]}}}}}`))
	for _, dir := range []string{
		filepath.Join("..", "..", "shared", "scenarios"),
		filepath.Join("..", "..", "shared", "testdata", "armexamples"),
		filepath.Join("..", "examples", "contoso"),
	} {
		for _, p := range seedFiles(dir) {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		strict, serr := azure.LoadBytes("f.json", data, azure.Options{})
		lenient, lerr := azure.LoadBytes("f.json", data, azure.Options{Lenient: true})
		if (serr == nil) == (strict == nil) || (lerr == nil) == (lenient == nil) {
			t.Fatalf("Result and error both set or both nil: %v %v / %v %v", strict, serr, lenient, lerr)
		}
		if lerr != nil && (serr == nil || serr.Error() != lerr.Error()) {
			t.Fatalf("lenient error %q without the same strict error (%v)", lerr, serr)
		}
		for _, err := range []error{serr, lerr} {
			if err == nil {
				continue
			}
			if strings.Contains(err.Error(), "internal error") {
				t.Fatalf("internal error: %v", err)
			}
			var fd *topology.Finding
			if !errors.As(err, &fd) {
				t.Fatalf("error %T is not a finding: %v", err, err)
			}
		}
		if lenient != nil {
			for _, w := range lenient.Warnings {
				// Every warning names the file, but the one that sums up
				// the missing resources.
				if w.File != "f.json" && !strings.Contains(w.Msg, "the snapshot references or declares") || strings.Contains(w.Msg, "internal error") {
					t.Fatalf("bad warning %v", w)
				}
			}
			again, _ := azure.LoadBytes("f.json", data, azure.Options{Lenient: true})
			if !reflect.DeepEqual(again.Snapshot.Counts(), lenient.Snapshot.Counts()) || len(again.Warnings) != len(lenient.Warnings) {
				t.Fatalf("two loads differ: %v / %v", again.Snapshot.Counts(), lenient.Snapshot.Counts())
			}
		}
		if strict != nil && lenient != nil && !reflect.DeepEqual(strict.Snapshot.Counts(), lenient.Snapshot.Counts()) {
			t.Fatalf("strict and lenient loads of a valid file differ")
		}
	})
}
