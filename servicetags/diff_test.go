package servicetags_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/vnetpath/vnetpath/servicetags"
)

func TestDiff(t *testing.T) {
	old := mustParse(t, one(
		entryJSON("AzureCloud", "20.0.0.0/8", "2603:1000::/24"),
		entryJSON("Storage.EastUS", "20.1.4.0/24", "20.1.5.0/24"),
		entryJSON("Gone", "1.2.3.0/24"),
		entryJSON("Same", "5.0.0.0/8", "6.0.0.0/8"),
	))
	new := mustParse(t, one(
		entryJSON("AzureCloud", "2603:1000::/24", "20.0.0.0/8", "21.0.0.0/8", "2603:2000::/24"),
		entryJSON("storage.eastus", "20.1.4.0/24", "20.1.6.0/24"),
		entryJSON("Same", "6.0.0.0/8", "5.0.0.0/8", "5.0.0.0/8"), // order and repeats do not count
		entryJSON("Added.WestUS", "9.9.9.0/24"),
		entryJSON("Added", "9.9.0.0/16"),
	))
	d := servicetags.Diff(old, new)
	if !slices.Equal(d.Added, []string{"Added", "Added.WestUS"}) || !slices.Equal(d.Removed, []string{"Gone"}) {
		t.Errorf("added %q removed %q", d.Added, d.Removed)
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"added":["Added","Added.WestUS"],"removed":["Gone"],"changed":[` +
		`{"name":"AzureCloud","added":["21.0.0.0/8","2603:2000::/24"],"removed":[]},` +
		`{"name":"storage.eastus","added":["20.1.6.0/24"],"removed":["20.1.5.0/24"]}]}`
	if string(b) != want {
		t.Errorf("Diff JSON\n got %s\nwant %s", b, want)
	}

	// Swapping the catalogs swaps the lists.
	r := servicetags.Diff(new, old)
	if !slices.Equal(r.Added, d.Removed) || !slices.Equal(r.Removed, d.Added) || len(r.Changed) != 2 ||
		!slices.Equal(r.Changed[1].Added, d.Changed[1].Removed) || r.Changed[1].Name != "Storage.EastUS" {
		t.Errorf("reverse diff = %+v", r)
	}
}

func TestDiffEmpty(t *testing.T) {
	c := mustParse(t, servicetags.MiniJSON)
	if b, _ := json.Marshal(servicetags.Diff(c, c)); string(b) != `{"added":[],"removed":[],"changed":[]}` {
		t.Errorf("Diff(c, c) = %s", b)
	}
	d := servicetags.Diff(nil, c)
	if len(d.Added) != c.Len() || len(d.Removed) != 0 || len(d.Changed) != 0 {
		t.Errorf("Diff(nil, c) = %+v", d)
	}
	d = servicetags.Diff(c, nil)
	if len(d.Removed) != c.Len() || len(d.Added) != 0 {
		t.Errorf("Diff(c, nil) = %+v", d)
	}
}
