package suggest_test

import (
	"slices"
	"testing"

	"github.com/vnetpath/vnetpath/internal/suggest"
)

var flags = []string{"snapshot", "service-tags", "from", "to", "port", "protocol", "format", "o", "lenient"}

func TestLikely(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		ok             bool
	}{
		{"one letter too many", "snapshots", "snapshot", true},
		{"transposed letters", "protcol", "protocol", true},
		{"case differs", "Snapshot", "snapshot", true},
		{"abbreviation", "serv", "service-tags", true},
		{"underscore for dash", "service_tags", "service-tags", true},
		{"exact name is not a suggestion", "port", "", false},
		{"nothing close", "verbose", "", false},
		{"empty", "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := suggest.Likely(tc.in, flags)
			if got != tc.want || ok != tc.ok {
				t.Errorf("Likely(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
	if _, ok := suggest.Likely("x", nil); ok {
		t.Error("Likely with no candidates found one")
	}
}

func TestClosest(t *testing.T) {
	tags := []string{"Storage", "Storage.WestEurope", "Storage.WestUS", "AzureMonitor", "AzureCloud", "Sql", "Storage.WestEurope"}
	for _, tc := range []struct {
		name string
		in   string
		n    int
		want []string
	}{
		{"region typo ranks the region first", "Storage.WestEuropa", 2, []string{"Storage.WestEurope", "Storage.WestUS"}},
		{"far names are still listed, nearest first", "Monitor", 1, []string{"AzureMonitor"}},
		{"duplicates once", "Storage.WestEurope", 3, []string{"Storage.WestEurope", "Storage.WestUS", "Storage"}},
		{"n larger than the candidates", "sql", 10, []string{"Sql", "Storage", "AzureCloud", "AzureMonitor", "Storage.WestUS", "Storage.WestEurope"}},
		{"n zero", "sql", 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := suggest.Closest(tc.in, tags, tc.n); !slices.Equal(got, tc.want) {
				t.Errorf("Closest(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
			}
		})
	}
}
