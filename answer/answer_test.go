package answer_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/topology"
)

// TestEnumsRejectUnknownValues checks that every enumeration marshals its
// constants as themselves and refuses other values both ways, leaving the
// target unchanged on a refused unmarshal.
func TestEnumsRejectUnknownValues(t *testing.T) {
	type textEnum interface {
		IsValid() bool
		MarshalText() ([]byte, error)
	}
	tests := []struct {
		name      string
		good, bad textEnum
		unmarshal func([]byte) error
	}{
		{"Verdict", answer.Unknown, answer.Verdict("denied"), func(b []byte) error { var v answer.Verdict; return v.UnmarshalText(b) }},
		{"HopKind", answer.HopAzureFirewall, answer.HopKind("router"), func(b []byte) error { var v answer.HopKind; return v.UnmarshalText(b) }},
		{"Action", answer.ActionUntranslated, answer.Action("snat"), func(b []byte) error { var v answer.Action; return v.UnmarshalText(b) }},
		{"EgressMethod", answer.EgressNATGateway, answer.EgressMethod("firewall"), func(b []byte) error { var v answer.EgressMethod; return v.UnmarshalText(b) }},
		{"StepType", answer.StepSNAT, answer.StepType("Route"), func(b []byte) error { var v answer.StepType; return v.UnmarshalText(b) }},
		{"Cause", answer.CauseNSGRuleDenies, answer.Cause("nsgDenies"), func(b []byte) error { var v answer.Cause; return v.UnmarshalText(b) }},
		{"FixKind", answer.FixAddSecurityRule, answer.FixKind("addRule"), func(b []byte) error { var v answer.FixKind; return v.UnmarshalText(b) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.good.IsValid() || tc.bad.IsValid() {
				t.Fatalf("IsValid: good %v, bad %v", tc.good.IsValid(), tc.bad.IsValid())
			}
			b, err := tc.good.MarshalText()
			if err != nil || tc.unmarshal(b) != nil {
				t.Errorf("round trip of %v: %s, %v", tc.good, b, err)
			}
			if _, err := tc.bad.MarshalText(); err == nil || !strings.Contains(err.Error(), "answer."+tc.name) {
				t.Errorf("MarshalText of %v: %v, want an error naming answer.%s", tc.bad, err, tc.name)
			}
			if err := tc.unmarshal([]byte("")); err == nil {
				t.Error(`UnmarshalText("") succeeded`)
			}
		})
	}
	v := answer.Reachable
	if err := json.Unmarshal([]byte(`"blocked"`), &v); err == nil || v != answer.Reachable {
		t.Errorf(`Unmarshal("blocked") = %v, left %v`, err, v)
	}
}

// TestVerdictsFollowSPEC checks the eleven verdict codes of SPEC §5, in
// order, with unknown last.
func TestVerdictsFollowSPEC(t *testing.T) {
	want := "reachable denied-by-nsg denied-by-firewall blocked-by-peering blackhole loop no-egress dns-unresolved private-endpoint-bypassed return-path-broken unknown"
	var got []string
	for _, v := range answer.Verdicts() {
		got = append(got, string(v))
		if v.IsReachable() != (v == answer.Reachable) {
			t.Errorf("%v.IsReachable() = %v", v, v.IsReachable())
		}
	}
	if strings.Join(got, " ") != want {
		t.Errorf("Verdicts() = %v", got)
	}
}

// TestEveryCauseHasSentences checks that Explain and FixText know every
// cause: no sentence falls back to the cause's code, and none is empty.
func TestEveryCauseHasSentences(t *testing.T) {
	for _, c := range answer.Causes() {
		b := answer.Blocker{Verdict: answer.Blackhole, Cause: c, Source: "10.1.1.0/24", Destination: "tag:Storage", Protocol: "tcp", Port: 443}
		r := answer.Explain(b)
		if r == "" || strings.Contains(r, "("+string(c)+")") {
			t.Errorf("Explain(%s) = %q", c, r)
		}
		if c.IsOutcome() {
			continue
		}
		f := answer.FixText(answer.Fix{Change: "CHANGE"}, b)
		if f == "" || f == "CHANGE" {
			t.Errorf("FixText(%s) = %q", c, f)
		}
	}
}

