package servicetags_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/servicetags"
)

// shared returns the path of a file under ../shared/testdata (the
// repository's sibling), skipping the test when it is absent.
func shared(t testing.TB, parts ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{"..", "..", "shared", "testdata"}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s is absent: this test reads the real files in ../shared", p)
	}
	return p
}

func parseShared(t testing.TB, name string) *servicetags.Catalog {
	t.Helper()
	c, err := servicetags.ParseFile(shared(t, "servicetags", name), servicetags.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if w := c.Warnings(); len(w) > 0 {
		t.Errorf("%s: warnings %q", name, w)
	}
	return c
}

const (
	public0728 = "ServiceTags_Public_20250728.json"
	public1028 = "ServiceTags_Public_20251028.json"
	government = "ServiceTags_AzureGovernment_20260720.json"
	china      = "ServiceTags_China_20260720.json"
)

func TestRealLookup(t *testing.T) {
	c := parseShared(t, public1028)
	if c.Cloud() != "Public" || c.ChangeNumber() != 375 || c.Len() != 3039 {
		t.Errorf("catalog: %s change %d, %d tags", c.Cloud(), c.ChangeNumber(), c.Len())
	}
	got := matchStrings(c.Lookup(mpa("4.149.98.200")))
	want := []string{"AzureActiveDirectory 4.149.98.192/27", "AzureCloud.southcentralus 4.149.96.0/19", "AzureCloud 4.149.96.0/19"}
	if !slices.Equal(got, want) {
		t.Errorf("Lookup(4.149.98.200) = %q, want %q", got, want)
	}
}

func TestRealDiff(t *testing.T) {
	d := servicetags.Diff(parseShared(t, public0728), parseShared(t, public1028))
	if len(d.Added) != 72 || len(d.Removed) != 0 || len(d.Changed) != 348 {
		t.Errorf("diff 20250728 → 20251028: %d added, %d removed, %d changed; want 72, 0, 348", len(d.Added), len(d.Removed), len(d.Changed))
	}
	if !slices.Contains(d.Added, "AzureCloud.belgiumcentral") || !slices.Contains(d.Added, "Storage.SoutheastUS3") {
		t.Errorf("added lacks the new regions: %q", d.Added[:5])
	}
	for _, ch := range d.Changed {
		if len(ch.Added)+len(ch.Removed) == 0 {
			t.Errorf("%s listed as changed with no prefix change", ch.Name)
		}
	}
}

func TestRealSovereignClouds(t *testing.T) {
	for _, tc := range []struct {
		file, cloud string
		change      int64
		tags        int
	}{
		{government, "AzureGovernment", 402, 299},
		{china, "China", 405, 327},
	} {
		c := parseShared(t, tc.file)
		if c.Cloud() != tc.cloud || c.ChangeNumber() != tc.change || c.Len() != tc.tags {
			t.Errorf("%s: %s change %d, %d tags; want %s %d %d", tc.file, c.Cloud(), c.ChangeNumber(), c.Len(), tc.cloud, tc.change, tc.tags)
		}
		for _, name := range []string{"AzureActiveDirectory", "AzureResourceManager", "Storage", "AzureCloud"} {
			if s, err := c.Expand(name); err != nil || s.IsEmpty() {
				t.Errorf("%s: Expand(%s) = %v, %v", tc.cloud, name, s, err)
			}
		}
		checkAgainstReference(t, c, 3000)
		b, err := c.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		assertSameCatalog(t, c, mustParse(t, string(b)))
	}
}

func TestRealAPIExample(t *testing.T) {
	p := shared(t, "armexamples", "network", "resource-manager", "Microsoft.Network", "stable", "2025-07-01", "examples", "ServiceTagsList.json")
	c, err := servicetags.ParseFile(p, servicetags.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Cloud() != "Public" || c.ChangeNumber() != 63 || c.Len() != 5 {
		t.Errorf("API example: %s change %d, %d tags", c.Cloud(), c.ChangeNumber(), c.Len())
	}
	sb, _ := c.Tag("servicebus.eastus2")
	if sb.Name != "ServiceBus.EastUS2" || sb.Region != "eastus2" || sb.ChangeNumber != 1 || len(sb.Prefixes) != 2 {
		t.Errorf("ServiceBus.EastUS2 = %+v", sb)
	}
	// ApiManagement has a global entry: Expand gives it, not the union.
	if s, _ := c.Expand("ApiManagement"); s.String() != "13.64.39.16,40.74.146.80/31,40.74.147.32/28" {
		t.Errorf("Expand(ApiManagement) = %s", s)
	}
}

// The well-known names map to tags the public catalog has, and the tags
// cover the CheckUse the Azure ML profile needs (reference §6.3).
func TestRealFQDNTagsExist(t *testing.T) {
	c := parseShared(t, public1028)
	for _, e := range servicetags.WellKnownFQDNs() {
		name := strings.ReplaceAll(e.Tag, "<region>", "centralus")
		if _, err := c.Expand(name); err != nil {
			t.Errorf("%s → %s: %v", e.Pattern, name, err)
		}
	}
	for _, name := range []string{"AzureActiveDirectory", "AzureResourceManager", "AzureMachineLearning", "Storage.CentralUS", "AzureFrontDoor.FrontEnd", "MicrosoftContainerRegistry", "AzureMonitor"} {
		if err := c.CheckUse(name, servicetags.FeatureNSG|servicetags.FeatureUDR|servicetags.FeatureFW); err != nil {
			t.Errorf("CheckUse(%s): %v", name, err)
		}
	}
	// AzureCloud lists API and NSG only: not usable in a route table.
	if err := c.CheckUse("AzureCloud", servicetags.FeatureUDR); err == nil {
		t.Error("CheckUse(AzureCloud, UDR) = nil, want a UseError")
	}
}

func TestRealLookupAgreesWithReference(t *testing.T) {
	if testing.Short() {
		t.Skip("compares 1,000 lookups on the full public file with a linear scan")
	}
	checkAgainstReference(t, parseShared(t, public1028), 1000)
}
