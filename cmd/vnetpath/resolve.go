package main

import (
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/render"
)

func resolveCommand() *command {
	return &command{
		name:     "resolve",
		summary:  "what a name resolves to from a VNet, through which resolver and zone",
		synopsis: "(--snapshot PATH | --template FILE | --plan FILE ...) --from VNET|SUBNET --name FQDN|IP [flags]",
		about: `Resolves a name the way a client in the VNet would: its DNS servers, DNS
Private Resolver forwarding rules, private DNS zones linked to the VNet and
public CNAMEs to privatelink names. Prints the resolver, each step, the
addresses and the zone that answered; when a private endpoint serves the
name but the answer is public, which zone is missing from which VNet. An IP
address asks for its reverse name (PTR), as dig -x does: in-addr.arpa and
ip6.arpa zones linked to the VNet, else Azure-provided names of VMs.

VNET is a VNet's name or ARM ID; SUBNET is VNET/SUBNET,
RESOURCEGROUP/VNET/SUBNET or an ARM ID.`,
		examples: [][2]string{
			{"the workspace API name from a spoke that cannot resolve it privately",
				"vnetpath resolve --snapshot examples/contoso --from vnet-spoke-app --name 8b0f6c1e-5a4d-4e2b-9c3f-2d1e0a9b8c7d.workspace.westeurope.api.azureml.ms"},
			{"the same from a spoke that uses the hub's resolver, as JSON",
				"vnetpath resolve --snapshot examples/contoso --from vnet-spoke-ml/snet-train --name 8b0f6c1e-5a4d-4e2b-9c3f-2d1e0a9b8c7d.workspace.westeurope.api.azureml.ms -o json"},
			{"the same once a plan that unlinks the zone is applied",
				"vnetpath resolve --snapshot examples/contoso --plan examples/contoso-changes/unlink-api-zone.plan.json --from vnet-spoke-ml --name 8b0f6c1e-5a4d-4e2b-9c3f-2d1e0a9b8c7d.workspace.westeurope.api.azureml.ms"},
			{"the reverse name of the workspace's private endpoint", "vnetpath resolve --snapshot examples/contoso --from vnet-spoke-ml --name 10.110.2.4"},
		},
		exit: "0 when the name resolves, 1 when it does not (NXDOMAIN, SERVFAIL), depends on what\n" +
			"the snapshot lacks (UNKNOWN) or resolves publicly although a private endpoint serves it,\n" +
			"2 for usage or input errors.",
		run: runResolve,
	}
}

func runResolve(c *command, args []string, e env) int {
	fs := newFlagSet(c, e)
	var in inputs
	in.register(fs, false)
	from := fs.String("from", "", "the `VNET` or SUBNET the query comes from: a VNet's name, VNET/SUBNET, RG/VNET/SUBNET or an ARM ID")
	name := fs.String("name", "", "the `FQDN` to resolve, or an IP address for its reverse name (PTR)")
	format := fs.format("text", "text", "json")
	pos, rc := fs.parse(args)
	if rc >= 0 {
		return rc
	}
	if len(pos) > 0 {
		return fs.usageError("unexpected argument %q", pos[0])
	}
	switch {
	case *from == "":
		return fs.usageError("--from is required")
	case *name == "":
		return fs.usageError("--name is required")
	}
	if err := in.check(); err != nil {
		return fs.usageError("%v", err)
	}
	eng, warnings, err := in.load(e.stdin)
	if err != nil {
		return fail(e.stderr, c.name, err)
	}
	r, err := eng.ResolveFrom(*from, *name)
	if err != nil {
		return fail(e.stderr, c.name, err)
	}
	r.Warnings = uniqueStrings(append(warnings, r.Warnings...))
	if format.value == "json" {
		err = render.ResolutionJSON(e.stdout, r)
	} else {
		err = render.ResolutionText(e.stdout, r)
	}
	if err != nil {
		return fail(e.stderr, c.name, err)
	}
	if resolved(r) {
		return exitOK
	}
	return exitNotReach
}

// resolved reports whether a resolution answers as it should (SPEC §4):
// NOERROR, and not a public answer for a name a private endpoint serves.
func resolved(r *engine.Resolution) bool {
	return r.Rcode == engine.NoError && !(r.Public && r.Endpoint != "")
}
