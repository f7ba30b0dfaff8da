// Package topology is vnetpath's model of an Azure estate: virtual networks,
// subnets, peerings, route tables, NSGs, NICs, firewalls and policies,
// gateways, NAT gateways, public IPs, private endpoints, private DNS zones and
// links, DNS Private Resolvers and forwarding rulesets, and Azure Machine
// Learning workspaces.
//
// It is plain Go data keyed by normalised (case-insensitive) ARM IDs. A
// [Builder] collects resources in any order — children before or after their
// parents — and [Builder.Build] checks references and Azure's constraints
// and returns a frozen [Snapshot], safe for concurrent readers. Problems are
// [*Finding] values naming the file, the resource ID and the JSON path.
//
// The package knows nothing of ARM JSON; the azure package turns snapshots
// exported with az, Resource Graph or the SDK into Builder calls.
package topology
