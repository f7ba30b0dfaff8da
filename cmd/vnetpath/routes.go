package main

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/internal/suggest"
	"github.com/vnetpath/vnetpath/render"
	"github.com/vnetpath/vnetpath/topology"
)

func routesCommand() *command {
	return &command{
		name:     "routes",
		summary:  "effective routes of a subnet or NIC, as Azure lists them",
		synopsis: "(--snapshot PATH | --template FILE | --plan FILE ...) (--subnet SUBNET | --nic NIC | --ip IP) [flags]",
		about: `Prints the effective routes of a subnet, in the shape of Azure's
effective-route API (az network nic show-effective-route-table): system,
peering, private-endpoint, gateway, service-endpoint and user routes, each
Active or Invalid as Azure selects them.

SUBNET is VNET/SUBNET, RESOURCEGROUP/VNET/SUBNET or an ARM ID. NIC is a
network interface's name or ARM ID, and IP an address in a subnet: both give
the routes of the subnet the NIC or address is in, which the output names.`,
		examples: [][2]string{
			{"a subnet's routes", "vnetpath routes --snapshot examples/contoso --subnet vnet-spoke-ml/snet-train"},
			{"a VM's NIC, as JSON", "vnetpath routes --snapshot examples/contoso --nic nic-vm-web-01 -o json"},
			{"a subnet's routes once a deployment template is deployed",
				"vnetpath routes --snapshot examples/contoso --template examples/contoso-changes/default-route.json \\\n" +
					"      --parameters examples/contoso-changes/default-route.parameters.json \\\n" +
					"      --subscription 11111111-2222-3333-4444-555555555555 --resource-group rg-spoke-ml --subnet vnet-spoke-ml/snet-train"},
			{"routes written with service tags, expanded", "vnetpath routes --snapshot snap/ --service-tags ServiceTags_Public_20251028.json --subnet rg-net/vnet-hub/snet-shared"},
		},
		exit: "0 when the routes are printed, 2 for usage or input errors.",
		run:  runRoutes,
	}
}

func runRoutes(c *command, args []string, e env) int {
	fs := newFlagSet(c, e)
	var in inputs
	in.register(fs, true)
	subnet := fs.String("subnet", "", "`SUBNET`: VNET/SUBNET, RG/VNET/SUBNET or an ARM ID")
	nic := fs.String("nic", "", "`NIC`: a network interface's name or ARM ID")
	ip := fs.String("ip", "", "`IP`: an address in a subnet (of a NIC, when one holds it)")
	format := fs.format("text", "text", "json")
	pos, rc := fs.parse(args)
	if rc >= 0 {
		return rc
	}
	if len(pos) > 0 {
		return fs.usageError("unexpected argument %q", pos[0])
	}
	given := 0
	for _, s := range []string{*subnet, *nic, *ip} {
		if s != "" {
			given++
		}
	}
	if given != 1 {
		return fs.usageError("give one of --subnet, --nic or --ip")
	}
	var addr netip.Addr
	if *ip != "" {
		a, err := netip.ParseAddr(strings.TrimSpace(*ip))
		if err != nil {
			return fs.usageError("--ip %q: not an IP address", *ip)
		}
		addr = a.Unmap()
	}
	if err := in.check(); err != nil {
		return fs.usageError("%v", err)
	}
	eng, warnings, err := in.load(e.stdin)
	if err != nil {
		return fail(e.stderr, c.name, err)
	}
	var out answer.RouteTable
	out.Address = *ip
	target := *subnet
	switch {
	case *nic != "":
		n, err := findNIC(eng.Snapshot(), *nic)
		if err != nil {
			return fail(e.stderr, c.name, err)
		}
		out.NIC = n.ID
		var notes []string
		target, notes = nicSubnet(n)
		if target == "" {
			return fail(e.stderr, c.name, &engine.InputError{Arg: "nic", Value: *nic, Msg: "the NIC is in no subnet"})
		}
		warnings = append(warnings, notes...)
	case addr.IsValid():
		src, err := eng.ResolveSource(addr.String())
		if ie := (*engine.InputError)(nil); errors.As(err, &ie) {
			ie2 := *ie
			ie2.Arg, ie2.Value = "ip", *ip
			return fail(e.stderr, c.name, &ie2)
		} else if err != nil {
			return fail(e.stderr, c.name, err)
		}
		target = src.Subnet.ID
		if src.NIC != nil {
			out.NIC = src.NIC.ID
		} else {
			warnings = append(warnings, fmt.Sprintf("no NIC in the snapshot holds %s: these are the routes of the subnet that contains it", addr))
		}
	}
	t, err := eng.EffectiveRoutes(target)
	if err != nil {
		return fail(e.stderr, c.name, err)
	}
	t.Warnings = uniqueStrings(append(warnings, t.Warnings...))
	t.NIC, t.Address = out.NIC, out.Address
	if format.value == "json" {
		err = render.RoutesJSON(e.stdout, t)
	} else {
		err = render.RoutesText(e.stdout, t)
	}
	if err != nil {
		return fail(e.stderr, c.name, err)
	}
	return exitOK
}

// findNIC finds the NIC ref names: an ARM ID or a name (any case).
func findNIC(snap *topology.Snapshot, ref string) (*topology.NIC, error) {
	ref = strings.TrimSpace(ref)
	if n, ok := snap.NIC(ref); ok {
		return n, nil
	}
	var found []*topology.NIC
	var names []string
	for n := range snap.NICs() {
		if strings.EqualFold(n.Name, ref) {
			found = append(found, n)
		}
		names = append(names, n.Name)
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, &engine.InputError{Arg: "nic", Value: ref, Msg: "no NIC of the snapshot has this name or ID",
			Candidates: suggest.Closest(ref, names, 5)}
	}
	ids := make([]string, len(found))
	for i, n := range found {
		ids[i] = n.ID
	}
	return nil, &engine.InputError{Arg: "nic", Value: ref, Msg: "several NICs have this name; give the ARM ID", Candidates: ids}
}

// nicSubnet returns the subnet of a NIC's primary IP configuration (or its
// first), and a note when its configurations are in several subnets.
func nicSubnet(n *topology.NIC) (string, []string) {
	var subnets []string
	primary := ""
	for _, c := range n.IPConfigs {
		if c.Subnet == "" {
			continue
		}
		if primary == "" || c.Primary {
			primary = c.Subnet
		}
		if !slices.ContainsFunc(subnets, func(s string) bool { return topology.SameID(s, c.Subnet) }) {
			subnets = append(subnets, c.Subnet)
		}
	}
	if len(subnets) > 1 {
		return primary, []string{fmt.Sprintf("NIC %s has IP configurations in %d subnets; these are the routes of its primary configuration's subnet %s",
			n.Name, len(subnets), topology.ShortName(primary))}
	}
	return primary, nil
}
