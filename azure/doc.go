// Package azure loads snapshots of an Azure estate, the ARM JSON that
// `az ... list -o json`, `az graph query`, `az rest` or the SDK produce,
// into the [topology] model.
//
// [Load] reads files and directories; [LoadBytes] reads one file held in
// memory. A file holds a JSON array of ARM resources, an ARM list
// ({"value": [...]}), an Azure Resource Graph answer ({"data": [...]}, types
// in any letter case, extra row fields such as tenantId ignored), a single
// resource, or a REST API example ({"responses": {"200": {"body": ...}}}).
// A resource may be written as ARM returns it, with its settings under
// "properties", or flattened as the az CLI prints it (`az network vnet
// list`: "addressSpace" and "subnets" beside "id"). Child resources (subnets, peerings, routes, security rules, rule
// collection groups, record sets, zone and ruleset links, resolver
// endpoints, forwarding rules) may be embedded in their parent or listed on
// their own, in any file and any order. The same resource read twice is kept
// once when both copies agree, and is an error when they differ.
//
// Each resource is decoded into the model type of the Azure SDK for Go
// (armnetwork v8, armprivatedns) and converted to topology values. The SDK
// modules for DNS Private Resolver (armdnsresolver) and Azure Machine
// Learning (armmachinelearning) are not dependencies of vnetpath: those
// resources (Microsoft.Network/dnsResolvers and their endpoints,
// dnsForwardingRulesets with their rules and links, and
// Microsoft.MachineLearningServices/workspaces) decode into small local
// structs that mirror the REST schema. The decoder follows the SDK's field
// names but reads each file in a single pass and reports the JSON path of a
// value that does not fit its field.
//
// Problems are [*topology.Finding] values naming the file, the resource ID
// and the JSON path of the bad field, such as
//
//	snap.json: /subscriptions/.../subnets/a: $[0].properties.subnets[1].properties.addressPrefix: cidr.ParsePrefix("10.0.0.1/24"): not canonical: host bits are set (the network is 10.0.0.0/24)
//
// A resource without an id is an error; one without a type takes its type
// from its id, with a warning. An enum value Azure does not define (a
// peeringState "Foo", an unknown route nextHopType) is kept as written, with
// a warning. A resource of a type vnetpath does not model is skipped and
// counted in [topology.Snapshot.Skipped].
//
// Dispatch follows [topology.Types]: each type has one converter here, which
// also says where the model's fields are in ARM JSON, so that the
// topology.Builder's findings, which name model fields, carry JSON paths.
// What a snapshot references but does not hold is listed by
// [topology.Snapshot.Missing].
//
// [ApplyPatches] applies the ARM-level edits of fixes (answer.Patch) to the
// raw files of a snapshot, in the same shapes, so that a fixed snapshot
// loads like the original.
package azure
