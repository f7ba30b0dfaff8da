package engine

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/servicetags"
	"github.com/vnetpath/vnetpath/topology"
)

// WorkspaceFQDN is a name an Azure ML workspace serves, with what it is for.
type WorkspaceFQDN struct {
	FQDN    string
	Purpose string
}

// WorkspaceFQDNs derives the names of an Azure ML workspace in the public
// cloud (reference §6.1): the workspace API, its cert name, the notebooks
// name in both forms (with and without the region label; the workspace name
// is truncated so the first label fits 63 characters) and the inference
// wildcard of managed online endpoints. A workspace without a workspaceId
// has none.
func WorkspaceFQDNs(w *topology.Workspace) []WorkspaceFQDN {
	id := strings.ToLower(strings.TrimSpace(w.WorkspaceID))
	region := regionOf(w)
	if id == "" || region == "" {
		return nil
	}
	return []WorkspaceFQDN{
		{fmt.Sprintf("%s.workspace.%s.api.azureml.ms", id, region), "Azure ML workspace API"},
		{fmt.Sprintf("%s.workspace.%s.cert.api.azureml.ms", id, region), "Azure ML workspace API (cert)"},
		{fmt.Sprintf("%s.%s.notebooks.azure.net", notebooksLabel(w.Name, region, id), region), "Azure ML notebooks"},
		{fmt.Sprintf("%s.notebooks.azure.net", notebooksLabel(w.Name, region, id)), "Azure ML notebooks (older name form)"},
		{fmt.Sprintf("*.%s.inference.ml.azure.com", region), "Azure ML managed online endpoints"},
	}
}

// storageAccountName is the lower-case name of a workspace's storage
// account, or "" when the workspace does not name one.
func storageAccountName(w *topology.Workspace) string {
	if !strings.Contains(strings.ToLower(w.StorageAccount), "/microsoft.storage/storageaccounts/") {
		return ""
	}
	return strings.ToLower(topology.NameOf(w.StorageAccount))
}

// regionOf is the workspace's region as names spell it ("westeurope").
func regionOf(w *topology.Workspace) string {
	return strings.ToLower(strings.ReplaceAll(w.Location, " ", ""))
}

// notebooksLabel is "ml-<name>-<region>-<guid>", the workspace name cut so
// the label is at most 63 characters.
func notebooksLabel(name, region, id string) string {
	name = strings.ToLower(name)
	room := 63 - len("ml-") - len(region) - len(id) - 2
	if room < 0 {
		room = 0
	}
	if len(name) > room {
		name = name[:room]
	}
	return "ml-" + name + "-" + region + "-" + id
}

// The documentation the built-in profile follows.
const (
	docFirewallURL   = "https://learn.microsoft.com/azure/machine-learning/how-to-access-azureml-behind-firewall"
	docFirewall      = "Microsoft Learn, Configure inbound and outbound network traffic (Azure Machine Learning), " + docFirewallURL + ", 2026-03-19"
	refFirewall      = docFirewallURL + " (reference §6.3)"
	refCustomDNS     = "https://learn.microsoft.com/azure/machine-learning/how-to-custom-dns (reference §6.1)"
	refPrivateLink   = "https://learn.microsoft.com/azure/machine-learning/how-to-configure-private-link (reference §6.2)"
	refManaged       = "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network (reference §6.5)"
	refDependencies  = "the workspace's outboundNetworkDependenciesEndpoints"
	purposeVNet      = "private endpoints of the workspace and its storage, key vault and registry in this VNet or a peered one (service tag VirtualNetwork)"
	purposeSMB       = "Azure Files over SMB, needed when a firewall sits between compute and storage"
	smbPort          = 445
	virtualNetworkTo = "tag:" + servicetags.VirtualNetwork
)

// ProfileEntry is one endpoint an Azure ML workspace needs to be reachable
// from its clients and compute: what is walked (To), the name a firewall's
// application rules see (FQDN, possibly a wildcard, where the
// documentation names one), the service tag whose prefixes routes and NSGs
// see (Tag), the port, what it is for and the documentation it follows.
type ProfileEntry struct {
	To        string // an FQDN, "tag:NAME", or a comma-separated list of addresses
	FQDN      string
	Tag       string
	Protocol  Protocol
	Port      int
	Purpose   string
	Reference string
	// Compute is set for what the workspace's compute needs (rather than
	// its users): for a workspace whose compute runs in a managed VNet,
	// such entries are checked against its outbound rules, not from the
	// customer's subnets.
	Compute bool
	// Own is set for the workspace's own names, whose answer depends on
	// which workspace asks (the inference name of online endpoints is the
	// same for every workspace of a region).
	Own bool
	// Reverse asks, with this entry, for the reverse lookups of the
	// workspace's private endpoint addresses (reference §10 item 36).
	Reverse bool
}

