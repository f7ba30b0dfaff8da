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
