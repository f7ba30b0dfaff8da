package engine_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/engine"
)

// TestTagDestinationMustBeKnown follows SPEC §4: tag:NAME must name a tag
// the catalog knows or, without one, a tag of the public cloud; otherwise
// the question is an input error listing the closest names.
func TestTagDestinationMustBeKnown(t *testing.T) {
	for _, tc := range []struct {
		name        string
		catalog     bool
		to          string
		wantErr     bool
		firstChoice string
	}{
		{"public tag without a catalog", false, "tag:AzureActiveDirectory", false, ""},
		{"regional public tag without a catalog", false, "tag:Storage.westeurope", false, ""},
		{"unknown tag without a catalog", false, "tag:NoSuchTag", true, ""},
		{"misspelt region without a catalog", false, "tag:Storage.WestEuropa", true, "tag:Storage.WestEurope"},
		{"misspelt tag without a catalog", false, "tag:AzureActiveDirectroy", true, "tag:AzureActiveDirectory"},
		{"catalog tag", true, "tag:Storage.WestEurope", false, ""},
		{"public tag the catalog lacks", true, "tag:AzureMonitor", true, ""},
		{"misspelt catalog tag", true, "tag:Storag", true, "tag:Storage"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEstate(t)
			v := e.vnet("spoke", "10.1.0.0/16")
			e.subnet(v, "app", "10.1.0.0/24")
			if tc.catalog {
				e.withCatalog()
			}
			_, err := e.engine().Check(engine.Query{From: "spoke/app", To: tc.to})
			if !tc.wantErr {
				if err != nil {
					t.Fatalf("Check(%s): %v", tc.to, err)
				}
				return
			}
			var ie *engine.InputError
			if !errors.As(err, &ie) || ie.Arg != "to" || ie.Value != tc.to || len(ie.Candidates) == 0 {
				t.Fatalf("Check(%s) error = %v; want an *InputError on --to listing candidates", tc.to, err)
			}
			if tc.firstChoice != "" && ie.Candidates[0] != tc.firstChoice {
				t.Errorf("candidates %q; want %s first", ie.Candidates, tc.firstChoice)
			}
			if tc.catalog && slices.Contains(ie.Candidates, "tag:AzureMonitor") {
				t.Errorf("candidates %q name a tag the catalog lacks", ie.Candidates)
			}
		})
	}
}

// TestArrivalNamesEachChecksDestination holds the sentence of an arrival
// to its own check: a tag and the same addresses written out leave
// through the same egress to the same set, and the shared path, which
// memoises the sentences of a run, must still name the tag for the one
// and the prefix for the other, whichever is asked first.
func TestArrivalNamesEachChecksDestination(t *testing.T) {
	e := newEstate(t)
	v := e.vnet("spoke", "10.1.0.0/16")
	e.subnet(v, "app", "10.1.0.0/24")
	e.withCatalog()
	tag := engine.Query{From: "spoke/app", To: "tag:Storage.WestEurope"}
	cidr := engine.Query{From: "spoke/app", To: "20.60.0.0/17"}
	for _, qs := range [][]engine.Query{{tag, cidr}, {cidr, tag}} {
		rep, err := e.engine().Run(qs)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rep.Results {
			if !r.Reachable {
				t.Fatalf("%s: %s, want reachable (%s)", qs[i].To, r.Verdict, r.Reason)
			}
			named := strings.Contains(r.Reason, "tag:Storage.WestEurope")
			if named != (qs[i].To == tag.To) || !named && !strings.Contains(r.Reason, "20.60.0.0/17") {
				t.Errorf("check of %s, asked %d of %d, says %q", qs[i].To, i+1, len(qs), r.Reason)
			}
		}
	}
}