// TestExplain checks sentences made from data: they name the rule, its
// priority and direction, the flow and its sides, and cite the reference
// where the rule comes from.
func TestExplain(t *testing.T) {
	const nsg = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg-batch"
	tests := []struct {
		name string
		b    answer.Blocker
		f    answer.Fix
		why  string
		fix  string
	}{
		{"custom NSG deny (reference §3.3)",
			answer.Blocker{Verdict: answer.DeniedByNSG, Cause: answer.CauseNSGRuleDenies, Resource: nsg, Source: "10.130.1.0/24", Destination: "tag:AzureResourceManager", Protocol: "tcp", Port: 443,
				Rule: &answer.RuleRef{Owner: nsg, Name: "DenyArm", Priority: 300, Direction: topology.DirectionOutbound, Access: topology.AccessDeny}},
			answer.Fix{Kind: answer.FixAddSecurityRule, Data: map[string]string{"rule": "vnetpath-allow", "priority": "299"}},
			"NSG nsg-batch rule DenyArm (priority 300, Outbound, Deny) drops TCP 443 from 10.130.1.0/24 to service tag AzureResourceManager",
			"in NSG nsg-batch, allow outbound TCP 443 from 10.130.1.0/24 to service tag AzureResourceManager with rule vnetpath-allow at priority 299, below the 300 of rule DenyArm; or remove or narrow rule DenyArm"},
		{"forwarded traffic over a peering (reference §2.1)",
			answer.Blocker{Verdict: answer.BlockedByPeering, Cause: answer.CausePeeringNoForwardedTraffic, Peering: &answer.PeeringRef{ID: "/x/virtualNetworks/b/virtualNetworkPeerings/b-to-hub"}, Data: map[string]string{"owner": "b"}},
			answer.Fix{Kind: answer.FixSetProperty},
			"peering b-to-hub (owned by b) does not allow forwarded traffic, and this packet was forwarded by an appliance (reference §2.1; field reports differ, the verdict follows the documentation)",
			"turn on allowForwardedTraffic on peering b-to-hub"},
		{"ICMP has no port",
			answer.Blocker{Verdict: answer.DeniedByFirewall, Cause: answer.CauseFirewallNoRule, Resource: "/x/azureFirewalls/fw", Source: "10.1.1.4", Destination: "8.8.8.8", Protocol: "icmp"},
			answer.Fix{Kind: answer.FixAddFirewallRule},
			"firewall fw has no rule allowing ICMP from 10.1.1.4 to 8.8.8.8; Azure Firewall denies what no rule allows",
			"add to firewall fw's classic rules a network rule allowing ICMP from 10.1.1.4 to 8.8.8.8"},
		{"egress outcome",
			answer.Blocker{Verdict: answer.Reachable, Cause: answer.CauseLeftAzure, Destination: "tag:AzureActiveDirectory",
				Egress: &answer.Egress{Method: answer.EgressNATGateway, Via: "/x/natGateways/ng-data", PublicIP: "51.105.10.30"}},
			answer.Fix{}, "leaves through NAT gateway ng-data (51.105.10.30) to tag:AzureActiveDirectory", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := answer.Explain(tc.b); got != tc.why {
				t.Errorf("Explain = %q\nwant      %q", got, tc.why)
			}
			if tc.fix == "" {
				return
			}
			if got := answer.FixText(tc.f, tc.b); got != tc.fix {
				t.Errorf("FixText = %q\nwant      %q", got, tc.fix)
			}
		})
	}
}

// TestFixKindPatchable checks that the kinds a person must act on are the
// only ones without patches.
func TestFixKindPatchable(t *testing.T) {
	for k, want := range map[answer.FixKind]bool{
		answer.FixAddSecurityRule: true, answer.FixCreatePeering: true, answer.FixAttachNATGateway: true,
		answer.FixExport: false, answer.FixDeployGateway: false, answer.FixRouteDestination: false, answer.FixKind("x"): false,
	} {
		if got := k.Patchable(); got != want {
			t.Errorf("%q.Patchable() = %v, want %v", k, got, want)
		}
	}
}

// TestResultJSON checks the SPEC §5 field names and that empty lists are
// [] rather than null.
func TestResultJSON(t *testing.T) {
	r := answer.Result{Source: "s", Destination: "d", Protocol: "tcp", Port: 443, Verdict: answer.Blackhole, Reason: "why",
		Hops:  []answer.Hop{{Node: "n", Kind: answer.HopSubnet, Route: &answer.RouteRef{AddressPrefix: "0.0.0.0/0", NextHopType: topology.NextHopNone, Source: "Default"}}},
		Fixes: []answer.Fix{{Resource: "/x", Change: "c", Text: "t", Kind: answer.FixReviewRouting}}}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"source":"s"`, `"addresses":[]`, `"verdict":"blackhole"`, `"nextHopType":"None"`,
		`"fixes":[{"resource":"/x","change":"c","text":"t","kind":"reviewRouting","patch":[]}]`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s\ndoes not contain %s", b, want)
		}
	}
	var back answer.Result
	if err := json.Unmarshal(b, &back); err != nil || back.Hops[0].Route.NextHopType != topology.NextHopNone {
		t.Errorf("round trip: %v, %+v", err, back)
	}
}
