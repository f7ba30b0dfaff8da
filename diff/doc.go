// Package diff compares the answers of two estates — a snapshot before and
// after a change, or the same snapshot with a deployment template or a
// Terraform plan applied (azure.Options.Changes) — and reports only the
// answers that changed (SPEC §4, `vnetpath diff`), each with both verdicts
// and the resources whose change caused it.
//
// The questions are those of `vnetpath check` ([Options]): by default the
// Azure ML profile of every workspace from every workload subnet, of the
// estate after the change, and of the estate before for sources that only
// exist there. Answers are matched by source, destination, protocol, port
// and workspace.
//
// [Changes] lists the resources that differ: added, removed, modified
// (their configuration differs, [topology.SameConfig]) or unknown (the
// change cannot say what they will hold). An answer's causes are the
// changed resources it depends on before or after the change
// ([engine.Engine.DependsOn]): a resource it names, a parent of one, or a
// child that is part of one's behaviour (a route of a table it used, a
// link of the zone that answered).
//
// # Incremental comparison
//
// A [Baseline] holds the answers before the change, indexed by the places
// each touched: the subnets, VNets, devices and addresses of its path,
// return path and parts, the route tables, NSGs, policies and peerings
// that decided, and for a name the DNS servers and the VNets it is
// resolved in. [Baseline.Compare] computes the places the changed
// resources affect, in both estates:
//
//   - a route table or route: the subnets that use it;
//   - an NSG, rule or application security group: its subnets and NICs;
//   - a peering: both VNets; a VNet: its subnets and the VNets peered
//     with it; a subnet: its VNet (and peered VNets under subnet peering);
//   - a firewall, its policy (and policies based on it), rule collection
//     groups or IP groups: the firewalls, and the addresses they own;
//   - a NIC, private endpoint, gateway or resolver endpoint: where it sits
//     and the addresses it owns (a private endpoint also the directly
//     peered VNets and every name resolution);
//   - a NAT gateway, public IP or prefix: the subnets and devices using it;
//   - a zone link or ruleset link: the linked VNets; a zone, record,
//     workspace or private endpoint: every name resolution;
//
// and checks again only the answers whose before-answer touched one of
// them. The others keep their before-answer. With [Options.Full] every
// answer is checked again; the tests hold the two to the same report on
// generated estates for each kind of change.
package diff
