package engine

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/topology"
)

// Missing is not empty, in DNS (SPEC §2, reference §10 item 38): a lookup
// whose answer depends on what the snapshot lacks — a zone's record sets,
// the links a zone declares, a VNet whose zone links decide, a forwarding
// ruleset's outbound endpoint, a resolver endpoint's subnet — is unknown,
// never NXDOMAIN or a public answer built on the absence.

// missingDNS is the blocker of a resolution that depends on resources the
// snapshot lacks: what names them for the sentence ("... is not in the
// snapshot"), ids are their IDs, and the fix exports them.
func (e *Engine) missingDNS(what string, ids ...string) *answer.Blocker {
	b := &answer.Blocker{Verdict: answer.Unknown, Cause: answer.CauseMissingResource, Missing: ids,
		Data: map[string]string{"what": strings.TrimSuffix(what, ",")}, Fix: e.fixExportIDs(ids)}
	b.Resource = ids[0]
	return b
}

// fixExportIDs asks for resources the snapshot lacks, with the az command
// that exports each: the one the snapshot's missing list gives (a zone's
// record sets are listed per zone), else the command for its type.
func (e *Engine) fixExportIDs(ids []string) *answer.Fix {
	var az []string
	for _, id := range ids {
		cmd := ""
		if m, ok := e.snap.MissingByID(id); ok {
			cmd = m.Export
		}
		if cmd == "" {
			cmd = topology.ExportCommand(id)
		}
		if cmd == "" {
			cmd = "az resource show --ids " + id + " -o json"
		}
		az = append(az, cmd+" > "+armName(id)+".json")
	}
	return &answer.Fix{Resource: ids[0], Change: "export " + strings.Join(ids, ", "), Kind: answer.FixExport, Az: strings.Join(az, "\n")}
}

// missingZoneRecords is the blocker of a lookup in a zone that declares
// more record sets than the snapshot holds.
func (e *Engine) missingZoneRecords(z *topology.PrivateZone) *answer.Blocker {
	return e.missingDNS(fmt.Sprintf("part of zone %s's record sets (it declares %d, the snapshot holds %d)", z.Name, z.NumberOfRecordSets, z.RecordSetsHeld),
		z.ID+"/recordSets")
}

// unlinkedCandidate returns the blocker of a lookup in VNet v that a zone
// matching name, with a longer name than best (the linked zone that
// matched, if any), might answer: its declared virtual network links are
// not all in the snapshot, so it may be linked to v.
func (e *Engine) unlinkedCandidate(v *topology.VNet, best *topology.PrivateZone, name string) *answer.Blocker {
	labels := strings.Split(name, ".")
	for i := 0; i < len(labels)-1; i++ {
		zn := strings.Join(labels[i:], ".")
		if best != nil && len(zn) <= len(best.Name) {
			break
		}
		for _, id := range e.snap.ZonesNamed(zn) {
			z, ok := e.snap.PrivateZone(id)
			if !ok || z.LinksComplete() || e.linkOf(z, v) != nil {
				continue
			}
			return e.missingDNS(fmt.Sprintf("part of zone %s's virtual network links (it declares %d, the snapshot holds %d; one may link it to VNet %s)",
				z.Name, z.NumberOfVirtualNetworkLinks, len(z.Links), v.Name), z.ID+"/virtualNetworkLinks")
		}
	}
	return nil
}

// missingSpace returns the blocker for an address nothing in the snapshot
// owns that lies in the address space of a peered VNet the snapshot lacks:
// what holds it there is not known.
func (e *Engine) missingSpace(a netip.Addr) *answer.Blocker {
	for p := range e.snap.Peerings() {
		if _, ok := e.snap.VNet(p.RemoteVNet); ok {
			continue
		}
		for _, pf := range append(p.RemoteAddressSpace, p.RemoteVNetAddressSpace...) {
			if pf.Contains(a) {
				return e.missingDNS("VNet "+topology.NameOf(p.RemoteVNet)+", whose address space holds "+a.String()+",", p.RemoteVNet)
			}
		}
	}
	return nil
}

// missingResolverAt returns the blocker for a DNS server address that
// nothing in the snapshot owns but that lies in a subnet delegated to DNS
// resolvers while the snapshot lacks resolvers or their inbound endpoints:
// the endpoint that holds it was left out of the export, and what it
// answers is not known.
func (e *Engine) missingResolverAt(a netip.Addr) *answer.Blocker {
	var sn *topology.Subnet
	for _, s := range e.snap.SubnetsContaining(a) {
		if s.HasDelegation(topology.DelegationDNSResolvers) {
			sn = s
			break
		}
	}
	if sn == nil {
		return nil
	}
	var ids []string
	for _, m := range e.snap.Missing() {
		switch m.Type {
		case topology.TypeDNSResolver:
			ids = append(ids, m.ID)
		case topology.TypeInboundEndpoint:
			if r, ok := e.snap.DNSResolver(topology.Parent(m.ID)); !ok || topology.SameID(r.VNet, sn.VNet) {
				ids = append(ids, m.ID)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	return e.missingDNS(fmt.Sprintf("the DNS resolver inbound endpoint that holds DNS server %s (subnet %s is delegated to DNS resolvers),",
		a, topology.ShortName(sn.ID)), ids...)
}

// missingZoneFor returns the blocker for a name that a private DNS zone the
// snapshot lacks may answer: a zone named by a suffix of name (longer than
// the zone that answers, best) that zone links or record sets reference
// but that is not in the snapshot. Whether it is linked to the VNet, and
// what it holds, is not known.
func (e *Engine) missingZoneFor(best *topology.PrivateZone, name string) *answer.Blocker {
	ix := e.names()
	if len(ix.missingZones) == 0 {
		return nil
	}
	labels := strings.Split(name, ".")
	for i := 0; i < len(labels)-1; i++ {
		zn := strings.Join(labels[i:], ".")
		if best != nil && len(zn) <= len(best.Name) {
			break
		}
		if ids := ix.missingZones[zn]; len(ids) > 0 {
			return e.missingDNS("private DNS zone "+zn+", which may answer "+name+",", ids...)
		}
	}
	return nil
}

// missingEndpointOf returns the blocker for a workspace name that resolved
// publicly while a private endpoint the workspace connects to is not in
// the snapshot: the zones and records that endpoint needs, and so whether
// the public answer bypasses it, are not known. A workspace that allows
// public network access is reached publicly either way.
func (e *Engine) missingEndpointOf(name string, ws *topology.Workspace) *answer.Blocker {
	w := e.workspaceAsked(name, ws)
	if w == nil || strings.EqualFold(w.PublicNetworkAccess, topology.PublicAccessEnabled) {
		return nil
	}
	var ids []string
	for _, id := range w.PrivateEndpoints {
		if _, ok := e.snap.PrivateEndpoint(id); !ok {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	return e.missingDNS("private endpoint "+topology.NameOf(ids[0])+" of workspace "+w.Name+", which may serve "+name+",", ids...)
}