// MLProfile returns what clients and compute of workspace w must reach
// (SPEC §4, reference §6.2, §6.3 and §10 item 37): Entra ID and ARM (which
// the private endpoint does not cover), the workspace's own names, and what
// compute needs — by default the table of Microsoft's "Configure inbound
// and outbound network traffic" page, where compute reaches most
// dependencies by FQDN over HTTPS (so an application rule for the FQDN
// allows them as well as a network rule for the tag); with
// Options.MLDependencies, the workspace's own list instead. The notebooks
// name is the form its private endpoint lists, else the regional form.
// Entries that depend on the source (the VirtualNetwork entry, SMB behind a
// firewall) are added by [Engine.ProfileQueries] and [Engine.Profile].
func (e *Engine) MLProfile(w *topology.Workspace) []ProfileEntry {
	region := regionOf(w)
	out := []ProfileEntry{
		{To: "login.microsoftonline.com", FQDN: "login.microsoftonline.com", Tag: "AzureActiveDirectory", Protocol: TCP, Port: 443, Purpose: "Entra ID sign-in", Reference: refPrivateLink},
		{To: "management.azure.com", FQDN: "management.azure.com", Tag: "AzureResourceManager", Protocol: TCP, Port: 443, Purpose: "Azure Resource Manager (workspace and compute management)", Reference: refPrivateLink},
	}
	fq := WorkspaceFQDNs(w)
	if len(fq) >= 5 {
		own := func(f WorkspaceFQDN, purpose string) ProfileEntry {
			return ProfileEntry{To: f.FQDN, FQDN: f.FQDN, Tag: "AzureMachineLearning", Protocol: TCP, Port: 443, Purpose: purpose, Reference: refCustomDNS, Own: true}
		}
		api := own(fq[0], fq[0].Purpose)
		api.Reverse = true
		nb := fq[2]
		if _, ok := e.endpointFor(fq[3].FQDN); ok {
			if _, ok2 := e.endpointFor(fq[2].FQDN); !ok2 {
				nb = fq[3]
			}
		}
		inf := own(WorkspaceFQDN{"endpoint." + region + ".inference.ml.azure.com", ""}, fq[4].Purpose+" ("+fq[4].FQDN+")")
		out = append(out, api, own(fq[1], fq[1].Purpose), own(nb, nb.Purpose), inf)
	}
	if deps := e.opts.MLDependencies; deps != nil {
		return appendEntries(out, e.dependencyEntries(deps, region))
	}
	compute := []ProfileEntry{
		{To: "login.microsoftonline.com", FQDN: "login.microsoftonline.com", Tag: "AzureActiveDirectory", Protocol: TCP, Port: 80, Purpose: "Entra ID sign-in (HTTP)"},
		{To: "graph.microsoft.com", FQDN: "graph.microsoft.com", Tag: "AzureActiveDirectory", Protocol: TCP, Port: 443, Purpose: "Microsoft Graph (compute and notebooks)"},
		{To: "tag:AzureMachineLearning", FQDN: "*.azureml.ms", Tag: "AzureMachineLearning", Protocol: TCP, Port: 443, Purpose: "Azure ML service"},
		{To: "tag:AzureMachineLearning", FQDN: region + ".tundra.azureml.ms", Tag: "AzureMachineLearning", Protocol: UDP, Port: 5831, Purpose: "Azure ML compute instance create, update and delete"},
		{To: "tag:AzureMachineLearning", FQDN: "*.instances.azureml.ms", Tag: "AzureMachineLearning", Protocol: TCP, Port: 8787, Purpose: "RStudio on compute instances"},
		{To: "tag:AzureMachineLearning", FQDN: "*.instances.azureml.ms", Tag: "AzureMachineLearning", Protocol: TCP, Port: 18881, Purpose: "notebook IntelliSense on compute instances"},
		{To: "tag:BatchNodeManagement." + region, FQDN: "*." + region + ".batch.azure.com", Tag: "BatchNodeManagement." + region, Protocol: TCP, Port: 443, Purpose: "Azure Batch backend of compute instances and clusters"},
		{To: "tag:Storage." + region, FQDN: "*.blob.core.windows.net", Tag: "Storage." + region, Protocol: TCP, Port: 443, Purpose: "Azure Storage of the region: Batch and Microsoft-managed blobs"},
		{To: "tag:Storage." + region, FQDN: "*.queue.core.windows.net", Tag: "Storage." + region, Protocol: TCP, Port: 443, Purpose: "Azure Storage of the region: Microsoft-managed queues"},
		{To: "tag:Storage." + region, FQDN: "*.table.core.windows.net", Tag: "Storage." + region, Protocol: TCP, Port: 443, Purpose: "Azure Storage of the region: Microsoft-managed tables"},
		{To: "mcr.microsoft.com", FQDN: "mcr.microsoft.com", Tag: "MicrosoftContainerRegistry", Protocol: TCP, Port: 443, Purpose: "Microsoft container images"},
		{To: "tag:AzureFrontDoor.FirstParty", FQDN: "*.data.mcr.microsoft.com", Tag: "AzureFrontDoor.FirstParty", Protocol: TCP, Port: 443, Purpose: "Microsoft container image data"},
		{To: "tag:AzureMonitor", Tag: "AzureMonitor", Protocol: TCP, Port: 443, Purpose: "metrics, logs and diagnostics"},
	}
	for i := range compute {
		compute[i].Compute, compute[i].Reference = true, refFirewall
	}
	out = append(out, compute...)
	out = append(out, ProfileEntry{To: "ml.azure.com", FQDN: "ml.azure.com", Tag: "AzureFrontDoor.Frontend", Protocol: TCP, Port: 443, Purpose: "Azure ML studio (and AutoML assets)", Reference: refFirewall})
	// The workspace's own storage account, by name (reference §6.3):
	// default datastores and the file share of notebooks.
	if acct := storageAccountName(w); acct != "" {
		for _, svc := range []struct{ sub, purpose string }{
			{"blob", "the workspace's storage account (blob)"},
			{"file", "the workspace's storage account (file share)"},
			{"dfs", "the workspace's storage account (Data Lake)"},
		} {
			name := acct + "." + svc.sub + ".core.windows.net"
			out = append(out, ProfileEntry{To: name, FQDN: name, Tag: "Storage." + region, Protocol: TCP, Port: 443, Purpose: svc.purpose, Reference: refFirewall, Compute: true, Own: true})
		}
	}
	return out
}

