package engine_test

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/topology"
)

// dependenciesJSON is a workspace's outboundNetworkDependenciesEndpoints
// answer (the ExternalFQDNResponse shape).
const dependenciesJSON = `{"value": [
 {"properties": {"category": "Azure Active Directory", "endpoints": [{"domainName": "login.microsoftonline.com", "endpointDetails": [{"port": 80}, {"port": 443}]}]}},
 {"properties": {"category": "Azure portal", "endpoints": [{"domainName": "management.azure.com", "endpointDetails": [{"port": 443}]}]}},
 {"properties": {"category": "Azure Storage", "endpoints": [{"domainName": "*.blob.core.windows.net", "endpointDetails": [{"port": 443}]}]}},
 {"properties": {"category": "Azure Batch", "endpoints": [{"domainName": "*.westeurope.batch.azure.com", "endpointDetails": [{"port": 443}]}]}},
 {"properties": {"category": "Python packages", "endpoints": [{"domainName": "pypi.org", "endpointDetails": [{"port": 443}]}]}}
]}`

// §10 item 37: check --ml-dependencies takes the workspace's own list of
// what it needs instead of the built-in table; Entra ID, ARM and the
// workspace's names stay, and names vnetpath cannot place are named.
func TestDNS37_WorkspaceDependencyList(t *testing.T) {
	deps, err := engine.ParseMLDependencies("deps.json", []byte(dependenciesJSON))
	if err != nil {
		t.Fatal(err)
	}
	m := newMLEstate(t)
	eng := engine.NewWithOptions(m.snapshot(), nil, engine.Options{MLDependencies: deps})
	ws, _ := eng.Snapshot().Workspace(m.ws.ID)
	var keys []string
	for _, p := range eng.MLProfile(ws) {
		keys = append(keys, profileKey(p))
		if p.Purpose == "" || p.Reference == "" {
			t.Errorf("%s has no purpose or reference", profileKey(p))
		}
	}
	want := []string{
		"login.microsoftonline.com tcp/443", "management.azure.com tcp/443",
		wsAPI + " tcp/443", wsGUID + ".workspace.westeurope.cert.api.azureml.ms tcp/443", wsNotebook + " tcp/443", "endpoint.westeurope.inference.ml.azure.com tcp/443",
		"login.microsoftonline.com tcp/80",
		"tag:Storage tcp/443 *.blob.core.windows.net",
		"tag:BatchNodeManagement.westeurope tcp/443 *.westeurope.batch.azure.com",
	}
	if !slices.Equal(keys, want) {
		t.Errorf("profile\n  %s\nwant\n  %s", strings.Join(keys, "\n  "), strings.Join(want, "\n  "))
	}
	rep, err := eng.Profile(engine.ProfileOptions{From: []string{computeSubnet}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Profile == nil || rep.Profile.Source != answer.ProfileFile || rep.Profile.File != "deps.json" {
		t.Errorf("profile source %+v, want the file", rep.Profile)
	}
	wantIn(t, "warnings", strings.Join(rep.Warnings, "|"), "1 domains of deps.json were not checked", "pypi.org")

	for _, tc := range []struct{ name, data, path string }{
		{"not JSON", `{"value": [`, ""},
		{"no list", `{"category": "x"}`, ""},
		{"port out of range", `{"value": [{"properties": {"category": "x", "endpoints": [{"domainName": "a.example.com", "endpointDetails": [{"port": 443}, {"port": 70000}]}]}}]}`,
			"$.value[0].properties.endpoints[0].endpointDetails[1].port"},
		{"not a domain", `{"value": [{"properties": {"category": "x", "endpoints": [{"domainName": "not a domain"}]}}]}`, "$.value[0].properties.endpoints[0].domainName"},
	} {
		_, err := engine.ParseMLDependencies("deps.json", []byte(tc.data))
		var fe *engine.InputFileError
		if !errors.As(err, &fe) || fe.File != "deps.json" || fe.Path != tc.path {
			t.Errorf("%s: error %v, want one naming deps.json at %q", tc.name, err, tc.path)
		}
	}
}

// namedLocationsJSON is Microsoft Graph's answer to GET
// /identity/conditionalAccess/namedLocations.
const namedLocationsJSON = `{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/namedLocations", "value": [
 {"@odata.type": "#microsoft.graph.ipNamedLocation", "id": "1", "displayName": "Corporate egress", "isTrusted": true,
  "ipRanges": [{"@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": "51.105.10.16/28"}]},
 {"@odata.type": "#microsoft.graph.ipNamedLocation", "id": "2", "displayName": "Branch offices", "isTrusted": false,
  "ipRanges": [{"@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": "51.105.20.0/24"}]},
 {"@odata.type": "#microsoft.graph.countryNamedLocation", "id": "3", "displayName": "EU", "countriesAndRegions": ["DE", "NL"]}
]}`

// §10 item 25 (reference §6.6): "Your sign-in was successful but does not
// meet the criteria to access this resource" is Conditional Access refusing
// the egress address. With named locations given, a check of Entra ID says
// whether that address is in a trusted one, as its own field and a
// warning; the verdict stays the network's.
func TestDNS25_ConditionalAccessNamedLocations(t *testing.T) {
	nl, err := engine.ParseNamedLocations("locations.json", []byte(namedLocationsJSON))
	if err != nil {
		t.Fatal(err)
	}
	if len(nl.Locations) != 2 || nl.Skipped != 1 || nl.Locations[0].Ranges[0].String() != "51.105.10.16/28" {
		t.Fatalf("named locations %+v", nl)
	}
	for _, tc := range []struct {
		name, natIP, status, location, reason string
	}{
		{"egress in a trusted location", "51.105.10.20", answer.CATrusted, "Corporate egress", "in trusted named location Corporate egress"},
		{"egress in a location not trusted", "51.105.20.7", answer.CAUntrusted, "", "does not meet the criteria to access this resource"},
		{"egress in no location", "20.1.2.3", answer.CAOutside, "", "in no named location of locations.json"},
		{"default outbound access", "", answer.CAUnknown, "", "default outbound access"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMLEstate(t)
			if tc.natIP != "" {
				m.natGateway("ng-compute", tc.natIP, m.computeSn)
			}
			eng := engine.NewWithOptions(m.snapshot(), nil, engine.Options{NamedLocations: nl})
			r := check(t, eng, engine.Query{From: computeSubnet, To: "login.microsoftonline.com"})
			wantVerdict(t, r, answer.Reachable)
			ca := r.ConditionalAccess
			if ca == nil || ca.Status != tc.status || ca.Location != tc.location {
				t.Fatalf("conditional access %+v, want %s %q", ca, tc.status, tc.location)
			}
			wantIn(t, "reason", ca.Reason, tc.reason)
			if warned := slices.Contains(r.Warnings, ca.Reason); warned == (tc.status == answer.CATrusted) {
				t.Errorf("warning %v for status %s", warned, tc.status)
			}
			other := check(t, eng, engine.Query{From: computeSubnet, To: "management.azure.com"})
			if other.ConditionalAccess != nil {
				t.Error("a check of ARM carries a Conditional Access answer")
			}
		})
	}
	_, err = engine.ParseNamedLocations("locations.json", []byte(`{"value": [{"@odata.type": "#microsoft.graph.ipNamedLocation", "ipRanges": [{"cidrAddress": "51.105.10.300/28"}]}]}`))
	var fe *engine.InputFileError
	if !errors.As(err, &fe) || fe.Path != "$.value[0].ipRanges[0].cidrAddress" {
		t.Errorf("error %v, want one naming the bad range", err)
	}
}

// §10 item 37 (reference §6.5): a workspace with a managed network runs
// its compute in a Microsoft-managed VNet no export holds: the profile says
// so, checks from the customer's subnets only what users need, and, in
// approved-only mode, checks what compute needs against the outbound rules,
// naming rules that are not active.
func TestDNS37_ManagedNetworkWorkspaces(t *testing.T) {
	active := func(name, tag, proto, ports string) topology.OutboundRule {
		return topology.OutboundRule{Name: name, Type: topology.OutboundServiceTag, Category: "Required", Status: "Active", ServiceTag: tag, Protocol: proto, PortRanges: ports, Action: "Allow"}
	}
	rules := []topology.OutboundRule{
		active("aad", "AzureActiveDirectory", "TCP", "80, 443"),
		active("aml", "AzureMachineLearning", "*", "443, 5831, 8787, 18881"),
		active("batch", "BatchNodeManagement", "TCP", "443"),
		active("storage", "Storage.westeurope", "TCP", "443"),
		{Name: "mcr", Type: topology.OutboundFQDN, Category: "UserDefined", Status: "Active", FQDN: "mcr.microsoft.com"},
		{Name: "blob", Type: topology.OutboundPrivateEndpoint, Category: "Required", Status: "Inactive", ServiceResourceID: rg + "Microsoft.Storage/storageAccounts/stws", SubresourceTarget: "blob"},
	}
	for _, tc := range []struct {
		name     string
		mode     string
		read     bool
		statuses map[string]string // destination+port → status
		warning  string
	}{
		{"approved only", topology.IsolationAllowOnlyApprovedOutbound, true, map[string]string{
			"login.microsoftonline.com 80":           answer.ManagedAllowed,
			"tag:AzureMachineLearning 5831":          answer.ManagedAllowed,
			"tag:BatchNodeManagement.westeurope 443": answer.ManagedAllowed,
			"mcr.microsoft.com 443":                  answer.ManagedAllowed,
			"tag:AzureMonitor 443":                   answer.ManagedMissing,
			"stws.blob.core.windows.net 443":         answer.ManagedMissing,
		}, "no active outbound rule allows"},
		{"approved only, rules not exported", topology.IsolationAllowOnlyApprovedOutbound, false, map[string]string{
			"tag:AzureMonitor 443": answer.ManagedUnknown,
		}, "outbound rules are not in the snapshot"},
		{"internet outbound", topology.IsolationAllowInternetOutbound, true, map[string]string{
			"tag:AzureMonitor 443":           answer.ManagedAllowed,
			"stws.blob.core.windows.net 443": answer.ManagedAllowed,
		}, "Microsoft-managed VNet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMLEstate(t)
			m.ws.StorageAccount = rg + "Microsoft.Storage/storageAccounts/stws"
			m.ws.ManagedNetwork, m.ws.OutboundRulesRead = tc.mode, tc.read
			if tc.read {
				m.ws.OutboundRules = rules
			}
			eng := m.engine()
			rep, err := eng.Profile(engine.ProfileOptions{From: []string{computeSubnet}})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rep.Results {
				if r.Destination == "tag:AzureMonitor" || r.Destination == "mcr.microsoft.com" {
					t.Errorf("%s is checked from the customer's subnet; the workspace's compute runs in its managed VNet", r.Destination)
				}
			}
			if !slices.ContainsFunc(rep.Results, func(r answer.Result) bool { return r.Destination == wsAPI }) {
				t.Error("the workspace API is not checked from the customer's subnet")
			}
			if len(rep.ManagedNetworks) != 1 {
				t.Fatalf("managed networks %+v", rep.ManagedNetworks)
			}
			mn := rep.ManagedNetworks[0]
			got := map[string]string{}
			for _, req := range mn.Required {
				got[req.Destination+" "+strconv.Itoa(req.Port)] = req.Status
			}
			for k, want := range tc.statuses {
				if got[k] != want {
					t.Errorf("%s: %q, want %q", k, got[k], want)
				}
			}
			wantIn(t, "warnings", strings.Join(rep.Warnings, "|"), tc.warning, "Microsoft-managed VNet")
			if tc.read {
				if len(mn.Rules) != 1 || mn.Rules[0].Name != "blob" {
					t.Errorf("rules not active %+v, want the inactive private endpoint rule", mn.Rules)
				}
				wantIn(t, "warnings", strings.Join(rep.Warnings, "|"), "private endpoint rule blob to stws (blob) is Inactive")
			}
			if tc.statuses["tag:AzureMonitor 443"] == answer.ManagedMissing {
				f := mn.Fixes[slices.IndexFunc(mn.Fixes, func(f answer.Fix) bool { return strings.Contains(f.Az, "--service-tag AzureMonitor") })]
				if f.Kind != answer.FixSetProperty || len(f.Patch) != 1 || !strings.Contains(f.Patch[0].Property, "outboundRules[") {
					t.Errorf("fix %+v: want a new outbound rule on the workspace", f)
				}
			}
		})
	}
}
