package render

import (
	"maps"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/bench/estategen"
	"github.com/vnetpath/vnetpath/topology"
)

// LoadGenerated is loadGenerated, for the tests of package render_test.
var LoadGenerated = loadGenerated

// loadGenerated loads the estate bench/estategen generates with o.
func loadGenerated(t *testing.T, o estategen.Options) *topology.Snapshot {
	t.Helper()
	est, err := estategen.GenerateWith(o)
	if err != nil {
		t.Fatal(err)
	}
	files := est.Files()
	fsys := fstest.MapFS{}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		fsys[name] = &fstest.MapFile{Data: files[name]}
	}
	res, err := azure.LoadFS(fsys, azure.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res.Snapshot
}