// appendEntries appends entries not already in out (same destination,
// protocol and port).
func appendEntries(out, more []ProfileEntry) []ProfileEntry {
	for _, m := range more {
		if !slices.ContainsFunc(out, func(x ProfileEntry) bool {
			return x.To == m.To && x.Protocol == m.Protocol && x.Port == m.Port && x.FQDN == m.FQDN
		}) {
			out = append(out, m)
		}
	}
	return out
}

// dependencyEntries turns a workspace's own list of dependencies into
// profile entries: a name vnetpath can walk (one it maps to a service tag,
// or a private endpoint serves) is checked on each port it lists (443 when
// none); a wildcard is walked as its tag, with the wildcard as the FQDN
// firewalls see. Names vnetpath cannot place are left out and named by
// [Engine.Profile].
func (e *Engine) dependencyEntries(deps *MLDependencies, region string) []ProfileEntry {
	var out []ProfileEntry
	for _, c := range deps.Categories {
		for _, ep := range c.Endpoints {
			to, tag, ok := e.placeDomain(ep.Domain)
			if !ok {
				continue
			}
			ports := ep.Ports
			if len(ports) == 0 {
				ports = []int{443}
			}
			for _, p := range ports {
				out = append(out, ProfileEntry{To: to, FQDN: ep.Domain, Tag: tag, Protocol: TCP, Port: p, Purpose: c.Category,
					Reference: refDependencies + " (" + deps.File + ")", Compute: true})
			}
		}
	}
	return out
}

