package answer

import "encoding/json"

// Blocker is something that stops (part of) a flow: what decided, why, on
// which addresses, and the change that lifts it. [Explain] turns it into
// the sentence of Result.Reason; Cause says which fields and Data keys it
// sets (see the Cause constants).
type Blocker struct {
	Verdict     Verdict           `json:"verdict"`
	Cause       Cause             `json:"cause"`
	Hop         int               `json:"hop"`                // index in the part's hops where it stopped the packet
	Resource    string            `json:"resource,omitempty"` // ARM ID of what decided (NSG, firewall, peering, route table, zone, NIC, ...)
	Rule        *RuleRef          `json:"rule,omitempty"`
	Route       *RouteRef         `json:"route,omitempty"`
	Peering     *PeeringRef       `json:"peering,omitempty"`
	Source      string            `json:"source,omitempty"`      // the addresses it applies to: "10.1.1.0/24", "10.1.1.4"
	Destination string            `json:"destination,omitempty"` // "10.2.0.0/16", "tag:AzureResourceManager"
	Protocol    string            `json:"protocol,omitempty"`    // tcp, udp or icmp
	Port        int               `json:"port,omitempty"`
	Missing     []string          `json:"missing,omitempty"` // IDs the snapshot lacks (missingResource)
	Egress      *Egress           `json:"egress,omitempty"`  // where a leftAzure outcome left
	Data        map[string]string `json:"data,omitempty"`    // small facts a sentence needs (names, states), keyed as the Cause documents
	Fix         *Fix              `json:"fix,omitempty"`     // the change that lifts it (also in Result.Fixes)
}

// Fix is one change that lifts a blocker: the resource to change, the
// change in short, the sentence, an az command where one applies, and the
// ARM-level edits that apply it. A fix never widens access beyond the flow
// it was made for: its source, destination, protocol and port.
type Fix struct {
	Resource string            `json:"resource"`       // ARM ID to change (or the parent of what to create)
	Change   string            `json:"change"`         // "allowForwardedTraffic=true", "add rule ...: allow TCP 443 from 10.1.1.0/24 to AzureResourceManager"
	Text     string            `json:"text"`           // the sentence ([FixText])
	Az       string            `json:"az,omitempty"`   // az commands that apply it, one per line
	Kind     FixKind           `json:"kind"`           // what it changes; [FixKind.Patchable] says whether Patch can express it
	Patch    []Patch           `json:"patch"`          // ARM-level edits that apply it; empty when no data edit can
	Data     map[string]string `json:"data,omitempty"` // facts the sentence needs that the change introduces (new names, priorities)
}

// MarshalJSON keeps Patch as [] rather than null.
func (f Fix) MarshalJSON() ([]byte, error) {
	type plain Fix
	p := plain(f)
	if p.Patch == nil {
		p.Patch = []Patch{}
	}
	return json.Marshal(p)
}

// Patch operations.
const (
	PatchAdd    = "add"    // a new resource, at ID, of Type, with body Value
	PatchSet    = "set"    // Property of the resource at ID becomes Value
	PatchRemove = "remove" // the resource at ID goes away
)

// Patch is one ARM-level edit of a snapshot, applied to its raw JSON by
// azure.ApplyPatches.
//
// Property is a path from the resource root: member names separated by
// dots ("properties.allowForwardedTraffic"), [n] for an array element,
// [-] to append to an array, and ["name"] for a member whose name holds a
// dot (`properties.additionalProperties["Network.SNAT.PrivateRanges"]`).
// Names match case-insensitively, and "properties" also reaches the
// members of a resource written flattened, as the Azure CLI prints them.
type Patch struct {
	Op       string          `json:"op"`
	ID       string          `json:"id"`                 // the resource; for add, the new resource's full ARM ID
	Type     string          `json:"type,omitempty"`     // add: the ARM type
	Property string          `json:"property,omitempty"` // set: the path of the property
	Value    json.RawMessage `json:"value,omitempty"`    // set: the JSON value; add: the body {"name":..., "properties":{...}}
}
