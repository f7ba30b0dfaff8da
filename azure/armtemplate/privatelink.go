package armtemplate

import (
	"fmt"
	"net/netip"
	"strings"
)

// A private endpoint takes one address per name group of its target
// sub-resource (reference §5.1, §5.3, §6.1): a storage blob endpoint one,
// a container registry two (the registry and its regional data endpoint),
// an Azure ML workspace three (API and cert, notebooks, inference).

// peSlot is one address of a private endpoint and the names it serves.
type peSlot struct {
	group   string
	member  string
	names   []peName
	unnamed string // why the names served on it are not known, or ""
}

// peName is one FQDN a private endpoint serves and the record a DNS zone
// group writes for it.
type peName struct {
	fqdn   string
	zone   string // privatelink zone
	record string // relative record name in zone
}

var storageGroups = map[string]bool{"blob": true, "file": true, "queue": true, "table": true, "dfs": true}

// slotsFor returns the slots of one group of a private link connection to
// target; region is the target's region ("" when unknown).
func slotsFor(group, target, region string) []peSlot {
	name := strings.ToLower(lastSegment(target))
	g := strings.ToLower(group)
	base, secondary := strings.CutSuffix(g, "_secondary")
	switch {
	case storageGroups[base]:
		acct := name
		if secondary {
			acct += "-secondary"
		}
		zone := "privatelink." + base + ".core.windows.net"
		return []peSlot{{group: group, member: group, names: []peName{{fqdn: acct + "." + base + ".core.windows.net", zone: zone, record: acct}}}}
	case g == "vault":
		return []peSlot{{group: group, member: "default", names: []peName{{fqdn: name + ".vault.azure.net", zone: "privatelink.vaultcore.azure.net", record: name}}}}
	case g == "sqlserver":
		return []peSlot{{group: group, member: group, names: []peName{{fqdn: name + ".database.windows.net", zone: "privatelink.database.windows.net", record: name}}}}
	case g == "sites":
		return []peSlot{{group: group, member: group, names: []peName{
			{fqdn: name + ".azurewebsites.net", zone: "privatelink.azurewebsites.net", record: name},
			{fqdn: name + ".scm.azurewebsites.net", zone: "privatelink.azurewebsites.net", record: name + ".scm"},
		}}}
	case g == "registry":
		reg := peSlot{group: group, member: "registry", names: []peName{{fqdn: name + ".azurecr.io", zone: "privatelink.azurecr.io", record: name}}}
		data := peSlot{group: group, member: "registry_data_" + region}
		if region != "" {
			data.names = []peName{{fqdn: name + "." + region + ".data.azurecr.io", zone: "privatelink.azurecr.io", record: name + "." + region + ".data"}}
		} else {
			data.member = "registry_data"
			data.unnamed = fmt.Sprintf("the data endpoint name of registry %s depends on its region, which the template does not give", name)
		}
		return []peSlot{reg, data}
	case g == "amlworkspace":
		why := fmt.Sprintf("the names served by the private endpoint of workspace %s are made of its workspaceId, which Azure assigns when the workspace is created", name)
		return []peSlot{
			{group: group, member: "default", unnamed: why},
			{group: group, member: "notebook", unnamed: why},
			{group: group, member: "inference", unnamed: why},
		}
	}
	return []peSlot{{group: group, member: group, unnamed: fmt.Sprintf("vnetpath does not know the names a private endpoint of group %q serves", group)}}
}

func lastSegment(id string) string {
	id = strings.TrimRight(id, "/")
	return id[strings.LastIndex(id, "/")+1:]
}

// peSlots lists the slots of a private endpoint's connections, without
// regions (enough to count its addresses).
func peSlots(props *object) []peSlot { return endpointSlots(nil, props) }

// endpointSlots lists the slots of a private endpoint's connections; ev,
// when not nil, finds the region of targets the template creates.
func endpointSlots(ev *evaluator, props *object) []peSlot {
	var out []peSlot
	for _, key := range []string{"privateLinkServiceConnections", "manualPrivateLinkServiceConnections"} {
		for _, conn := range list(props, key) {
			p, _ := mustGet(conn, "properties").(*object)
			if p == nil {
				continue
			}
			target, _ := mustGet(p, "privateLinkServiceId").(string)
			region := ""
			if ev != nil {
				if t, ok := ev.byID[strings.ToLower(strings.TrimRight(target, "/"))]; ok {
					if body, err := t.evaluate(); err == nil {
						region, _ = mustGet(body, "location").(string)
						region = strings.ToLower(strings.ReplaceAll(region, " ", ""))
					}
				}
			}
			groups, _ := mustGet(p, "groupIds").([]any)
			if len(groups) == 0 {
				out = append(out, peSlot{member: "default", unnamed: "the connection names no group"})
			}
			for _, g := range groups {
				gs, _ := g.(string)
				out = append(out, slotsFor(gs, target, region)...)
			}
		}
	}
	return out
}

// endpointInfo is what the prediction of a private endpoint leaves for its
// DNS zone groups.
type endpointInfo struct {
	slots []peSlot
	addrs []netip.Addr
	why   string // why the addresses are unknown
}

// predictEndpoint writes the predicted addresses of a private endpoint into
// its ipConfigurations and customDnsConfigs, and marks its auto-approved
// connections Approved.
func (ev *evaluator) predictEndpoint(in *instance, props *object, addrs []netip.Addr, why string) {
	slots := endpointSlots(ev, props)
	in.endpoint = &endpointInfo{slots: slots, addrs: addrs, why: why}
	if why != "" {
		props.set("ipConfigurations", &unknown{reason: why})
		return
	}
	var ipcs, dns []any
	for i, sl := range slots {
		if i >= len(addrs) {
			break
		}
		p := newObject()
		p.set("groupId", sl.group)
		p.set("memberName", sl.member)
		p.set("privateIPAddress", addrs[i].String())
		ic := newObject()
		ic.set("name", fmt.Sprintf("%s-%s", sl.group, sl.member))
		ic.set("properties", p)
		ipcs = append(ipcs, ic)
		for _, n := range sl.names {
			d := newObject()
			d.set("fqdn", n.fqdn)
			d.set("ipAddresses", []any{addrs[i].String()})
			dns = append(dns, d)
		}
	}
	props.set("ipConfigurations", ipcs)
	if len(dns) > 0 {
		props.set("customDnsConfigs", dns)
	}
	for _, key := range []string{"privateLinkServiceConnections", "manualPrivateLinkServiceConnections"} {
		for _, conn := range list(props, key) {
			p, _ := mustGet(conn, "properties").(*object)
			if p == nil {
				continue
			}
			if _, ok := p.get("privateLinkServiceConnectionState"); ok {
				continue
			}
			st := newObject()
			if key == "privateLinkServiceConnections" {
				st.set("status", "Approved")
				st.set("description", "Auto-Approved")
				name, _ := mustGet(conn, "name").(string)
				in.assumptions = append(in.assumptions, fmt.Sprintf("connection %q is taken as Approved: Azure approves a private link connection automatically when the deploying identity may approve connections to its target", name))
			} else {
				st.set("status", "Pending")
			}
			p.set("privateLinkServiceConnectionState", st)
		}
	}
}