// placeDomain says how a dependency's domain is walked: by its name (a
// concrete name vnetpath maps to a tag or a private endpoint serves) or by
// its tag (a wildcard). ok is false for a name vnetpath cannot place
// offline.
func (e *Engine) placeDomain(domain string) (to, tag string, ok bool) {
	if t, found := servicetags.TagForFQDN(domain); found {
		tag = t.Tag
	}
	if strings.HasPrefix(domain, "*") {
		if tag == "" {
			return "", "", false
		}
		return "tag:" + tag, tag, true
	}
	if tag != "" || e.hasPrivateEndpointFor(domain) || e.workspaceOf(domain) != nil {
		return domain, tag, true
	}
	return "", "", false
}

// unplaced lists the domains of a dependency list that vnetpath cannot
// walk: no service tag is known for them and no private endpoint serves
// them.
func (e *Engine) unplaced(deps *MLDependencies) []string {
	var out []string
	for _, c := range deps.Categories {
		for _, ep := range c.Endpoints {
			if _, _, ok := e.placeDomain(ep.Domain); !ok && !slices.Contains(out, ep.Domain) {
				out = append(out, ep.Domain)
			}
		}
	}
	return out
}

// managed reports whether a workspace's compute runs in a Microsoft-managed
// VNet (reference §6.5).
func managed(w *topology.Workspace) bool {
	return w.ManagedNetwork == topology.IsolationAllowInternetOutbound || w.ManagedNetwork == topology.IsolationAllowOnlyApprovedOutbound
}

// ProfileQueries returns the Azure ML profile checks of every workspace for
// each source (SPEC §4: `check` without --to). With no sources it uses
// every workload subnet. Each distinct check (source, destination,
// protocol, port) is asked once, for every workspace that needs it
// (Query.Workspaces); a workspace's own names are asked per workspace. For
// a workspace whose compute runs in a managed VNet, only what its users
// need is asked from the sources. Sources in a VNet that holds, or is
// peered with, private endpoints of the workspace or of its storage, key
// vault or registry get the VirtualNetwork entry: those addresses on TCP
// 443 (reference §6.3). The checks come source by source, each source's
// for every workspace in turn.
func (e *Engine) ProfileQueries(from []string) ([]Query, error) {
	p, err := e.profiles()
	if err != nil {
		return nil, err
	}
	if len(from) == 0 {
		for _, sn := range e.WorkloadSubnets() {
			from = append(from, sn.ID)
		}
	}
	return e.profileQueries(p, from), nil
}

// workspaceProfiles are the snapshot's workspaces and the profile of
// each, what ProfileQueries asks of every source.
type workspaceProfiles struct {
	ws      []*topology.Workspace
	entries [][]ProfileEntry // entries[i] is the profile of ws[i]
	per     int              // checks per source, at most
}

// profiles returns the workspaces and their profiles, or ErrNoWorkspace.
func (e *Engine) profiles() (workspaceProfiles, error) {
	var p workspaceProfiles
	for w := range e.snap.Workspaces() {
		p.ws = append(p.ws, w)
	}
	if len(p.ws) == 0 {
		return p, ErrNoWorkspace
	}
	p.entries = make([][]ProfileEntry, len(p.ws))
	for i, w := range p.ws {
		p.entries[i] = e.MLProfile(w)
		p.per += len(p.entries[i]) + 1
	}
	return p, nil
}

// profileQueries is ProfileQueries for the sources from, given the
// workspaces' profiles.
func (e *Engine) profileQueries(p workspaceProfiles, from []string) []Query {
	type key struct {
		to, fqdn string
		proto    Protocol
		port     int
		ws       string
	}
	ws, entries, per := p.ws, p.entries, p.per
	// A query repeats only within a source's: the index is one source's,
	// emptied for the next.
	index := make(map[key]int, per)
	out := make([]Query, 0, len(from)*per)
	add := func(f string, w *topology.Workspace, en ProfileEntry) {
		k := key{en.To, en.FQDN, en.Protocol, en.Port, ""}
		if en.Own {
			k.ws = w.ID
		}
		if i, ok := index[k]; ok {
			if !slices.Contains(out[i].Workspaces, w.ID) {
				out[i].Workspaces = append(out[i].Workspaces, w.ID)
			}
			out[i].ReverseLookup = out[i].ReverseLookup || en.Reverse
			return
		}
		index[k] = len(out)
		// An entry no workspace owns is asked once for all of them: room
		// for each, so that adding them does not grow the list.
		room := len(ws)
		if en.Own {
			room = 1
		}
		names := make([]string, 1, room)
		names[0] = w.ID
		out = append(out, Query{From: f, To: en.To, FQDN: en.FQDN, Tag: en.Tag, Protocol: en.Protocol, Port: en.Port, Purpose: en.Purpose,
			Reference: en.Reference, Workspace: w.ID, Workspaces: names, ReverseLookup: en.Reverse})
	}
	// Source by source, so that a run meets each source's VNet in one
	// stretch of queries (RunEach frees what it memoised per stretch of
	// VNets).
	for _, f := range from {
		clear(index)
		for i, w := range ws {
			for _, en := range entries[i] {
				if en.Compute && managed(w) {
					continue
				}
				add(f, w, en)
			}
			if managed(w) {
				continue
			}
			if en, ok := e.vnetEntry(f, w); ok {
				add(f, w, en)
			}
		}
	}
	return out
}

