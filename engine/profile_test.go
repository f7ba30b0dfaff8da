package engine_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/servicetags"
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
	k := fmt.Sprintf("%s %s/%d", p.To, p.Protocol, p.Port)
	if p.FQDN != "" && p.FQDN != p.To {
		k += " " + p.FQDN
	}
	return k
}

// §10 item 37 (reference §6.2, §6.3): the profile lists what a workspace's
// clients and compute must reach, each endpoint with its FQDN where the
// documentation names one, its service tag, its port, its purpose and the
// documentation it follows.
func TestDNS37_MLProfileFollowsTheDocumentation(t *testing.T) {
	m := newMLEstate(t)
	m.ws.StorageAccount = rg + "Microsoft.Storage/storageAccounts/stws"
	eng := m.engine()
	ws, _ := eng.Snapshot().Workspace(m.ws.ID)
	prof := eng.MLProfile(ws)
	byKey := map[string]engine.ProfileEntry{}
	for _, p := range prof {
		k := profileKey(p)
		if _, dup := byKey[k]; dup {
			t.Errorf("%s listed twice", k)
		}
		byKey[k] = p
		if p.Purpose == "" || p.Reference == "" || !strings.Contains(p.Reference, "reference §") {
			t.Errorf("%s: purpose %q, reference %q: want both, the reference citing its section", k, p.Purpose, p.Reference)
		}
	}
	for _, want := range []struct{ key, tag, purpose string }{
		{"login.microsoftonline.com tcp/443", "AzureActiveDirectory", "Entra"},
		{"login.microsoftonline.com tcp/80", "AzureActiveDirectory", "Entra"},
		{"management.azure.com tcp/443", "AzureResourceManager", "Resource Manager"},
		{"graph.microsoft.com tcp/443", "AzureActiveDirectory", "Graph"},
		{wsAPI + " tcp/443", "AzureMachineLearning", "workspace API"},
		{wsGUID + ".workspace.westeurope.cert.api.azureml.ms tcp/443", "AzureMachineLearning", "cert"},
		{wsNotebook + " tcp/443", "AzureMachineLearning", "notebooks"},
		{"endpoint.westeurope.inference.ml.azure.com tcp/443", "AzureMachineLearning", "online endpoints"},
		{"tag:AzureMachineLearning tcp/443 *.azureml.ms", "AzureMachineLearning", "Azure ML"},
		{"tag:AzureMachineLearning udp/5831 westeurope.tundra.azureml.ms", "AzureMachineLearning", "compute instance"},
		{"tag:AzureMachineLearning tcp/8787 *.instances.azureml.ms", "AzureMachineLearning", "RStudio"},
		{"tag:AzureMachineLearning tcp/18881 *.instances.azureml.ms", "AzureMachineLearning", "IntelliSense"},
		{"tag:BatchNodeManagement.westeurope tcp/443 *.westeurope.batch.azure.com", "BatchNodeManagement.westeurope", "Batch"},
		{"tag:Storage.westeurope tcp/443 *.blob.core.windows.net", "Storage.westeurope", "Storage"},
		{"tag:Storage.westeurope tcp/443 *.queue.core.windows.net", "Storage.westeurope", "queues"},
		{"tag:Storage.westeurope tcp/443 *.table.core.windows.net", "Storage.westeurope", "tables"},
		{"mcr.microsoft.com tcp/443", "MicrosoftContainerRegistry", "container images"},
		{"tag:AzureFrontDoor.FirstParty tcp/443 *.data.mcr.microsoft.com", "AzureFrontDoor.FirstParty", "image data"},
		{"tag:AzureMonitor tcp/443", "AzureMonitor", "metrics"},
		{"ml.azure.com tcp/443", "AzureFrontDoor.Frontend", "studio"},
		{"stws.blob.core.windows.net tcp/443", "Storage.westeurope", "storage account"},
		{"stws.file.core.windows.net tcp/443", "Storage.westeurope", "file share"},
		{"stws.dfs.core.windows.net tcp/443", "Storage.westeurope", "Data Lake"},
	} {
		p, ok := byKey[want.key]
		if !ok {
			t.Errorf("profile lacks %s", want.key)
			continue
		}
		if p.Tag != want.tag {
			t.Errorf("%s: tag %q, want %q", want.key, p.Tag, want.tag)
		}
		wantIn(t, want.key+" purpose", p.Purpose, want.purpose)
	}
	if !byKey[wsAPI+" tcp/443"].Reverse {
		t.Error("the workspace API entry does not ask for the reverse lookups of the private endpoint")
	}
	wantIn(t, "reference", byKey["tag:AzureMonitor tcp/443"].Reference, "how-to-access-azureml-behind-firewall", "§6.3")
}

