package render

import (
	"encoding/json"
	"testing"

	"github.com/vnetpath/vnetpath/answer"
)

// TestHopListRememberedOnSecondMeeting holds the hop-list cache to its
// rule: a list met once is not copied aside, the second meeting remembers
// it, later ones copy those bytes; a shorter list starting at the same hop
// is another list; and every encoding is what json.Marshal writes.
func TestHopListRememberedOnSecondMeeting(t *testing.T) {
	hops := []answer.Hop{
		{Node: "/subscriptions/s/vnet/a", Kind: answer.HopSubnet, Name: "a"},
		{Node: "/subscriptions/s/fw", Kind: answer.HopAzureFirewall, Name: "fw"},
		{Node: "/subscriptions/s/pe", Kind: answer.HopPrivateEndpoint, Name: "pe"},
	}
	e := newJSONEncoder()
	k := hopsKey{&hops[0], len(hops)}
	want, err := json.Marshal(hops)
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		list       []answer.Hop
		remembered bool // after this meeting
	}{
		{hops, false},
		{hops, true},
		{hops, true},
		{hops[:2], true},
	}
	for i, s := range steps {
		got := e.hopList(nil, s.list, false)
		w := want
		if len(s.list) != len(hops) {
			if w, err = json.Marshal(s.list); err != nil {
				t.Fatal(err)
			}
		}
		if string(got) != string(w) {
			t.Errorf("meeting %d: wrote\n%s\nwant\n%s", i+1, got, w)
		}
		if _, ok := e.hops[k]; ok != s.remembered {
			t.Errorf("meeting %d: full list remembered = %v, want %v", i+1, ok, s.remembered)
		}
	}
	if _, ok := e.hops[hopsKey{&hops[0], 2}]; ok {
		t.Errorf("the two-hop list is remembered after one meeting")
	}
	if e.err != nil {
		t.Fatal(e.err)
	}
}