// vnetEntry is the VirtualNetwork entry of workspace w for source from: the
// private endpoints of the workspace and of its associated resources in
// the source's VNet or a VNet peered with it, on TCP 443.
func (e *Engine) vnetEntry(from string, w *topology.Workspace) (ProfileEntry, bool) {
	src, err := e.ResolveSource(from)
	if err != nil {
		return ProfileEntry{}, false
	}
	vnets := map[string]bool{topology.Key(src.Subnet.VNet): true}
	for remote := range e.peerings[topology.Key(src.Subnet.VNet)] {
		vnets[remote] = true
	}
	targets := []string{w.ID, w.StorageAccount, w.KeyVault, w.ContainerRegistry}
	var addrs []netip.Addr
	for vk := range vnets {
		for _, pa := range e.peByVNet[vk] {
			if slices.ContainsFunc(pa.pe.Connections, func(c topology.PEConnection) bool {
				return slices.ContainsFunc(targets, func(t string) bool { return t != "" && topology.SameID(t, c.Target) })
			}) {
				addrs = append(addrs, pa.addr)
			}
		}
	}
	if len(addrs) == 0 {
		return ProfileEntry{}, false
	}
	slices.SortFunc(addrs, netip.Addr.Compare)
	addrs = slices.Compact(addrs)
	list := make([]string, len(addrs))
	for i, a := range addrs {
		list[i] = a.String()
	}
	return ProfileEntry{To: strings.Join(list, ","), Tag: servicetags.VirtualNetwork, Protocol: TCP, Port: 443, Purpose: purposeVNet, Reference: refFirewall, Compute: true}, true
}

// ProfileOptions are the choices of [Engine.Profile].
type ProfileOptions struct {
	From     []string // sources; none: every workload subnet
	Port     int      // when not 0, every entry is checked on this port instead of its own
	Protocol Protocol // when not "", every entry is checked over this protocol instead of its own
}

