package render

import (
	"encoding/json"
	"testing"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/topology"
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
		if ok := e.hops[k] != nil; ok != s.remembered {
			t.Errorf("meeting %d: full list remembered = %v, want %v", i+1, ok, s.remembered)
		}
	}
	if e.hops[hopsKey{&hops[0], 2}] != nil {
		t.Errorf("the two-hop list is remembered after one meeting")
	}
	if e.err != nil {
		t.Fatal(e.err)
	}
}

// TestMetOnceRememberedOnSecondMeeting holds resolutions, reverse lookups
// and the values of patches to the rule of hop lists: the first meeting
// notes the value, the second remembers its encoding, later ones copy it,
// and each writes what json.Marshal writes. Rules and routes are
// remembered at once.
func TestMetOnceRememberedOnSecondMeeting(t *testing.T) {
	res := &answer.Resolution{Name: "ws.api.azureml.ms", From: "/subscriptions/s/vnet/a", Resolver: "168.63.129.16",
		Chain:     []answer.DNSStep{{Name: "ws.api.azureml.ms", Type: "CNAME", Value: "ws.privatelink.api.azureml.ms", Source: "public"}},
		Addresses: []string{"10.0.2.5"}, Rcode: "NOERROR"}
	rev := []answer.ReverseLookup{{Address: "10.0.2.5", Names: []string{"ws.privatelink.api.azureml.ms"}, Rcode: "NOERROR"}}
	val := json.RawMessage(`{ "name": "a<b>&c", "n": [1, 2] }`)
	rule := &answer.RuleRef{Owner: "/subscriptions/s/nsg", Label: "DenyAll", Kind: "nsg", Priority: 4096}
	route := &answer.RouteRef{AddressPrefix: "0.0.0.0/0", NextHopType: topology.NextHopVirtualAppliance, NextHopIPAddress: "10.0.0.4", Source: "User"}
	for _, c := range []struct {
		name       string
		v          any
		write      func(e *jsonEncoder) []byte
		remembered func(e *jsonEncoder) (met, kept bool)
		firstTime  bool
	}{
		{"resolution", res,
			func(e *jsonEncoder) []byte { return e.resolution(nil, res) },
			func(e *jsonEncoder) (bool, bool) { c, ok := e.dns[res]; return ok, c != nil }, false},
		{"reverse lookups", rev,
			func(e *jsonEncoder) []byte { return e.reverseLookups(nil, rev) },
			func(e *jsonEncoder) (bool, bool) { c, ok := e.reverse[reverseKey{&rev[0], 1}]; return ok, c != nil }, false},
		{"patch value", val,
			func(e *jsonEncoder) []byte { return e.raw(nil, val) },
			func(e *jsonEncoder) (bool, bool) { c, ok := e.raws[rawKey{&val[0], len(val)}]; return ok, c != nil }, false},
		{"rule", rule,
			func(e *jsonEncoder) []byte { return e.rule(nil, rule) },
			func(e *jsonEncoder) (bool, bool) { c, ok := e.rules[rule]; return ok, c != nil }, true},
		{"route", route,
			func(e *jsonEncoder) []byte { return e.route(nil, route) },
			func(e *jsonEncoder) (bool, bool) { c, ok := e.routes[route]; return ok, c != nil }, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			want, err := json.Marshal(c.v)
			if err != nil {
				t.Fatal(err)
			}
			e := newJSONEncoder()
			for meeting := 1; meeting <= 3; meeting++ {
				if got := c.write(e); string(got) != string(want) {
					t.Fatalf("meeting %d: wrote\n%s\nwant\n%s", meeting, got, want)
				}
				met, kept := c.remembered(e)
				if wantKept := c.firstTime || meeting > 1; !met || kept != wantKept {
					t.Errorf("meeting %d: noted %v, encoding kept %v; want noted, kept %v", meeting, met, kept, wantKept)
				}
			}
			if e.err != nil {
				t.Fatal(e.err)
			}
		})
	}
}