// §10 item 37: behind Azure Firewall, compute reaches most dependencies by
// FQDN over HTTPS, so an application rule for the FQDN allows an entry as
// well as a network rule for its tag; routes and NSGs see the tag.
func TestDNS37_FirewallSeesTheEntrysFQDN(t *testing.T) {
	q := engine.Query{From: computeSubnet, To: "tag:AzureFrontDoor.FirstParty", FQDN: "*.data.mcr.microsoft.com", Tag: "AzureFrontDoor.FirstParty", Port: 443}
	for _, tc := range []struct {
		name string
		coll []topology.RuleCollection
		want answer.Verdict
	}{
		{"application rule for the FQDN", []topology.RuleCollection{appColl("mcr", 200, "Allow", "10.1.0.0/16", "*.data.mcr.microsoft.com")}, answer.Reachable},
		{"application rule for a wider wildcard", []topology.RuleCollection{appColl("mcr", 200, "Allow", "10.1.0.0/16", "*.mcr.microsoft.com")}, answer.Reachable},
		{"application rule for one data endpoint only", []topology.RuleCollection{appColl("mcr", 200, "Allow", "10.1.0.0/16", "westeurope.data.mcr.microsoft.com")}, answer.DeniedByFirewall},
		{"network rule for the tag", []topology.RuleCollection{netColl("afd", 100, "Allow", "TCP", "10.1.0.0/16", "AzureFrontDoor.FirstParty", "443")}, answer.Reachable},
		{"no rule", nil, answer.DeniedByFirewall},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMLEstate(t)
			m.fw.RuleCollections = tc.coll
			m.routeTable("rt-compute", on(m.computeSn), udr("default-to-fw", "0.0.0.0/0", "VirtualAppliance", fwIP))
			r := check(t, m.engine(), q)
			wantVerdict(t, r, tc.want)
			if r.FQDN != q.FQDN || r.ServiceTag != "AzureFrontDoor.FirstParty" || !hasHop(r, "azureFirewall", "fw-hub") {
				t.Errorf("fqdn %q tag %q: the answer does not carry both, or missed the firewall\n%s", r.FQDN, r.ServiceTag, describe(r))
			}
		})
	}
}

// A profile asks a source for one flow under several names (the Storage
// tag for blobs, queues and tables). The shared path walks such a flow once
// and replays it for the other names while no firewall compares the name:
// behind a network rule for the tag the second answer reuses the first's
// hops; behind an application rule for one name only, the other name is
// denied whichever is asked first, as the per-pair path answers.
func TestOneFlowUnderSeveralNames(t *testing.T) {
	const tag = "AzureFrontDoor.FirstParty"
	ask := func(fqdn string) engine.Query {
		return engine.Query{From: computeSubnet, To: "tag:" + tag, FQDN: fqdn, Tag: tag, Port: 443}
	}
	allowed, other := "westeurope.data.mcr.microsoft.com", "login.example.com"
	for _, tc := range []struct {
		name   string
		coll   topology.RuleCollection
		names  []string
		want   []answer.Verdict
		shared bool // the later answers replay the first's walk
	}{
		{"network rule for the tag", netColl("afd", 100, "Allow", "TCP", "10.1.0.0/16", tag, "443"),
			[]string{allowed, other, allowed}, []answer.Verdict{answer.Reachable, answer.Reachable, answer.Reachable}, true},
		{"application rule, allowed name first", appColl("mcr", 200, "Allow", "10.1.0.0/16", allowed),
			[]string{allowed, other, allowed}, []answer.Verdict{answer.Reachable, answer.DeniedByFirewall, answer.Reachable}, false},
		{"application rule, other name first", appColl("mcr", 200, "Allow", "10.1.0.0/16", allowed),
			[]string{other, allowed, other}, []answer.Verdict{answer.DeniedByFirewall, answer.Reachable, answer.DeniedByFirewall}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMLEstate(t)
			m.fw.RuleCollections = []topology.RuleCollection{tc.coll}
			m.routeTable("rt-compute", on(m.computeSn), udr("default-to-fw", "0.0.0.0/0", "VirtualAppliance", fwIP))
			snap := m.snapshot()
			eng := engine.New(snap, m.catalog)
			perPair := engine.NewWithOptions(snap, m.catalog, engine.Options{PerPair: true})
			var first engine.Result
			for i, name := range tc.names {
				r := check(t, eng, ask(name))
				want := check(t, perPair, ask(name))
				if r.Verdict != tc.want[i] || r.FQDN != name || describe(r) != describe(want) {
					t.Fatalf("check %d (%s): shared path answers\n%s\nper-pair path answers\n%s", i, name, describe(r), describe(want))
				}
				if i == 0 {
					first = r
					continue
				}
				if same := len(r.Hops) > 0 && &r.Hops[0] == &first.Hops[0]; same != tc.shared {
					t.Errorf("check %d (%s) reuses the first check's hops: %v, want %v", i, name, same, tc.shared)
				}
			}
		})
	}
}

