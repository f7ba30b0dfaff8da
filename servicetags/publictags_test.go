package servicetags_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/servicetags"
)

// TestPublicTagsMatchFile checks that the embedded list (publictags.txt,
// written by go generate) holds exactly the names and regions of the public
// download file it was generated from.
func TestPublicTagsMatchFile(t *testing.T) {
	file := parseShared(t, public1028)
	emb := servicetags.PublicNames()
	if emb.Len() != file.Len() || emb.Cloud() != file.Cloud() || emb.ChangeNumber() != file.ChangeNumber() {
		t.Fatalf("embedded list: %d tags, cloud %q, change %d; file: %d, %q, %d (run go generate ./servicetags)",
			emb.Len(), emb.Cloud(), emb.ChangeNumber(), file.Len(), file.Cloud(), file.ChangeNumber())
	}
	var got, want []string
	for tg := range emb.All() {
		got = append(got, tg.Name+" "+tg.Region)
	}
	for tg := range file.All() {
		want = append(want, tg.Name+" "+tg.Region)
	}
	if !slices.Equal(got, want) {
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Fatalf("entry %d: embedded %q, file %q (run go generate ./servicetags)", i, got[i], want[i])
			}
		}
	}
}

func TestKnownPublicTag(t *testing.T) {
	for _, tc := range []struct {
		name string
		want bool
	}{
		{"AzureActiveDirectory", true},
		{"azureactivedirectory", true},      // names compare case-insensitively
		{"Storage.WestEurope", true},        // a regional entry
		{"Storage.westeurope", true},        // the region in lower case, as profiles write it
		{"ActionGroup.brazilse", true},      // the region field of ActionGroup.BrazilSoutheast
		{"AzureFrontDoor.FirstParty", true}, // a global tag with a dot
		{"VirtualNetwork", true},            // virtual tags are known everywhere
		{"AzurePlatformDNS", true},          // and so are platform tags
		{"NoSuchTag", false},                //
		{"Storage.WestEuropa", false},       // a misspelt region
		{"Storage.USGovVirginia", false},    // a Government region is not public
		{"", false},                         //
		{"Storage.", false},                 //
	} {
		if got := servicetags.KnownPublicTag(tc.name); got != tc.want {
			t.Errorf("KnownPublicTag(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestKnownPublicTagWellKnownFQDNs checks that every global tag the FQDN
// table maps a public name to is a public tag, so that a check of a
// well-known name never fails as an unknown tag.
func TestKnownPublicTagWellKnownFQDNs(t *testing.T) {
	for _, e := range servicetags.WellKnownFQDNs() {
		tag := strings.Replace(e.Tag, "<region>", "westeurope", 1)
		if !servicetags.KnownPublicTag(tag) {
			t.Errorf("%s maps to %s, which the public list does not know", e.Pattern, tag)
		}
	}
}

func TestClosestTags(t *testing.T) {
	for _, tc := range []struct {
		name string
		n    int
		want string // the first suggestion
	}{
		{"Storage.WestEuropa", 3, "Storage.WestEurope"},
		{"AzureActiveDirectry", 3, "AzureActiveDirectory"},
		{"azuremonitor", 1, "AzureMonitor"},
		{"AzureFrontDoor.FirstPary", 2, "AzureFrontDoor.FirstParty"},
	} {
		got := servicetags.ClosestTags(tc.name, tc.n)
		if len(got) != tc.n || got[0] != tc.want {
			t.Errorf("ClosestTags(%q, %d) = %q, want %d names starting with %q", tc.name, tc.n, got, tc.n, tc.want)
		}
	}
	c := mustParse(t, servicetags.MiniJSON)
	if got, want := c.ClosestTags("Storage.EastU", 2), []string{"Storage.EastUS", "Storage.WestUS"}; !slices.Equal(got, want) {
		t.Errorf("catalog ClosestTags = %q, want %q", got, want)
	}
	var nilCat *servicetags.Catalog
	if got := nilCat.ClosestTags("x", 3); got != nil {
		t.Errorf("nil catalog ClosestTags = %q", got)
	}
}
