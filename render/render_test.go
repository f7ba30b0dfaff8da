package render_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/render"
	"github.com/vnetpath/vnetpath/topology"
)

const (
	net    = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/"
	snetA  = net + "virtualNetworks/spoke/subnets/snet-a"
	fwHub  = net + "azureFirewalls/fw-hub"
	nsgA   = net + "networkSecurityGroups/nsg-a"
	ruleID = nsgA + "/securityRules/deny-arm"
)

// report is a report of two results: one reachable through the hub
// firewall, one denied by an NSG with the firewall that would deny next.
func report() *answer.Report {
	toFW := &answer.RouteRef{AddressPrefix: "0.0.0.0/0", NextHopType: topology.NextHopVirtualAppliance, NextHopIPAddress: "10.0.1.4", Source: "User", Name: "default-to-fw"}
	out := &answer.RouteRef{AddressPrefix: "0.0.0.0/0", NextHopType: topology.NextHopInternet, Source: "Default"}
	eg := &answer.Egress{PublicIP: "20.10.10.10", Via: fwHub, Method: answer.EgressAzureFirewall}
	deny := &answer.RuleRef{ID: ruleID, Owner: nsgA, Name: "deny-arm", Label: "nsg-a/deny-arm", Kind: answer.RuleNSG, Priority: 100,
		Direction: topology.DirectionOutbound, Access: topology.AccessDeny}
	fix := answer.Fix{Resource: nsgA, Change: "add rule allow-arm", Text: "in NSG nsg-a, allow outbound TCP 443", Kind: answer.FixAddSecurityRule,
		Patch: []answer.Patch{{Op: answer.PatchAdd, ID: nsgA + "/securityRules/allow-arm", Type: "Microsoft.Network/networkSecurityGroups/securityRules", Value: json.RawMessage(`{"name":"allow-arm"}`)}}}
	return &answer.Report{
		Snapshot:    answer.SnapshotSummary{Resources: 12, Skipped: map[string]int{"Microsoft.Compute/virtualMachines": 2}},
		ServiceTags: &answer.CatalogSummary{Cloud: "Public", ChangeNumber: 375, Tags: 3000},
		Warnings:    []string{"a warning <with> & marks"},
		Results: []answer.Result{
			{Source: snetA, Destination: "login.microsoftonline.com", Protocol: "tcp", Port: 443, Addresses: []string{"tag:AzureActiveDirectory"},
				Reachable: true, Verdict: answer.Reachable, Reason: "leaves through firewall fw-hub (20.10.10.10) to tag:AzureActiveDirectory", Egress: eg,
				Hops: []answer.Hop{
					{Node: snetA, Kind: answer.HopSubnet, Name: "spoke/snet-a", Route: toFW, Steps: []answer.Step{{Type: answer.StepRoute, Action: answer.ActionForwarded, Route: toFW}}},
					{Node: fwHub, Kind: answer.HopAzureFirewall, Name: "fw-hub", Action: answer.ActionForwarded, Rules: []string{"fw-hub/allow/entra"},
						Steps: []answer.Step{{Type: answer.StepSNAT, Action: answer.ActionForwarded, SNAT: &answer.SNATRef{From: "10.1.1.0/24", To: "10.0.1.4"}}}},
					{Node: "Internet", Kind: answer.HopInternet, Action: answer.ActionEgress, Steps: []answer.Step{{Type: answer.StepEgress, Action: answer.ActionEgress, Egress: eg}}},
				}},
			{Source: snetA, Destination: "management.azure.com", Purpose: "ARM", Protocol: "tcp", Port: 443, Addresses: []string{"tag:AzureResourceManager"},
				Verdict: answer.DeniedByNSG, Reason: "NSG nsg-a rule deny-arm (priority 100, Outbound, Deny) drops TCP 443",
				Hops: []answer.Hop{{Node: snetA, Kind: answer.HopSubnet, Name: "spoke/snet-a", Route: toFW, Rules: []string{"nsg-a/deny-arm"},
					Steps: []answer.Step{{Type: answer.StepNSGRule, Action: answer.ActionDenied, Rule: deny}}}},
				Then: []answer.Hop{{Node: fwHub, Kind: answer.HopAzureFirewall, Name: "fw-hub", Action: answer.ActionDenied,
					Steps: []answer.Step{{Type: answer.StepFirewallRule, Action: answer.ActionDenied, Note: "no rule matches; Azure Firewall denies by default"}}},
					{Node: "Internet", Kind: answer.HopInternet, Route: out}},
				Blockers: []answer.Blocker{{Verdict: answer.DeniedByNSG, Cause: answer.CauseNSGRuleDenies, Resource: nsgA, Rule: deny, Fix: &fix}},
				Fixes:    []answer.Fix{fix}},
		},
	}
}