// ProfileQueries asks every profile entry of every workspace from every
// workload subnet: not the platform subnets, not a subnet delegated to DNS
// resolvers, not a subnet that holds only private endpoints. Every source
// here is in the private endpoint's VNet or a peered one, so each also
// gets the VirtualNetwork entry (reference §6.3).
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
	if len(qs) != len(want)*(len(prof)+1) {
		t.Fatalf("%d queries, want %d subnets × (%d entries + the VirtualNetwork entry)", len(qs), len(want), len(prof))
	}
	for _, q := range qs {
		if !topology.SameID(q.Workspace, m.ws.ID) || q.Purpose == "" || q.Port == 0 || q.Protocol == "" {
			t.Errorf("query %+v lacks its workspace, purpose, port or protocol", q)
		}
		if sn, ok := eng.Snapshot().Subnet(q.From); !ok || !slices.Contains(want, topology.ShortName(sn.ID)) {
			t.Errorf("query from %s, which is not a workload subnet", q.From)
		}
		if q.Tag == servicetags.VirtualNetwork && q.To != "10.1.2.5,10.1.2.6" {
			t.Errorf("VirtualNetwork entry to %s, want the workspace's private endpoint addresses (not pe-other's)", q.To)
		}
	}

	qs, err = eng.ProfileQueries([]string{appSubnet})
	if err != nil || len(qs) != len(prof)+1 {
		t.Fatalf("ProfileQueries([%s]): %d queries, %v; want %d", appSubnet, len(qs), err, len(prof)+1)
	}
	rep, err := eng.Run(qs)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rep.Results {
		checkInvariants(t, eng, r)
		if r.Destination != qs[i].To || r.Purpose != qs[i].Purpose || r.Workspace != qs[i].Workspace || r.Reference != qs[i].Reference {
			t.Errorf("result %d answers %s (%s), query asked %s (%s)", i, r.Destination, r.Purpose, qs[i].To, qs[i].Purpose)
		}
	}
	if g := rep.Groups(); len(g) != 1 || len(g[0].Results) != len(prof)+1 {
		t.Errorf("groups %+v, want one group of %d", g, len(prof)+1)
	}
}

// What several workspaces share (Entra ID, ARM, the service tags) is
// checked once per source and attached to every workspace that needs it;
// each workspace's own names, the inference name included, are checked
// for it alone.
func TestProfileSharedEntriesAreCheckedOnce(t *testing.T) {
	const guid2 = "9a8b7c6d-1111-2222-3333-444455556666"
	m := newMLEstate(t)
	ws2 := m.workspace("ws-two", guid2, "westeurope", topology.PublicAccessDisabled)
	eng := m.engine()
	w1, _ := eng.Snapshot().Workspace(m.ws.ID)
	w2, _ := eng.Snapshot().Workspace(ws2.ID)
	p1, p2 := eng.MLProfile(w1), eng.MLProfile(w2)
	own := 0
	for _, p := range p1 {
		if p.Own {
			own++
		}
	}
	qs, err := eng.ProfileQueries([]string{computeSubnet})
	if err != nil {
		t.Fatal(err)
	}
	// ws-two has no private endpoint: no VirtualNetwork entry of its own.
	if want := len(p1) + 1 + own; len(qs) != want || len(p2) != len(p1) {
		t.Fatalf("%d queries, want %d: %d shared entries once, %d own names per workspace and one VirtualNetwork entry", len(qs), want, len(p1)-own, own)
	}
	shared := 0
	for _, q := range qs {
		switch {
		case len(q.Workspaces) == 2:
			shared++
			if q.Workspace != m.ws.ID || q.Workspaces[1] != ws2.ID {
				t.Errorf("%s: workspaces %v, want the first as Workspace", q.To, q.Workspaces)
			}
		case len(q.Workspaces) != 1 || q.Workspaces[0] != q.Workspace:
			t.Errorf("%s: workspace %s, workspaces %v", q.To, q.Workspace, q.Workspaces)
		}
	}
	if shared != len(p1)-own {
		t.Errorf("%d shared queries, want %d", shared, len(p1)-own)
	}
	rep, err := eng.Run(qs)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range rep.Groups() {
		if n := len(g.Results); n < len(p1) {
			t.Errorf("group of %s holds %d results, want the whole profile (%d)", topology.NameOf(g.Workspace), n, len(p1))
		}
	}
}

