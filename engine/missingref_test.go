package engine_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/engine"
)

// contosoWithout loads examples/contoso without the files named.
func contosoWithout(t *testing.T, left ...string) *engine.Engine {
	t.Helper()
	fsys := fstest.MapFS{}
	files, _ := filepath.Glob("../examples/contoso/*.json")
	for _, f := range files {
		if slices.Contains(left, filepath.Base(f)) {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fsys[filepath.Base(f)] = &fstest.MapFile{Data: data}
	}
	res, err := azure.LoadFS(fsys, azure.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return engine.New(res.Snapshot, nil)
}

// TestMissingRouteTableOrNSGMakesTheAnswerUnknown: SPEC §2, missing is not
// empty. A subnet whose route table or NSG the snapshot names but lacks is
// not answered as if it had none. (Names are resolved first, through the
// same subnet; a tag destination shows the walk itself.)
func TestMissingRouteTableOrNSGMakesTheAnswerUnknown(t *testing.T) {
	const rg = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/"
	tests := []struct {
		name    string
		left    string
		from    string
		verdict answer.Verdict
		missing string
	}{
		{"route table of the source", "routeTables.json", "vnet-spoke-ml/snet-train", answer.Unknown, rg + "rg-spoke-ml/providers/Microsoft.Network/routeTables/rt-spoke-ml"},
		{"a subnet without a route table is answered", "routeTables.json", "vnet-spoke-data/snet-batch", answer.DeniedByNSG, ""},
		{"NSG of the source", "networkSecurityGroups.json", "vnet-spoke-data/snet-batch", answer.Unknown, rg + "rg-spoke-data/providers/Microsoft.Network/networkSecurityGroups/nsg-batch"},
		{"a subnet without an NSG is answered", "networkSecurityGroups.json", "vnet-spoke-app/snet-web", answer.Reachable, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := contosoWithout(t, tc.left)
			r, err := e.Check(engine.Query{From: tc.from, To: "tag:AzureResourceManager"})
			if err != nil {
				t.Fatal(err)
			}
			if r.Verdict != tc.verdict {
				t.Fatalf("verdict %s (%s), want %s", r.Verdict, r.Reason, tc.verdict)
			}
			if tc.missing != "" && (!slices.Contains(r.Missing, tc.missing) || !strings.Contains(r.Reason, "rt-spoke-ml") && !strings.Contains(r.Reason, "nsg-batch")) {
				t.Errorf("missing %v, reason %q; want %s named", r.Missing, r.Reason, tc.missing)
			}
		})
	}
}