// TestRoutesAndResolution checks the text and JSON of effective routes and
// of a resolution.
func TestRoutesAndResolution(t *testing.T) {
	rt := &answer.RouteTable{Subnet: snetA, Value: []answer.EffectiveRoute{{Source: "Default", State: "Active", AddressPrefix: []string{"10.1.0.0/16"},
		NextHopIPAddress: []string{}, NextHopType: topology.NextHopVnetLocal}}, Warnings: []string{"w"}}
	var b strings.Builder
	if err := render.RoutesText(&b, rt); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "Default  Active  10.1.0.0/16     VnetLocal") || !strings.Contains(b.String(), "warning: w") {
		t.Errorf("routes text:\n%s", b.String())
	}
	b.Reset()
	if err := render.RoutesJSON(&b, rt); err != nil || !strings.Contains(b.String(), `"nextHopType": "VnetLocal"`) {
		t.Errorf("routes JSON %v:\n%s", err, b.String())
	}
	res := &answer.Resolution{Name: "x.blob.core.windows.net", From: "spoke", Resolver: "Azure-provided DNS", Rcode: answer.NoError, Public: true, PublicTag: "Storage",
		Chain:    []answer.DNSStep{{Name: "x.blob.core.windows.net", Type: "PUBLIC", Value: "public address", Source: "public DNS"}},
		Endpoint: net + "privateEndpoints/pe-x", Expected: []string{"10.1.2.5"}, Reason: "why",
		Fixes: []answer.Fix{{Text: "link the zone", Kind: answer.FixAddZoneLink}}}
	b.Reset()
	if err := render.ResolutionText(&b, res); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"NOERROR public address (service tag Storage)", "private endpoint pe-x serves it at 10.1.2.5", "  why\n", "  fix: link the zone\n"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("resolution text does not contain %q:\n%s", want, b.String())
		}
	}
}

// TestWriteErrors checks that every writer returns the first write error.
func TestWriteErrors(t *testing.T) {
	bad := errors.New("disk full")
	for name, f := range map[string]func(w *failWriter) error{
		"Text":    func(w *failWriter) error { return render.Text(w, report()) },
		"HTML":    func(w *failWriter) error { return render.HTML(w, report(), render.Options{}) },
		"Graph":   func(w *failWriter) error { return render.Graph(estate(t)).Dot(w) },
		"Summary": func(w *failWriter) error { return render.SnapshotText(w, report()) },
		"JSON":    func(w *failWriter) error { return render.JSON(w, manyResults()) },
		"Dot":     func(w *failWriter) error { return render.Dot(w, report()) },
		"Mermaid": func(w *failWriter) error { return render.Mermaid(w, report()) },
	} {
		for _, after := range []int{0, 2} {
			if err := f(&failWriter{left: after, err: bad}); !errors.Is(err, bad) {
				t.Errorf("%s failing after %d writes: %v", name, after, err)
			}
		}
	}
}

// manyResults is a report whose JSON takes several writes: JSON writes
// results in blocks of a few hundred kilobytes.
func manyResults() *answer.Report {
	r := report()
	for len(r.Results) < 2000 {
		r.Results = append(r.Results, r.Results[:2]...)
	}
	return r
}

type failWriter struct {
	left int
	err  error
}

func (f *failWriter) Write(p []byte) (int, error) {
	if f.left == 0 {
		return 0, f.err
	}
	f.left--
	return len(p), nil
}

// TestZeroValues renders answers with nothing filled in, and an empty
// snapshot's estate, in every format, from a report and from a Collector
// without a head: no panic, no error.
func TestZeroValues(t *testing.T) {
	r := &answer.Report{Results: []answer.Result{{}, {Hops: []answer.Hop{{}, {}}, Then: []answer.Hop{{}}, DNS: &answer.Resolution{Chain: []answer.DNSStep{{}}},
		Blockers: []answer.Blocker{{}}, Fixes: []answer.Fix{{Az: " "}, {}}, Parts: []answer.Part{{}}, ReturnPath: &answer.ReturnPath{},
		Egress: &answer.Egress{}, Missing: []string{""}}}, Snapshot: answer.SnapshotSummary{Missing: []answer.MissingResource{{}}}}
	r.Results[1].Hops[0].Steps = []answer.Step{{}, {Type: answer.StepRoute}, {Type: answer.StepSNAT}, {Type: answer.StepEgress}, {Type: answer.StepPeering}, {Type: answer.StepFirewallRule}}
	var b strings.Builder
	for name, f := range map[string]func() error{
		"text":     func() error { return render.TextWith(&b, r, render.Options{Color: true}) },
		"snapshot": func() error { return render.SnapshotText(&b, r) },
		"dot":      func() error { return render.Dot(&b, r) },
		"mermaid":  func() error { return render.Mermaid(&b, r) },
		"html":     func() error { return render.HTML(&b, r, render.Options{}) },
		"empty":    func() error { return render.Text(&b, &answer.Report{}) },
		"collector": func() error {
			c := render.NewCollector(nil)
			for _, res := range r.Results {
				c.Add(res)
			}
			return errors.Join(c.Text(&b, render.Options{}), c.HTML(&b, render.Options{}), c.Dot(&b), c.Mermaid(&b))
		},
		"empty collector": func() error { return render.NewCollector(nil).Text(&b, render.Options{}) },
	} {
		if err := f(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	var tb topology.Builder
	snap, _ := tb.Build()
	if snap != nil {
		g := render.Graph(snap)
		for _, f := range []func() error{func() error { return g.Dot(&b) }, func() error { return g.Mermaid(&b) }, func() error { return g.JSON(&b) }} {
			if err := f(); err != nil {
				t.Error(err)
			}
		}
	}
}
