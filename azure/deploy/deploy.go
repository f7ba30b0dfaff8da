// Package deploy holds what the deployment evaluators produce: the ARM
// resources a deployment template or a Terraform plan will create, in the
// JSON shape the snapshot loader reads (package azure), together with what
// cannot be known before deployment.
//
// The evaluators are [github.com/vnetpath/vnetpath/azure/armtemplate] (ARM
// deployment templates) and [github.com/vnetpath/vnetpath/azure/tfplan]
// (`terraform show -json` plans). Both return a [Result]:
//
//   - Resources: complete ARM resource objects ({"id", "name", "type",
//     "location", "properties"}), child resources embedded in their parent
//     or listed on their own with full IDs, as a GET of the deployed
//     resource returns them. [Result.JSON] is the JSON array the loader
//     reads.
//   - Missing: resources of a type the loader models whose content the
//     model needs but cannot be known before deployment (a route whose next
//     hop is the address of a resource outside the template, a public IP
//     address Azure allocates, a workspace ID Azure assigns). They are not
//     emitted as resources; their IDs are declared missing with the reason,
//     so answers that depend on them are unknown.
//   - Assumptions: values predicted rather than read, such as the private IP
//     address Azure will give a NIC.
//   - Deletes: IDs of resources the plan destroys.
//   - Skipped: resource types the loader does not model, counted.
//
// The rule both evaluators keep: a resource of a modelled type appears
// either in Resources or in Missing, never silently dropped.
package deploy

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

// Resource is one ARM resource as the snapshot loader reads it. JSON is the
// complete resource object; ID and Type repeat its "id" and "type".
type Resource struct {
	ID   string
	Type string
	JSON json.RawMessage
}

// Missing is a resource the model needs whose content cannot be known
// before deployment. Reason says which value is unknown and why, in the
// user's terms: "properties.routes[0].properties.nextHopIpAddress =
// reference('.../fw').ipConfigurations[0].properties.privateIPAddress is
// not known before deployment".
type Missing struct {
	ID     string
	Type   string
	Reason string
}

// Assumption is a value an evaluator predicted, such as a dynamic private
// IP address, with the resource it belongs to.
type Assumption struct {
	ID   string
	Text string
}

// Result is what an evaluator produces. The zero value is an empty result.
type Result struct {
	Resources   []Resource
	Missing     []Missing
	Assumptions []Assumption
	Deletes     []string       // IDs of resources the change destroys
	Skipped     map[string]int // resource types not modelled -> count
}

// JSON returns the resources as one JSON array, in the order of Resources:
// the file the snapshot loader reads. An empty result gives "[]".
func (r *Result) JSON() []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	if r != nil {
		for i, res := range r.Resources {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
			b.Write(res.JSON)
		}
		if len(r.Resources) > 0 {
			b.WriteByte('\n')
		}
	}
	b.WriteString("]\n")
	return b.Bytes()
}

// Skip counts one resource of type typ as not modelled.
func (r *Result) Skip(typ string) {
	if r.Skipped == nil {
		r.Skipped = map[string]int{}
	}
	for k := range r.Skipped {
		if strings.EqualFold(k, typ) {
			r.Skipped[k]++
			return
		}
	}
	r.Skipped[typ]++
}

// Resource returns the resource with the given ID (compared
// case-insensitively) and reports whether it is in Resources.
func (r *Result) Resource(id string) (Resource, bool) {
	for _, res := range r.Resources {
		if strings.EqualFold(res.ID, id) {
			return res, true
		}
	}
	return Resource{}, false
}

// MissingID returns the missing entry with the given ID (compared
// case-insensitively) and reports whether there is one.
func (r *Result) MissingID(id string) (Missing, bool) {
	for _, m := range r.Missing {
		if strings.EqualFold(m.ID, id) {
			return m, true
		}
	}
	return Missing{}, false
}

// modelled are the resource types the snapshot loader models (SPEC §2), in
// lower case.
var modelled = []string{
	"microsoft.network/virtualnetworks",
	"microsoft.network/virtualnetworks/subnets",
	"microsoft.network/virtualnetworks/virtualnetworkpeerings",
	"microsoft.network/routetables",
	"microsoft.network/routetables/routes",
	"microsoft.network/networksecuritygroups",
	"microsoft.network/networksecuritygroups/securityrules",
	"microsoft.network/applicationsecuritygroups",
	"microsoft.network/networkinterfaces",
	"microsoft.network/azurefirewalls",
	"microsoft.network/firewallpolicies",
	"microsoft.network/firewallpolicies/rulecollectiongroups",
	"microsoft.network/ipgroups",
	"microsoft.network/virtualnetworkgateways",
	"microsoft.network/localnetworkgateways",
	"microsoft.network/connections",
	"microsoft.network/natgateways",
	"microsoft.network/publicipaddresses",
	"microsoft.network/privateendpoints",
	"microsoft.network/privatednszones",
	"microsoft.network/privatednszones/a",
	"microsoft.network/privatednszones/aaaa",
	"microsoft.network/privatednszones/cname",
	"microsoft.network/privatednszones/ptr",
	"microsoft.network/privatednszones/virtualnetworklinks",
	"microsoft.network/dnsresolvers",
	"microsoft.network/dnsresolvers/inboundendpoints",
	"microsoft.network/dnsresolvers/outboundendpoints",
	"microsoft.network/dnsforwardingrulesets",
	"microsoft.network/dnsforwardingrulesets/forwardingrules",
	"microsoft.network/dnsforwardingrulesets/virtualnetworklinks",
	"microsoft.machinelearningservices/workspaces",
}

// IsModelled reports whether the snapshot loader models resources of type
// typ (compared case-insensitively), the types of SPEC §2.
func IsModelled(typ string) bool {
	return slices.Contains(modelled, strings.ToLower(strings.TrimSpace(typ)))
}

// ResourceID builds an ARM resource ID from its subscription, resource
// group, full type ("Microsoft.Network/virtualNetworks/subnets") and one
// name per type segment after the namespace:
//
//	ResourceID("s", "rg", "Microsoft.Network/virtualNetworks/subnets", "hub", "a")
//	// "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub/subnets/a"
//
// An empty resource group gives a subscription-level ID. Extra or missing
// names are appended or left out as given; callers check the count.
func ResourceID(subscription, resourceGroup, typ string, names ...string) string {
	var b strings.Builder
	b.WriteString("/subscriptions/")
	b.WriteString(subscription)
	if resourceGroup != "" {
		b.WriteString("/resourceGroups/")
		b.WriteString(resourceGroup)
	}
	segs := strings.Split(strings.Trim(typ, "/"), "/")
	b.WriteString("/providers/")
	b.WriteString(segs[0])
	for i, t := range segs[1:] {
		b.WriteByte('/')
		b.WriteString(t)
		if i < len(names) {
			b.WriteByte('/')
			b.WriteString(names[i])
		}
	}
	for _, n := range names[min(len(names), len(segs)-1):] {
		b.WriteByte('/')
		b.WriteString(n)
	}
	return b.String()
}

// Marshal encodes v as compact JSON without escaping <, > and &, as ARM
// writes it. It is for the evaluators building Resource.JSON.
func Marshal(v any) (json.RawMessage, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}
