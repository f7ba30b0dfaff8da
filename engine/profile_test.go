package engine_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/topology"
)

// WorkspaceFQDNs derives the names of reference §6.1 from the workspace ID,
// region and name: API, cert, notebooks in both forms (the first label cut
// to 63 characters) and the inference wildcard.
func TestWorkspaceFQDNs(t *testing.T) {
	const long = "Contoso-Machine-Learning-Workspace-For-Research"
	for _, tc := range []struct {
		name, wsName, location, id string
		want                       []string
	}{
		{"short name", "ws-contoso", "westeurope", wsGUID, []string{
			wsGUID + ".workspace.westeurope.api.azureml.ms",
			wsGUID + ".workspace.westeurope.cert.api.azureml.ms",
			"ml-ws-contoso-westeurope-" + wsGUID + ".westeurope.notebooks.azure.net",
			"ml-ws-contoso-westeurope-" + wsGUID + ".notebooks.azure.net",
			"*.westeurope.inference.ml.azure.com",
		}},
		{"display location and upper-case ID", "WS-Contoso", "West Europe", strings.ToUpper(wsGUID), []string{
			wsGUID + ".workspace.westeurope.api.azureml.ms",
			wsGUID + ".workspace.westeurope.cert.api.azureml.ms",
			"ml-ws-contoso-westeurope-" + wsGUID + ".westeurope.notebooks.azure.net",
			"ml-ws-contoso-westeurope-" + wsGUID + ".notebooks.azure.net",
			"*.westeurope.inference.ml.azure.com",
		}},
		{"long name", long, "westeurope", wsGUID, []string{
			wsGUID + ".workspace.westeurope.api.azureml.ms",
			wsGUID + ".workspace.westeurope.cert.api.azureml.ms",
			"ml-contoso-mach-westeurope-" + wsGUID + ".westeurope.notebooks.azure.net",
			"ml-contoso-mach-westeurope-" + wsGUID + ".notebooks.azure.net",
			"*.westeurope.inference.ml.azure.com",
		}},
		{"no workspace ID", "ws", "westeurope", "", nil},
		{"no location", "ws", "", wsGUID, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := &topology.Workspace{Meta: topology.Meta{Name: tc.wsName}, Location: tc.location, WorkspaceID: tc.id}
			var got []string
			for _, f := range engine.WorkspaceFQDNs(w) {
				got = append(got, f.FQDN)
				if f.Purpose == "" {
					t.Errorf("%s has no purpose", f.FQDN)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
			for _, f := range got {
				if first, _, _ := strings.Cut(f, "."); len(first) > 63 {
					t.Errorf("%s: first label is %d characters", f, len(first))
				}
			}
		})
	}
}

// profileKey names a profile entry for comparisons.
func profileKey(p engine.ProfileEntry) string {
	return fmt.Sprintf("%s %s/%d", p.To, p.Protocol, p.Port)
}

// MLProfile lists what a workspace's clients and compute must reach
// (SPEC §4, reference §6.2 and §6.3).
func TestMLProfile(t *testing.T) {
	m := newMLEstate(t)
	eng := m.engine()
	ws, _ := eng.Snapshot().Workspace(m.ws.ID)
	prof := eng.MLProfile(ws)
	var keys []string
	for _, p := range prof {
		k := profileKey(p)
		if slices.Contains(keys, k) {
			t.Errorf("%s listed twice", k)
		}
		keys = append(keys, k)
		if p.Purpose == "" {
			t.Errorf("%s has no purpose", k)
		}
	}
	for _, want := range []string{
		"login.microsoftonline.com tcp/443",
		"management.azure.com tcp/443",
		wsAPI + " tcp/443",
		wsGUID + ".workspace.westeurope.cert.api.azureml.ms tcp/443",
		wsNotebook + " tcp/443",
		"tag:AzureMachineLearning tcp/443",
		"tag:AzureMachineLearning udp/5831",
		"tag:AzureMachineLearning tcp/8787",
		"tag:AzureMachineLearning tcp/18881",
		"tag:BatchNodeManagement.westeurope tcp/443",
		"tag:Storage.westeurope tcp/443",
		"tag:MicrosoftContainerRegistry tcp/443",
		"tag:AzureFrontDoor.FirstParty tcp/443",
		"tag:AzureFrontDoor.Frontend tcp/443",
		"tag:AzureMonitor tcp/443",
	} {
		if !slices.Contains(keys, want) {
			t.Errorf("profile lacks %s; it has\n  %s", want, strings.Join(keys, "\n  "))
		}
	}
	purpose := func(key string) string {
		for _, p := range prof {
			if profileKey(p) == key {
				return p.Purpose
			}
		}
		return ""
	}
	wantIn(t, "purpose", purpose("login.microsoftonline.com tcp/443"), "Entra")
	wantIn(t, "purpose", purpose("management.azure.com tcp/443"), "Resource Manager")
	wantIn(t, "purpose", purpose("tag:AzureMachineLearning udp/5831"), "compute instance")
	wantIn(t, "purpose", purpose("tag:AzureMachineLearning tcp/8787"), "RStudio")
	wantIn(t, "purpose", purpose("tag:AzureMachineLearning tcp/18881"), "IntelliSense")
	wantIn(t, "purpose", purpose("tag:BatchNodeManagement.westeurope tcp/443"), "Batch")
}

// The profile names the notebooks FQDN in the form the private endpoint
// lists, the older form without the region label when only that one is.
func TestMLProfileNotebooksForm(t *testing.T) {
	older := "ml-ws-contoso-westeurope-" + wsGUID + ".notebooks.azure.net"
	m := newMLEstate(t)
	m.pes = nil
	m.nics = slices.DeleteFunc(m.nics, func(n *topology.NIC) bool { return n.PrivateEndpoint != "" })
	m.privateEndpoint("pe-ws", m.peSn, m.ws.ID, "amlworkspace", wsAPI, wsPEIP, older, "10.1.2.6")
	eng := m.engine()
	ws, _ := eng.Snapshot().Workspace(m.ws.ID)
	var tos []string
	for _, p := range eng.MLProfile(ws) {
		tos = append(tos, p.To)
	}
	if !slices.Contains(tos, older) || slices.Contains(tos, wsNotebook) {
		t.Errorf("profile %v: want the older notebooks form %s only", tos, older)
	}
}

// ProfileQueries asks every profile entry of every workspace from every
// workload subnet: not the platform subnets, not a subnet delegated to DNS
// resolvers, not a subnet that holds only private endpoints.
func TestProfileQueries(t *testing.T) {
	m := newMLEstate(t)
	for _, name := range []string{topology.SubnetGateway, topology.SubnetBastion, topology.SubnetFirewallManagement, topology.SubnetRouteServer} {
		m.subnet(m.hub, name, map[string]string{
			topology.SubnetGateway:            "10.0.255.0/27",
			topology.SubnetBastion:            "10.0.254.0/26",
			topology.SubnetFirewallManagement: "10.0.253.0/26",
			topology.SubnetRouteServer:        "10.0.252.0/27",
		}[name])
	}
	mixed := m.subnet(m.ml, "snet-mixed", "10.1.3.0/24")
	m.privateEndpoint("pe-other", mixed, rg+"Microsoft.Storage/storageAccounts/stother", "blob", "stother.blob.core.windows.net", "10.1.3.5")
	m.nic("vm-mixed", mixed, "10.1.3.4")
	eng := m.engine()

	var names []string
	for _, sn := range eng.WorkloadSubnets() {
		names = append(names, topology.ShortName(sn.ID))
	}
	want := []string{"hub/snet-hub", "spoke-app/snet-app", "spoke-ml/snet-compute", "spoke-ml/snet-mixed"}
	slices.Sort(names)
	if !slices.Equal(names, want) {
		t.Errorf("workload subnets %v, want %v", names, want)
	}

	ws, _ := eng.Snapshot().Workspace(m.ws.ID)
	prof := eng.MLProfile(ws)
	qs, err := eng.ProfileQueries(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != len(want)*len(prof) {
		t.Fatalf("%d queries, want %d subnets × %d entries", len(qs), len(want), len(prof))
	}
	for _, q := range qs {
		if !topology.SameID(q.Workspace, m.ws.ID) || q.Purpose == "" || q.Port == 0 || q.Protocol == "" {
			t.Errorf("query %+v lacks its workspace, purpose, port or protocol", q)
		}
		if sn, ok := eng.Snapshot().Subnet(q.From); !ok || !slices.Contains(want, topology.ShortName(sn.ID)) {
			t.Errorf("query from %s, which is not a workload subnet", q.From)
		}
	}

	qs, err = eng.ProfileQueries([]string{appSubnet})
	if err != nil || len(qs) != len(prof) {
		t.Fatalf("ProfileQueries([%s]): %d queries, %v; want %d", appSubnet, len(qs), err, len(prof))
	}
	rep, err := eng.Run(qs)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rep.Results {
		checkInvariants(t, eng, r)
		if r.Destination != qs[i].To || r.Purpose != qs[i].Purpose || r.Workspace != qs[i].Workspace {
			t.Errorf("result %d answers %s (%s), query asked %s (%s)", i, r.Destination, r.Purpose, qs[i].To, qs[i].Purpose)
		}
	}
	if g := rep.Groups(); len(g) != 1 || len(g[0].Results) != len(prof) {
		t.Errorf("groups %+v, want one group of %d", g, len(prof))
	}
}

func TestProfileQueriesWithoutWorkspace(t *testing.T) {
	_, err := newHubSpoke(t).engine().ProfileQueries(nil)
	if !errors.Is(err, engine.ErrNoWorkspace) {
		t.Errorf("error %v, want ErrNoWorkspace", err)
	}
}