// TestEncoderStartsAfreshPastMaxCached checks that an encoder that would
// hold more than maxCached bytes forgets what it holds, and still writes
// what json.Marshal writes.
func TestEncoderStartsAfreshPastMaxCached(t *testing.T) {
	rule := &answer.RuleRef{Owner: "/subscriptions/s/nsg", Label: "AllowVnetInBound", Kind: "nsg", Priority: 65000, Default: true}
	hops := []answer.Hop{{Node: "/subscriptions/s/vnet/a", Kind: answer.HopSubnet}, {Node: "/subscriptions/s/fw", Kind: answer.HopAzureFirewall}}
	e := newJSONEncoder()
	e.rule(nil, rule)
	e.hopList(nil, hops, false)
	if len(e.rules) != 1 || len(e.hops) != 1 {
		t.Fatalf("after one meeting each: %d rules, %d hop lists held; want 1 and 1", len(e.rules), len(e.hops))
	}
	e.cached = maxCached - 1
	got := e.hopList(nil, hops, false)
	want, _ := json.Marshal(hops)
	if string(got) != string(want) {
		t.Errorf("wrote\n%s\nwant\n%s", got, want)
	}
	if len(e.rules) != 0 || e.cached != len(want) {
		t.Errorf("past maxCached: %d rules held, %d bytes counted; want 0 and %d", len(e.rules), e.cached, len(want))
	}
	if c, ok := e.hops[hopsKey{&hops[0], 2}]; !ok || c == nil {
		t.Errorf("the hop list met for the second time is not remembered after starting afresh")
	}
}

// TestEncoderWritesOverItsRoomAfresh checks that an encoder starting
// afresh writes new encodings over the room of those it forgot, and that
// nothing it still writes from was overwritten: every value is written
// as json.Marshal writes it, before and after.
func TestEncoderWritesOverItsRoomAfresh(t *testing.T) {
	first := &answer.RuleRef{Owner: "/subscriptions/s/nsg-a", Label: "AllowVnetInBound", Kind: "nsg", Priority: 65000, Default: true}
	second := &answer.RuleRef{Owner: "/subscriptions/s/nsg-b", Label: "DenyAllInBound", Kind: "nsg", Priority: 65500, Default: true}
	e := newJSONEncoder()
	check := func(when string, r *answer.RuleRef) {
		t.Helper()
		got := e.rule(nil, r)
		if want, _ := json.Marshal(r); string(got) != string(want) {
			t.Errorf("%s: wrote\n%s\nwant\n%s", when, got, want)
		}
	}
	check("first meeting", first)
	room := &e.held[:1][0]
	e.cached = maxCached - 1
	check("past maxCached", second)
	if len(e.rules) != 1 || &e.held[:1][0] != room {
		t.Fatalf("past maxCached: %d rules held, room moved %v; want 1 rule, written over the same room", len(e.rules), &e.held[:1][0] != room)
	}
	check("met again after its room was written over", first)
	check("remembered after starting afresh", second)
}

// TestEncoderForgetsNotedPastMaxNoted checks that values met once are
// forgotten past maxNoted, apart from the encodings held: the rules stay
// remembered, a list met once is met afresh, and a list met for the second
// time is remembered.
func TestEncoderForgetsNotedPastMaxNoted(t *testing.T) {
	rule := &answer.RuleRef{Owner: "/subscriptions/s/nsg", Label: "AllowVnetInBound", Kind: "nsg", Priority: 65000, Default: true}
	once := []answer.Hop{{Node: "/subscriptions/s/vnet/a", Kind: answer.HopSubnet}}
	twice := []answer.Hop{{Node: "/subscriptions/s/vnet/b", Kind: answer.HopSubnet}, {Node: "/subscriptions/s/fw", Kind: answer.HopAzureFirewall}}
	e := newJSONEncoder()
	e.rule(nil, rule)
	e.hopList(nil, once, false)
	e.hopList(nil, twice, false)
	e.noted = maxNoted - 1
	got := e.hopList(nil, twice, false)
	if want, _ := json.Marshal(twice); string(got) != string(want) {
		t.Errorf("wrote\n%s\nwant\n%s", got, want)
	}
	if c, ok := e.hops[hopsKey{&twice[0], 2}]; !ok || c == nil {
		t.Errorf("the list met for the second time is not remembered")
	}
	e.noted = maxNoted - 1
	got = e.hopList(nil, []answer.Hop{{Node: "/subscriptions/s/vnet/c", Kind: answer.HopSubnet}}, false)
	if want := `[{"node":"/subscriptions/s/vnet/c","kind":"subnet"}]`; string(got) != want {
		t.Errorf("wrote\n%s\nwant\n%s", got, want)
	}
	if _, ok := e.hops[hopsKey{&once[0], 1}]; ok {
		t.Errorf("the list met once is still noted past maxNoted")
	}
	if e.hops[hopsKey{&twice[0], 2}] == nil || e.rules[rule] == nil {
		t.Errorf("forgetting the values met once forgot the encodings held: list %v, rule %v",
			e.hops[hopsKey{&twice[0], 2}] != nil, e.rules[rule] != nil)
	}
	if e.noted != len(got) {
		t.Errorf("%d bytes noted after forgetting, want %d", e.noted, len(got))
	}
}