// §10 item 37: SMB to storage (TCP 445) is needed when a firewall sits
// between compute and storage: Profile adds it for sources whose path to
// the region's storage passes an Azure Firewall, and for no other.
func TestDNS37_SMBWhenAFirewallSitsBetweenComputeAndStorage(t *testing.T) {
	m := newMLEstate(t)
	m.ws.StorageAccount = rg + "Microsoft.Storage/storageAccounts/stws"
	m.fw.RuleCollections = []topology.RuleCollection{netColl("storage", 100, "Allow", "TCP", "10.0.0.0/8", "Storage.westeurope", "443")}
	m.routeTable("rt-compute", on(m.computeSn), udr("default-to-fw", "0.0.0.0/0", "VirtualAppliance", fwIP))
	rep, err := m.engine().Profile(engine.ProfileOptions{From: []string{computeSubnet, appSubnet}})
	if err != nil {
		t.Fatal(err)
	}
	smb := map[string][]string{}
	for _, r := range rep.Results {
		if r.Port == 445 {
			smb[topology.ShortName(r.Source)] = append(smb[topology.ShortName(r.Source)], r.Destination+" "+string(r.Verdict))
		}
	}
	want := []string{"tag:Storage.westeurope denied-by-firewall", "stws.file.core.windows.net denied-by-firewall"}
	if !slices.Equal(smb[computeSubnet], want) || len(smb) != 1 {
		t.Errorf("SMB checks %v, want %v from %s only", smb, want, computeSubnet)
	}
	if rep.Profile == nil || rep.Profile.Source != answer.ProfileBuiltIn || !strings.Contains(rep.Profile.Text, "how-to-access-azureml-behind-firewall") {
		t.Errorf("profile source %+v does not name the documentation", rep.Profile)
	}
}

// §10 item 36: the profile reports, per source VNet, whether each address
// of the workspace's private endpoint reverse-resolves, as a warning on
// the group, never as a failed endpoint.
func TestDNS36_ProfileReverseLookups(t *testing.T) {
	m := newMLEstate(t)
	z := m.zone("1.10.in-addr.arpa", m.ml)
	ptrRec(z, "5.2", wsAPI)
	rep, err := m.engine().Profile(engine.ProfileOptions{From: []string{computeSubnet, appSubnet}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Results {
		if r.Destination != wsAPI {
			if len(r.ReverseLookups) > 0 {
				t.Errorf("%s carries reverse lookups", r.Destination)
			}
			continue
		}
		got := map[string]string{}
		for _, rl := range r.ReverseLookups {
			got[rl.Address] = rl.Rcode
			if rl.Rcode != engine.NoError && (rl.Fix == nil || rl.Reason == "") {
				t.Errorf("%s from %s: %s without a reason and a fix", rl.Address, r.Source, rl.Rcode)
			}
		}
		switch topology.ShortName(r.Source) {
		case computeSubnet:
			if got[wsPEIP] != engine.NoError || got["10.1.2.6"] != engine.NXDomain {
				t.Errorf("from %s: %v, want %s answered by the linked reverse zone and 10.1.2.6 not", computeSubnet, got, wsPEIP)
			}
			wantIn(t, "warnings", strings.Join(r.Warnings, "|"), "1 of the 2 private endpoint addresses", "10.1.2.6", "add the PTR record 6.2")
		case appSubnet:
			if got[wsPEIP] != engine.NXDomain {
				t.Errorf("from %s: %v, want NXDOMAIN: the reverse zone is not linked to spoke-app", appSubnet, got)
			}
			wantIn(t, "warnings", strings.Join(r.Warnings, "|"), "link reverse zone 1.10.in-addr.arpa to VNet spoke-app")
		}
	}
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

func TestProfileQueriesWithoutWorkspace(t *testing.T) {
	_, err := newHubSpoke(t).engine().ProfileQueries(nil)
	if !errors.Is(err, engine.ErrNoWorkspace) {
		t.Errorf("error %v, want ErrNoWorkspace", err)
	}
}