// Profile answers the Azure ML profile of every workspace (SPEC §4: `check`
// without --to): the checks of [Engine.ProfileQueries]; then, for sources
// whose path to the region's storage passes an Azure Firewall, SMB (TCP
// 445) to the region's storage and the workspace's file share (reference
// §6.3); the reverse lookups of the workspaces' private endpoint
// addresses (§10 item 36); and, for workspaces whose compute runs in a
// managed VNet, what their outbound rules allow (§6.5, §10 item 37). The
// report says which list of endpoints it checked (Report.Profile).
func (e *Engine) Profile(opts ProfileOptions) (*Report, error) {
	var rep *Report
	warnings, err := e.ProfileEach(opts, func(r *Report) error {
		rep, r.Results = r, []Result{}
		return nil
	}, func(r Result) error {
		rep.Results = append(rep.Results, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	rep.Warnings = warnings
	return rep, nil
}

// profileSource says which list of endpoints the profile checks.
func (e *Engine) profileSource() *answer.ProfileSource {
	if deps := e.opts.MLDependencies; deps != nil {
		return &answer.ProfileSource{Source: answer.ProfileFile, File: deps.File, Document: "the workspace's outboundNetworkDependenciesEndpoints answer (" + deps.File + ")",
			Text: "the Azure ML profile checks Entra ID, ARM, the workspace's own names and the dependencies listed in " + deps.File + " (outboundNetworkDependenciesEndpoints)"}
	}
	return &answer.ProfileSource{Source: answer.ProfileBuiltIn, Document: docFirewall,
		Text: "the Azure ML profile checks Entra ID, ARM, the workspace's own names and what compute needs as listed by " + docFirewall + " (reference §6.3)"}
}

// ProfileFollowUps returns the checks of the Azure ML profile that depend
// on the answers of [Engine.ProfileQueries]: for each source and workspace
// whose check of the region's storage went through an Azure Firewall, SMB
// (TCP 445) to the region's storage and to the workspace's file share
// (reference §6.3). [Engine.Profile] runs them after the others; a caller
// that runs ProfileQueries itself runs them too, with the same port and
// protocol it gave the others only when it gave none.
func (e *Engine) ProfileFollowUps(results []Result) []Query {
	f := e.newFollowUps()
	for i := range results {
		f.add(&results[i])
	}
	return f.out
}

// followUps gathers [Engine.ProfileFollowUps]'s checks one result at a
// time.
type followUps struct {
	e      *Engine
	out    []Query
	index  map[followUpKey]int
	shares map[*topology.Workspace]fileShare // of each workspace met
}

// fileShare names a workspace's file share: its host name ("" when the
// workspace names no storage account) and the Storage tag of its region.
type fileShare struct{ name, tag string }

func (e *Engine) newFollowUps() *followUps {
	return &followUps{e: e, index: map[followUpKey]int{}, shares: map[*topology.Workspace]fileShare{}}
}

func (f *followUps) add(r *Result) {
	if r.Port != 443 || !strings.HasPrefix(r.ServiceTag, "Storage.") || !passesFirewall(r) {
		return
	}
	for _, wid := range r.Workspaces {
		w, ok := f.e.snap.Workspace(wid)
		if !ok {
			continue
		}
		f.query(Query{From: r.Source, To: "tag:" + r.ServiceTag, FQDN: "*.file.core.windows.net", Tag: r.ServiceTag, Protocol: TCP, Port: smbPort,
			Purpose: purposeSMB, Reference: refFirewall}, wid)
		fs, ok := f.shares[w]
		if !ok {
			if acct := storageAccountName(w); acct != "" {
				fs = fileShare{name: acct + ".file.core.windows.net", tag: "Storage." + regionOf(w)}
			}
			f.shares[w] = fs
		}
		if fs.name != "" {
			f.query(Query{From: r.Source, To: fs.name, FQDN: fs.name, Tag: fs.tag, Protocol: TCP, Port: smbPort,
				Purpose: "the workspace's file share over SMB (a firewall sits between compute and storage)", Reference: refFirewall}, wid)
		}
	}
}

// followUpKey names a follow-up check: its source, destination and name.
type followUpKey struct{ from, to, fqdn string }

func (f *followUps) query(q Query, wid string) {
	k := followUpKey{q.From, q.To, q.FQDN}
	if i, ok := f.index[k]; ok {
		if !slices.Contains(f.out[i].Workspaces, wid) {
			f.out[i].Workspaces = append(f.out[i].Workspaces, wid)
		}
		return
	}
	f.index[k] = len(f.out)
	q.Workspace, q.Workspaces = wid, []string{wid}
	f.out = append(f.out, q)
}

// ProfileEach answers the Azure ML profile as [Engine.Profile] does, but
// hands each result to fn instead of holding them all, in the order of
// Profile's report, as [Engine.RunEach] hands them out. Before the first
// result, head gets the report without results and warnings: the
// snapshot's and the catalog's summaries, the profile's source and the
// managed networks. ProfileEach returns the report's warnings, those
// Profile's report holds. An error from head or fn stops it and is
// returned.
func (e *Engine) ProfileEach(opts ProfileOptions, head func(*Report) error, fn func(Result) error) ([]string, error) {
	from := opts.From
	if len(from) == 0 {
		for _, sn := range e.WorkloadSubnets() {
			from = append(from, sn.ID)
		}
	}
	override := func(qs []Query) {
		for i := range qs {
			if opts.Port != 0 {
				qs[i].Port = opts.Port
			}
			if opts.Protocol != "" {
				qs[i].Protocol = opts.Protocol
			}
		}
	}
	more := e.newFollowUps()
	var last []string
	warnings := &warningList{seen: map[string]bool{}}
	run := func(eng *Engine, qs []Query, follow bool) error {
		ws, err := eng.runEach(qs, func(_ int, r Result) error {
			if follow && opts.Port == 0 {
				more.add(&r)
			}
			return fn(r)
		})
		warnings.add(ws)
		return err
	}
	// The checks are made and answered a stretch of sources at a time, so
	// that an estate's million checks are not all held at once; answers
	// and warnings come in the order of one run over all of them.
	chunk := profileChunk
	if e.profileChunk > 0 {
		chunk = e.profileChunk
	}
	// The workspaces' profiles are the same for every stretch.
	p, err := e.profiles()
	if err != nil {
		return nil, err
	}
	ends := e.stretches(from, chunk)
	queriesOf := func(k int) []Query {
		start := 0
		if k > 0 {
			start = ends[k-1]
		}
		qs := e.profileQueries(p, from[start:ends[k]])
		override(qs)
		return qs
	}
	// The next stretch's checks are made while this one's are answered:
	// made between stretches, they kept all cores but one idle.
	var next chan []Query
	for k := range ends {
		var qs []Query
		if next != nil {
			qs = <-next
		} else {
			qs = queriesOf(k)
		}
		next = nil
		if k+1 < len(ends) {
			next = make(chan []Query, 1) // never blocks, so an error below leaves no goroutine behind
			go func(ch chan<- []Query) { ch <- queriesOf(k + 1) }(next)
		}
		if k == 0 {
			if last, err = e.profileHead(head); err != nil {
				return nil, err
			}
		}
		// Each stretch is a segment of RunEach (see stretches): when there
		// are several, each gets a fresh engine, as RunEach's segments do.
		eng := e
		if len(ends) > 1 {
			eng = e.fresh()
		}
		if err := run(eng, qs, true); err != nil {
			return nil, err
		}
	}
	if len(more.out) > 0 {
		override(more.out)
		if err := run(e, more.out, false); err != nil {
			return nil, err
		}
	}
	return e.groupWarnings(append(warnings.list, last...)), nil
}

// profileHead hands head the report without results: the summaries, the
// profile's source and the managed networks. It returns the warnings that
// come after the results': the dependencies a workspace's own list names
// that were not checked, and the managed networks'.
func (e *Engine) profileHead(head func(*Report) error) ([]string, error) {
	rep := e.NewReport()
	rep.Profile = e.profileSource()
	var last []string
	if deps := e.opts.MLDependencies; deps != nil {
		if un := e.unplaced(deps); len(un) > 0 {
			last = append(last, fmt.Sprintf("%d domains of %s were not checked: vnetpath knows no service tag for them and no private endpoint serves them, and it does not resolve public names: %s",
				len(un), deps.File, strings.Join(un, ", ")))
		}
	}
	for w := range e.snap.Workspaces() {
		if managed(w) {
			mn := e.managedNetwork(w)
			rep.ManagedNetworks = append(rep.ManagedNetworks, mn)
			last = append(last, managedWarnings(w, mn)...)
		}
	}
	return last, head(rep)
}

// profileChunk is how many sources' checks [Engine.ProfileEach] makes and
// answers at a time, at most.
const profileChunk = 1024

// stretches cuts sources, in order, into stretches of at most n sources
// whose subnets lie in at most Options.MemoVNets VNets, and returns the
// end of each; one stretch when there are no sources. A stretch is then
// a single segment of [Engine.RunEach]: cut by sources alone, a stretch
// of 1,024 sources in 263 VNets was answered as a segment of 256 VNets
// and one of 7, each on a fresh engine that built again what every
// source shares (the hub's forwarding state, the service tags' sets).
func (e *Engine) stretches(sources []string, n int) []int {
	var ends []int
	start := 0
	vnets := map[string]bool{}
	for i, id := range sources {
		v := ""
		if src, err := e.ResolveSource(id); err == nil {
			v = topology.Key(src.Subnet.VNet)
		}
		full := i-start >= n || e.opts.MemoVNets > 0 && len(vnets) >= e.opts.MemoVNets && !vnets[v]
		if full {
			ends = append(ends, i)
			start = i
			clear(vnets)
		}
		vnets[v] = true
	}
	return append(ends, len(sources))
}

// passesFirewall reports whether a result's path (or the path once its
// blockers are lifted) goes through an Azure Firewall.
func passesFirewall(r *Result) bool {
	isFirewall := func(h answer.Hop) bool { return h.Kind == answer.HopAzureFirewall }
	return slices.ContainsFunc(r.Hops, isFirewall) || slices.ContainsFunc(r.Then, isFirewall)
}
